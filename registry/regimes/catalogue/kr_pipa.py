"""Korea: the transfer table, PIPA Art. 28-8(2), with the PIPC's recognitions beside the EU list."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.i18n import gettext as _
from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Gap, Need, Regime, Snapshot, is_blank

HOME = "KR"
#: The fields the Korean document prints from each overseas recipient's own words.
KOREAN_TEXT = (
    "purposes",
    "data_categories",
    "retention",
    "transfer_timing",
    "transfer_method",
    "refusal_procedure",
    "refusal_consequences",
)


def overseas(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Recipients with a destination outside Korea: Art. 28-8(2) speaks of these."""
    return [
        r
        for r in snapshot.get("recipients", [])
        if any(code != HOME for code in r.get("destinations") or [])
    ]


def _check(snapshot: Snapshot) -> Iterator[Gap]:
    for record in overseas(snapshot):
        korean = (record.get("translations") or {}).get("ko") or {}
        for field in KOREAN_TEXT:
            if not is_blank(record.get(field)) and is_blank(korean.get(field)):
                yield Gap(
                    record.get("slug"),
                    f"translations.ko.{field}",
                    _(
                        "The Korean text of “%(field)s” of %(name)s is missing.",
                        field=field,
                        name=record.get("name") or record.get("slug") or "?",
                    ),
                )


def recognitions(snapshot: Snapshot) -> dict[str, list[dict[str, Any]]]:
    """{country code: [PIPC recognition, ...]} for every country a recognition covers."""
    found: dict[str, list[dict[str, Any]]] = {}
    listed = (snapshot.get("reference") or {}).get("pipc_recognition") or {}
    for key, entry in listed.items():
        for code in entry.get("countries") or []:
            found.setdefault(code, []).append({"key": key, **entry})
    return found


def _context(snapshot: Snapshot, lang: str) -> dict[str, Any]:
    destinations: dict[str, None] = {}
    for record in snapshot.get("recipients", []):
        for code in record.get("destinations") or []:
            destinations.setdefault(code, None)
    return {
        "destinations": [code for code in destinations if code != HOME],
        "pipc": recognitions(snapshot),
        "pipc_list": (snapshot.get("reference") or {}).get("pipc_recognition") or {},
        "eu_adequacy": (snapshot.get("reference") or {}).get("eu_adequacy") or {},
    }


REGIME = register(
    Regime(
        slug="kr-pipa",
        short=lazy_gettext("Korea"),
        title=lazy_gettext("Transfer table (PIPA Art. 28-8)"),
        instrument=lazy_gettext("Personal Information Protection Act (Korea), Article 28-8(2)"),
        summary=lazy_gettext(
            "Every recipient of personal data with the items transferred, destination, timing "
            "and method, contact, purpose, retention, and how to refuse."
        ),
        template="documents/regimes/kr_pipa.html",
        recipient=(
            Need("data_categories", lazy_gettext("The items transferred")),
            Need("destinations", lazy_gettext("The destination countries")),
            Need("transfer_timing", lazy_gettext("When the data is transferred")),
            Need("transfer_method", lazy_gettext("How the data is transferred")),
            Need("contact", lazy_gettext("The recipient's contact details")),
            Need("purposes", lazy_gettext("The purposes of use")),
            Need("retention", lazy_gettext("The retention period")),
            Need("refusal_procedure", lazy_gettext("How to refuse the transfer")),
            Need("refusal_consequences", lazy_gettext("What refusing means")),
        ),
        reference=("pipc_recognition", "eu_adequacy"),
        scope=overseas,
        check=_check,
        context=_context,
        order=70,
    )
)
