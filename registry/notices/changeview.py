"""How a diff reads to people: field names, and old and new values, in each language.

`change_value` is registered as a Jinja filter in templating.py and shared by the
change notices, /changes and the Atom feed; field names come from
`registry.labels.field_label`, the one list of labels the admin uses too.
"""

from __future__ import annotations

from typing import Any

from registry.countries import pycountry_name
from registry.enums import (
    ObjectionStatus,
    PipaBasis,
    PipaRelationship,
    RecipientRole,
    RecipientStatus,
    SubscriberStatus,
    UserRole,
)
from registry.i18n import current_language
from registry.i18n import gettext as _
from registry.presentation import country_name

# Fields that hold one code of an enumeration: shown by its label, never the code. A
# recipient's role and a user's share the name: the first enumeration with the code names it.
ENUM_FIELDS: dict[str, tuple[type[Any], ...]] = {
    "role": (RecipientRole, UserRole),
    "pipa_relationship": (PipaRelationship,),
    "pipa_basis": (PipaBasis,),
}
# Fields whose raw value is a code or a structure: the admin's diff tables read them as
# change_value does (names, labels), not as stored.
READABLE_FIELDS = {*ENUM_FIELDS, "destinations", "corporate_country", "onward", "status"}


def change_value(value: Any, field: str = "", countries: dict[str, Any] | None = None) -> str:
    """One side of a field change, as a short line of text."""
    if value in (None, "", [], {}):
        return _("(none)")
    if field == "destinations" and isinstance(value, list):
        return ", ".join(country_label(code, countries) for code in value)
    if field == "onward" and isinstance(value, list):
        return "; ".join(onward_entry(entry, countries) for entry in value)
    if isinstance(value, list):
        return ", ".join(change_value(item) for item in value)
    if isinstance(value, dict):
        from registry.notices.entryview import whole_value_text

        return whole_value_text(field, value, countries or {}) or _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "corporate_country" and isinstance(value, str):
        return country_label(value, countries)
    if field == "status" and isinstance(value, str):
        return status_label(value)
    if field in ENUM_FIELDS:
        from registry.notices.entryview import enum_label

        labels = (enum_label(kind, value) for kind in ENUM_FIELDS[field])
        return next((label for label in labels if label != str(value)), str(value))
    return str(value)


def status_label(value: str) -> str:
    """A stored status (an objection's, a recipient's, a subscriber's) by its label."""
    for kind in (ObjectionStatus, RecipientStatus, SubscriberStatus):
        try:
            return str(kind(value).label)
        except ValueError:
            continue
    return value


def country_label(code: str, countries: dict[str, Any] | None) -> str:
    """A country's name from the version's reference data, else pycountry's (the admin's
    history has no version at hand), never the bare code."""
    if countries and code in countries:
        return country_name(code, countries)
    return pycountry_name(code, current_language())


def onward_entry(entry: dict[str, Any], countries: dict[str, Any] | None = None) -> str:
    """One onward recipient: its name and, in brackets, its countries."""
    where = ", ".join(country_name(code, countries or {}) for code in entry.get("countries", []))
    return f"{entry.get('name', '')} ({where})" if where else str(entry.get("name", ""))
