"""Needs several regimes share: the transfer the customer makes (Annex I.B), the SCC options,
and the sub-processors' Annex III fields. Plain declarations, imported by the catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.enums import MeasureHeading, RecipientRole
from registry.i18n import gettext as _
from registry.i18n import lazy_gettext
from registry.regimes.base import Gap, Need, Snapshot, is_blank
from registry.services import roles

IMPORTER = (
    Need("company.name", lazy_gettext("The company's legal name")),
    Need("company.address", lazy_gettext("The company's address")),
    Need("company.contact_person", lazy_gettext("The company's contact person")),
)

PROCESSING = (
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
    Need("company.processing.frequency", lazy_gettext("Frequency of the customers' transfer")),
    Need("company.processing.nature", lazy_gettext("Nature of the processing")),
    Need("company.processing.purposes", lazy_gettext("Purposes of the processing")),
    Need("company.processing.duration", lazy_gettext("Duration of the processing")),
)

SCC_OPTIONS = (
    Need("company.scc.modules", lazy_gettext("The SCC modules the annexes complete")),
    Need("company.scc.clause9_option", lazy_gettext("The Clause 9(a) option")),
    Need("company.scc.notice_days", lazy_gettext("The Clause 9(a) notice period in days")),
    Need("company.scc.governing_law", lazy_gettext("The governing law (Clause 17)")),
    Need("company.scc.courts", lazy_gettext("The choice of forum (Clause 18)")),
)

ANNEX_III = (
    Need("address", lazy_gettext("The address")),
    Need("contact", lazy_gettext("The contact person")),
    Need("processing_nature", lazy_gettext("The nature of the processing")),
    Need("purposes", lazy_gettext("The purposes")),
    Need("data_categories", lazy_gettext("The categories of data")),
    Need("destinations", lazy_gettext("The destination countries")),
    Need("retention", lazy_gettext("The retention period")),
)


def sub_processors(snapshot: Snapshot) -> list[dict[str, Any]]:
    return roles.entries(snapshot, str(RecipientRole.SUB_PROCESSOR))


def measures_gaps(snapshot: Snapshot) -> Iterator[Gap]:
    """Each Annex II heading the company has not described."""
    measures = (snapshot.get("company") or {}).get("measures") or {}
    for heading in MeasureHeading:
        if is_blank(measures.get(heading.value)):
            yield Gap(
                None,
                f"company.measures.{heading.value}",
                _("Annex II measure not described: %(heading)s", heading=str(heading.label)),
            )


def mechanism_gaps(records: list[dict[str, Any]]) -> Iterator[Gap]:
    """Each destination of these recipients without a recorded transfer mechanism."""
    for record in records:
        for code in record.get("destinations") or []:
            entry = (record.get("mechanisms") or {}).get(code) or {}
            if (entry.get("mechanism") or "none") == "none":
                yield Gap(
                    record.get("slug"),
                    f"mechanisms.{code}",
                    _(
                        "No transfer mechanism is recorded for %(name)s in %(country)s.",
                        name=record.get("name") or record.get("slug") or "?",
                        country=code,
                    ),
                )


def reference_gaps(
    snapshot: Snapshot, kind: str, key: str, recipient: str | None, what: str
) -> Iterator[Gap]:
    """The reference entry `kind`/`key` is absent from the version, or not yet verified."""
    entry = ((snapshot.get("reference") or {}).get(kind) or {}).get(key)
    field = f"reference.{kind}.{key}"
    if entry is None:
        yield Gap(
            recipient,
            field,
            _("No reference data for %(what)s: add it to seed/regimes.toml.", what=what),
        )
    elif not entry.get("verified"):
        yield Gap(
            recipient,
            field,
            _(
                "The reference data for %(what)s is not verified: check it against its "
                "source and mark it verified.",
                what=what,
            ),
        )
