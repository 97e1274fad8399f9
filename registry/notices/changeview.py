"""How a diff reads to people: field names, and old and new values, in each language.

Registered as Jinja filters (`field_label`, `change_value`) in templating.py and
shared by the change notices, /changes and the Atom feed.
"""

from __future__ import annotations

from typing import Any

from registry.i18n import gettext as _
from registry.presentation import country_name


def field_label(name: str) -> str:
    labels = {
        "name": _("Name"),
        "display_name": _("Short name"),
        "services": _("Services"),
        "corporate_country": _("Country of incorporation"),
        "address": _("Address"),
        "contact": _("Contact"),
        "website": _("Website"),
        "role": _("Role"),
        "pipa_relationship": _("Relationship under PIPA"),
        "destinations": _("Transfer destination(s)"),
        "destination_note": _("Destination note"),
        "mechanisms": _("Transfer mechanisms"),
        "purposes": _("Purpose of use"),
        "data_categories": _("Information transferred"),
        "data_subjects": _("Data subjects"),
        "sensitive_data": _("Sensitive data"),
        "sensitive_safeguards": _("Safeguards for sensitive data"),
        "retention": _("Retention period"),
        "transfer_timing": _("When data is transferred"),
        "transfer_method": _("How data is transferred"),
        "frequency": _("Frequency of transfer"),
        "processing_nature": _("Nature of the processing"),
        "onward_recipients": _("Onward recipients"),
        "refusal_procedure": _("How to refuse"),
        "refusal_consequences": _("What refusing means"),
        "list_style": _("List style"),
        "translations": _("Translations"),
        "contact_person": _("Contact person"),
        "contact_email": _("Contact email"),
        "activities": _("Activities"),
        "authority_name": _("Supervisory authority"),
        "authority_address": _("Supervisory authority's address"),
        "authority_website": _("Supervisory authority's website"),
        "authority_reason": _("Why this authority"),
        "measures": _("Technical and organisational measures"),
    }
    return labels.get(name, name.replace("_", " ").capitalize())


def change_value(value: Any, field: str = "", countries: dict[str, Any] | None = None) -> str:
    """One side of a field change, as a short line of text."""
    if value in (None, "", [], {}):
        return _("(none)")
    if field == "destinations" and isinstance(value, list):
        return ", ".join(country_name(code, countries or {}) for code in value)
    if isinstance(value, list):
        return ", ".join(change_value(item) for item in value)
    if isinstance(value, dict):
        return _("(updated; see the documents)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)
