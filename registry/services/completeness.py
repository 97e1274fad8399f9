"""What each document needs from the draft: the checks behind the publication checklist.

PRODUCT.md, "What a lawyer must be able to sign": the PIPA Art. 28-8(2) items
of every overseas transfer, a transfer mechanism for every destination
(including a destination note's "other countries"), the Annex III fields of
every sub-processor, Annex I.B and the SCC options the company chooses, and
the Korean text of every field the Korean documents print. A blank is
unknown; "none" or "not applicable" is a value someone chose
(`explicit_values`), and satisfies the check.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session

from registry.enums import MeasureHeading, Mechanism
from registry.i18n import gettext as _
from registry.schemas import OTHER_LOCATIONS
from registry.services.checklist import ChecklistItem, check
from registry.services.explicit import explicit_value
from registry.services.mechanisms import EEA, adequacy_by_country
from registry.services.roles import entries

HOME_COUNTRY = "KR"  # PIPA: a transfer is overseas when it leaves Korea
TRANSLATION_LANGUAGE = "ko"

#: PIPA Art. 28-8(2), for each overseas transfer: field → what it is, for legal.
PIPA_ITEMS = (
    "data_categories",
    "transfer_timing",
    "transfer_method",
    "contact",
    "purposes",
    "retention",
    "refusal_procedure",
    "refusal_consequences",
)
#: Annex III, for each sub-processor's services.
ANNEX_III_ITEMS = ("address", "contact", "processing_nature", "purposes", "data_categories")
#: The recipient fields the Korean documents print, translated.
PRINTED_IN_KOREAN = (
    "destination_note",
    "purposes",
    "data_categories",
    "data_subjects",
    "retention",
    "retention_law",
    "transfer_timing",
    "transfer_method",
    "frequency",
    "processing_nature",
    "refusal_procedure",
    "refusal_consequences",
    "sensitive_data",
    "sensitive_safeguards",
)
PROCESSING_ITEMS = (
    "data_subjects",
    "data_categories",
    "sensitive_data",
    "sensitive_safeguards",
    "frequency",
    "nature",
    "purposes",
    "duration",
)
APPLICABLE_LAW_WORDS = ("applicable law", "관계 법령", "관련 법령")


def is_overseas(record: dict[str, Any]) -> bool:
    return any(code != HOME_COUNTRY for code in record.get("destinations", []))


def _blank(record: dict[str, Any], field: str) -> bool:
    return not record.get(field) and not explicit_value(record, field)


def _missing(slug: str | None, field: str, message: str) -> ChecklistItem:
    return ChecklistItem(recipient=slug, field=field, problem="missing", message=message)


@check
def mechanisms_check(session: Session, snapshot: dict[str, Any]) -> Iterator[ChecklistItem]:
    """A legal basis for every destination outside the EEA, and for a note's other places."""
    adequacy = adequacy_by_country(session)
    for r in snapshot["recipients"]:
        mechanisms = r.get("mechanisms") or {}
        for code in r.get("destinations", []):
            entry = mechanisms.get(code) or {}
            chosen = entry.get("mechanism") or Mechanism.NONE
            if code in EEA and chosen in (Mechanism.NONE, Mechanism.EEA):
                continue
            if chosen == Mechanism.NONE and code in snapshot.get("adequacy", {}):
                continue  # an adequate country: the documents state its decision
            if chosen in (Mechanism.NONE, Mechanism.EEA):
                yield _missing(
                    r["slug"],
                    f"mechanisms.{code}",
                    _("Choose the transfer mechanism for %(country)s.", country=code),
                )
            elif chosen == Mechanism.ADEQUACY and code not in adequacy:
                yield ChecklistItem(
                    r["slug"],
                    f"mechanisms.{code}",
                    "invalid",
                    _(
                        "%(country)s has no EU adequacy decision: choose another mechanism.",
                        country=code,
                    ),
                )
            elif chosen == Mechanism.DPF and not entry.get("dpf_checked_on"):
                yield _missing(
                    r["slug"],
                    f"mechanisms.{code}.dpf_checked_on",
                    _("Record when the DPF certification was checked."),
                )
        other = (mechanisms.get(OTHER_LOCATIONS) or {}).get("mechanism") or Mechanism.NONE
        if r.get("destination_note") and other == Mechanism.NONE:
            yield _missing(
                r["slug"],
                f"mechanisms.{OTHER_LOCATIONS}",
                _(
                    "The destinations say “%(note)s”: choose the transfer mechanism for those "
                    "other places.",
                    note=r["destination_note"],
                ),
            )


