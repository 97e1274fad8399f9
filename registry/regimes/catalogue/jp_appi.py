"""Japan: the information APPI Art. 28 requires when personal data goes to a foreign country."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.i18n import gettext as _
from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Gap, Need, Regime, Setting, Snapshot
from registry.regimes.common import measures_gaps, reference_gaps, sub_processors

KIND = "jp_appi_country"
HOME = "JP"
#: The PPC's survey headings, in its order (the keys of each country's reference entry).
HEADINGS = ("system", "indicators", "oecd", "other_systems")


def countries(snapshot: Snapshot) -> dict[str, str | None]:
    """{foreign country: the first recipient sending data there (None: the company's own)}."""
    found: dict[str, str | None] = {}
    own = str(
        ((snapshot.get("regime_settings") or {}).get("jp-appi") or {}).get("importer_country") or ""
    )
    if own and own != HOME:
        found[own] = None
    for record in sub_processors(snapshot):
        for code in record.get("destinations") or []:
            if code != HOME:
                found.setdefault(code, record.get("slug"))
    return found


def _check(snapshot: Snapshot) -> Iterator[Gap]:
    names = snapshot.get("countries") or {}
    for code, slug in countries(snapshot).items():
        name = (names.get(code) or {}).get("en") or code
        yield from reference_gaps(
            snapshot, KIND, code, slug, _("the system of protection in %(country)s", country=name)
        )
    if any(gap for gap in measures_gaps(snapshot)):
        yield Gap(
            None,
            "company.measures",
            _("The measures the recipient takes (Annex II) are not all described."),
        )


def _context(snapshot: Snapshot, lang: str) -> dict[str, Any]:
    listed = (snapshot.get("reference") or {}).get(KIND) or {}
    return {
        "appi_countries": list(countries(snapshot)),
        "appi_reference": listed,
        "appi_headings": HEADINGS,
    }


REGIME = register(
    Regime(
        slug="jp-appi",
        short=lazy_gettext("Japan"),
        title=lazy_gettext("Japan: information for transfers abroad (APPI Art. 28)"),
        instrument=lazy_gettext(
            "Act on the Protection of Personal Information (Japan), Article 28(2), and the "
            "PPC's Enforcement Rules, Article 17"
        ),
        summary=lazy_gettext(
            "For each destination country: its name, its system for the protection of "
            "personal information, and the measures the recipient takes."
        ),
        template="documents/regimes/jp_appi.html",
        company=(Need("company.name", lazy_gettext("The company's legal name")),),
        recipient=(Need("destinations", lazy_gettext("The destination countries")),),
        reference=(KIND,),
        settings=(
            Setting(
                "importer_country",
                lazy_gettext("Country where the company (the recipient) is established"),
                lazy_gettext("ISO 3166-1 code, for example US."),
                kind="country",
            ),
        ),
        scope=sub_processors,
        check=_check,
        context=_context,
        order=60,
    )
)
