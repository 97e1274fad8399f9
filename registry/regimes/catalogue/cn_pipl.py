"""China: a draft of the PIPL standard contract's Appendix I (description of the transfer)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.i18n import gettext as _
from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Gap, Need, Regime, Setting, Snapshot
from registry.regimes.common import IMPORTER, sub_processors


def storage_places(snapshot: Snapshot) -> list[str]:
    """Where the data is stored after the transfer: the sub-processors' destinations."""
    seen: dict[str, None] = {}
    for record in sub_processors(snapshot):
        for code in record.get("destinations") or []:
            seen.setdefault(code, None)
    return list(seen)


def _check(snapshot: Snapshot) -> Iterator[Gap]:
    if not storage_places(snapshot):
        yield Gap(
            None,
            "destinations",
            _("No sub-processor records a destination: the storage place is unknown."),
        )


def _context(snapshot: Snapshot, lang: str) -> dict[str, Any]:
    return {"storage_places": storage_places(snapshot)}


REGIME = register(
    Regime(
        slug="cn-pipl",
        short=lazy_gettext("China"),
        title=lazy_gettext("China: PIPL standard contract, Appendix I (draft)"),
        instrument=lazy_gettext(
            "Standard Contract for the Outbound Transfer of Personal Information (Cyberspace "
            "Administration of China, Measures in force 1 June 2023), Appendix I"
        ),
        summary=lazy_gettext(
            "Purpose, method and scope of processing, categories and volume, sensitive data, "
            "onward recipients, transmission, storage period and place; legal fills the rest."
        ),
        template="documents/regimes/cn_pipl.html",
        company=(
            *IMPORTER,
            Need("company.processing.purposes", lazy_gettext("Purposes of the processing")),
            Need("company.processing.nature", lazy_gettext("Nature of the processing")),
            Need(
                "company.processing.data_subjects",
                lazy_gettext("Categories of data subjects whose data customers send"),
            ),
            Need(
                "company.processing.data_categories",
                lazy_gettext("Categories of personal data customers send"),
            ),
            Need(
                "company.processing.sensitive_data",
                lazy_gettext("Sensitive data customers send (or that there is none)"),
            ),
            Need("company.processing.duration", lazy_gettext("Duration of the processing")),
        ),
        recipient=(
            Need("destinations", lazy_gettext("The destination countries")),
            Need("purposes", lazy_gettext("The purposes")),
            Need("data_categories", lazy_gettext("The categories of data")),
            Need("contact", lazy_gettext("The contact person")),
        ),
        settings=(
            Setting(
                "volume",
                lazy_gettext("Volume of personal information transferred"),
                lazy_gettext("Number of individuals; the registry cannot know it."),
            ),
            Setting(
                "transmission_method",
                lazy_gettext("Method of transmission to the overseas recipient"),
                lazy_gettext("For example “HTTPS (TLS 1.2 or later) over the internet”."),
            ),
            Setting(
                "pia_date",
                lazy_gettext("Date of the personal information protection impact assessment"),
                lazy_gettext("YYYY-MM-DD"),
                kind="date",
            ),
        ),
        scope=sub_processors,
        check=_check,
        context=_context,
        languages=("en",),
        exporter=True,
        order=50,
    )
)