@check
def pipa_check(session: Session, snapshot: dict[str, Any]) -> Iterator[ChecklistItem]:
    """PIPA Art. 28-8: the five items of each overseas transfer, and its basis."""
    for r in snapshot["recipients"]:
        if is_overseas(r):
            for field in PIPA_ITEMS:
                if _blank(r, field):
                    yield _missing(
                        r["slug"], field, _("Needed for the PIPA Art. 28-8(2) disclosure.")
                    )
            if not r.get("pipa_basis"):
                yield _missing(
                    r["slug"],
                    "pipa_basis",
                    _("Choose the ground of the overseas transfer (PIPA Art. 28-8(1))."),
                )
        retention = (r.get("retention") or "").lower()
        if any(word in retention for word in APPLICABLE_LAW_WORDS) and _blank(r, "retention_law"):
            yield _missing(
                r["slug"],
                "retention_law",
                _("The retention period refers to applicable laws: name the law and the period."),
            )
        if not (r.get("onward") or r.get("onward_list_url")) and _blank(r, "onward"):
            yield _missing(
                r["slug"],
                "onward",
                _("List the recipient's own sub-processors, or record that there are none."),
            )


@check
def annex_iii_check(session: Session, snapshot: dict[str, Any]) -> Iterator[ChecklistItem]:
    """Annex III: name, address, contact and a description of each sub-processor's work."""
    for entry in entries(snapshot, "sub_processor"):
        narrowed = len(entry.get("services") or []) < len(_original(snapshot, entry)["services"])
        for field in ANNEX_III_ITEMS:
            if not narrowed and field in PIPA_ITEMS and is_overseas(entry):
                continue  # already named by the PIPA check
            if not entry.get(field):
                where = field
                if narrowed and field in ("purposes", "data_categories", "processing_nature"):
                    where = f"service_details.{entry['services'][0]}.{field}"
                yield _missing(entry["slug"], where, _("Needed for Annex III (sub-processors)."))


def _original(snapshot: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
    return next(r for r in snapshot["recipients"] if r["slug"] == entry["slug"])


@check
def korean_check(session: Session, snapshot: dict[str, Any]) -> Iterator[ChecklistItem]:
    """The Korean text of every field the Korean documents print."""
    # The recipients' and the company's own fields are checked, stale or missing, by
    # registry.services.translation_status; here, the per-service details.
    lang = TRANSLATION_LANGUAGE
    for r in snapshot["recipients"]:
        for service, detail in (r.get("service_details") or {}).items():
            local = (detail.get("translations") or {}).get(lang, {})
            for field, value in detail.items():
                if field != "translations" and value and not local.get(field):
                    yield _missing(
                        r["slug"],
                        f"service_details.{service}.translations.{lang}.{field}",
                        _("Write the Korean text: the Korean documents print this field."),
                    )


@check
def company_check(session: Session, snapshot: dict[str, Any]) -> Iterator[ChecklistItem]:
    """Annex I.A and I.B, Annex II and the SCC options the company chooses."""
    company = snapshot["company"]
    for field in ("name", "address", "contact_person", "activities", "role"):
        if not company.get(field):
            yield _missing(None, f"company.{field}", _("Needed for Annex I.A (the data importer)."))
    processing = company.get("processing") or {}
    for field in PROCESSING_ITEMS:
        if not processing.get(field):
            yield _missing(
                None,
                f"company.processing.{field}",
                _("Needed for Annex I.B (what customers send to the company)."),
            )
    measures = company.get("measures") or {}
    for heading in MeasureHeading:
        if not measures.get(heading.value):
            yield _missing(
                None,
                f"company.measures.{heading.value}",
                _("Needed for Annex II: %(heading)s", heading=heading.label),
            )
    scc = company.get("scc") or {}
    for field, message in (
        ("governing_law", _("Choose the governing law of Clause 17 (an EU Member State).")),
        ("courts", _("Choose the courts of Clause 18(b) (an EU Member State).")),
    ):
        if not scc.get(field):
            yield _missing(None, f"company.scc.{field}", message)
