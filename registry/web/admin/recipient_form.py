"""The recipient form: from posted fields to the API's shape, and the choices it offers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlmodel import Session, select

from registry.countries import all_countries
from registry.enums import ListStyle, Mechanism, PipaRelationship, RecipientRole, SccModule
from registry.i18n import current_language
from registry.models.reference import CountryName, DataCategory
from registry.services import onward
from registry.services.mechanisms import adequacy_by_country, transfer_warnings, vocabulary
from registry.services.versions import today
from registry.web.admin.common import lines, many, one
from registry.web.admin.legal_fields import legal_blank, legal_choices, legal_from_form
from registry.web.admin.translation_form import RECIPIENT_LISTS, confirmed, posted, recipient_rows
from registry.web.inputs import optional_id

LINE_FIELDS = ("services", "purposes", "data_subjects")
TEXT_FIELDS = (
    "name",
    "display_name",
    "corporate_country",
    "address",
    "contact",
    "website",
    "role",
    "pipa_relationship",
    "destination_note",
    "sensitive_data",
    "sensitive_safeguards",
    "retention",
    "transfer_timing",
    "transfer_method",
    "frequency",
    "processing_nature",
    "onward_list_url",
    "onward_checked_on",
    "refusal_procedure",
    "refusal_consequences",
    "list_style",
)


def from_form(data: dict[str, Any]) -> dict[str, Any]:
    """The posted form as the dict RecipientIn validates (everything typed is kept)."""
    values: dict[str, Any] = {name: one(data, name) for name in TEXT_FIELDS}
    for name, default in (
        ("role", RecipientRole.SUB_PROCESSOR),
        ("pipa_relationship", PipaRelationship.ENTRUSTMENT),
        ("list_style", ListStyle.COMMAS),
    ):
        values[name] = values[name] or default.value
    for name in LINE_FIELDS:
        values[name] = lines(data.get(name))
    checked = list(dict.fromkeys(c.upper() for c in many(data, "destinations")))
    # Keep the stored order (the table lists the main destination first); new ones go last.
    before = [c for c in one(data, "destination_order").upper().split(",") if c in checked]
    values["destinations"] = before + [c for c in checked if c not in before]
    categories = many(data, "data_categories") + lines(data.get("other_categories"))
    values["data_categories"] = list(dict.fromkeys(categories))
    mechanisms: dict[str, Any] = {}
    for code in values["destinations"]:
        # A country ticked without its row on the page (no JavaScript) has no choice yet:
        # the form shows it on its default (its adequacy decision, where it has one).
        chosen = one(data, f"mechanism-{code}")
        entry: dict[str, Any] = {"mechanism": chosen} if chosen else {}
        if one(data, f"scc_module-{code}"):
            entry["scc_module"] = one(data, f"scc_module-{code}")
        if one(data, f"dpf_checked_on-{code}"):
            entry["dpf_checked_on"] = one(data, f"dpf_checked_on-{code}")
        if one(data, f"mechanism_note-{code}").strip():
            entry["note"] = one(data, f"mechanism_note-{code}")
        mechanisms[code] = entry
    values["mechanisms"] = mechanisms
    korean = posted(data, RECIPIENT_LISTS)
    if korean is not None:
        values["translations"] = korean
    values["confirm_translations"] = confirmed(data)
    values["onward"] = onward.from_lines(one(data, "onward_text"))
    values["onward_checked_on"] = values["onward_checked_on"] or None
    version = one(data, "version_id")
    values["version_id"] = optional_id(version)
    if one(data, "slug"):
        values["slug"] = one(data, "slug").strip()
    legal_from_form(data, values)
    return values


class LocalCountries:
    """Every country, named in the language of the page being rendered (read at render time),
    with the company's own names (the `country_name` overrides the documents use: 대만)."""

    def __init__(self, overrides: dict[tuple[str, str], str] | None = None) -> None:
        self.overrides = overrides or {}

    def _named(self) -> list[tuple[str, str]]:
        lang = current_language()
        pairs = [
            (code, self.overrides.get((code, lang), name)) for code, name in all_countries(lang)
        ]
        return sorted(pairs, key=lambda pair: pair[1]) if self.overrides else pairs

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._named())

    def get(self, code: str, default: str = "") -> str:
        return dict(self._named()).get(code, default)


def country_overrides(session: Session) -> dict[tuple[str, str], str]:
    """(code, lang) → the company's name for the country, as the documents print it."""
    return {(row.code, row.lang): row.name for row in session.exec(select(CountryName))}


def korean_categories(session: Session) -> dict[str, str]:
    """Each data category's Korean name, shown beside the English value it stands for."""
    return {row.name: row.name_ko for row in session.exec(select(DataCategory)) if row.name_ko}


def form_context(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """What the form template needs besides the values: choices and warnings."""
    adequacy = adequacy_by_country(session)
    known = vocabulary(session)
    chosen = values.get("data_categories", [])
    return {
        "values": values,
        "onward_text": onward.to_lines(values.get("onward") or []),
        "countries": LocalCountries(country_overrides(session)),
        "country_names": LocalCountries(country_overrides(session)),
        "vocabulary": known,
        "vocabulary_ko": korean_categories(session),
        "other_categories": "\n".join(c for c in chosen if c not in known),
        "adequacy": adequacy,
        "warnings": transfer_warnings(
            values.get("destinations", []), values.get("mechanisms", {}), adequacy, today()
        ),
        "roles": list(RecipientRole),
        "pipa": list(PipaRelationship),
        "mechanism_choices": list(Mechanism),
        "scc_modules": list(SccModule),
        "list_styles": list(ListStyle),
        "ko_rows_recipient": recipient_rows(values, values.get("translation_sources")),
    } | legal_choices()


def blank() -> dict[str, Any]:
    return (
        {name: "" for name in (*TEXT_FIELDS, "slug")}
        | {
            "role": RecipientRole.SUB_PROCESSOR.value,
            "pipa_relationship": PipaRelationship.ENTRUSTMENT.value,
            "list_style": ListStyle.COMMAS.value,
            "services": [],
            "purposes": [],
            "data_subjects": [],
            "destinations": [],
            "data_categories": [],
            "mechanisms": {},
            "onward": [],
            "version_id": None,
        }
        | legal_blank()
    )
