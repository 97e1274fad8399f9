"""Switzerland: the SCCs adapted for the FADP (FDPIC recognition of 27 August 2021)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.i18n import gettext as _
from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Gap, Need, Regime, Setting, Snapshot
from registry.regimes.common import reference_gaps

AUTHORITY = "FDPIC"


def _check(snapshot: Snapshot) -> Iterator[Gap]:
    yield from reference_gaps(
        snapshot, "authority", AUTHORITY, None, _("the Swiss supervisory authority (FDPIC)")
    )


def _context(snapshot: Snapshot, lang: str) -> dict[str, Any]:
    authorities = (snapshot.get("reference") or {}).get("authority") or {}
    return {"fdpic": authorities.get(AUTHORITY)}


REGIME = register(
    Regime(
        slug="ch-fadp",
        short=lazy_gettext("Switzerland"),
        title=lazy_gettext("Swiss adaptation of the SCCs (FADP)"),
        instrument=lazy_gettext(
            "Standard Contractual Clauses as recognised by the FDPIC on 27 August 2021, adapted "
            "to the Federal Act on Data Protection (FADP, revised, in force 1 September 2023)"
        ),
        summary=lazy_gettext(
            "The adaptations that make the SCCs serve transfers under Swiss law: the FDPIC as "
            "authority, the FADP for the GDPR, suits where Swiss data subjects live."
        ),
        template="documents/regimes/ch_fadp.html",
        company=(
            Need("company.name", lazy_gettext("The company's legal name")),
            Need("company.authority_name", lazy_gettext("The competent supervisory authority")),
        ),
        reference=("authority",),
        settings=(
            Setting(
                "scope",
                lazy_gettext("Which law governs the transfers"),
                choices=(
                    ("fadp_only", lazy_gettext("The FADP only")),
                    ("fadp_and_gdpr", lazy_gettext("The FADP and the GDPR")),
                ),
                kind="choice",
            ),
            Setting(
                "governing_law",
                lazy_gettext("Governing law (Clause 17)"),
                lazy_gettext("For example “Switzerland”."),
            ),
            Setting(
                "courts",
                lazy_gettext("Courts (Clause 18)"),
                lazy_gettext("For example “the courts of Zurich, Switzerland”."),
            ),
        ),
        check=_check,
        context=_context,
        scope=lambda snapshot: [],  # the adaptations point at the annexes, which list them
        languages=("en",),
        exporter=True,
        order=30,
    )
)
