"""How a change inside a dict-valued field reads: one line per entry that changed.

"Japan: EU adequacy decision (added)", "Korean · Retention period: 30일 → 60일",
"Acme Mail: Sub-processor → Processor". Shared by notices, /changes and the feed
through the `entry_lines` Jinja filter (templating.py).
"""

from __future__ import annotations

from typing import Any

from registry.enums import ExplicitValue, Mechanism, RecipientRole, SccModule
from registry.i18n import gettext as _
from registry.labels import field_label
from registry.schemas import OTHER_LOCATIONS
from registry.services.dictdiff import entries

# Fields whose first key is not a field name: a country, a language, a service.
FIRST_KEY_IS_DATA = {"mechanisms", "translations", "service_roles", "service_details"}


def entry_lines(change: dict[str, Any], countries: dict[str, Any] | None = None) -> list[str]:
    """Each entry that changed in a dict-valued field change, as a line of text."""
    field = str(change.get("field", ""))
    found = change.get("entries")
    if found is None:
        found = entries(field, change.get("old"), change.get("new"))
    return [entry_line(field, entry, countries or {}) for entry in found]


def entry_line(field: str, entry: dict[str, Any], countries: dict[str, Any]) -> str:
    where = place(field, entry["path"], countries)
    old = entry_value(field, entry["path"], entry.get("old"), countries)
    new = entry_value(field, entry["path"], entry.get("new"), countries)
    if entry["change"] == "added":
        return _("%(where)s: %(value)s (added)", where=where, value=new)
    if entry["change"] == "removed":
        return _("%(where)s: %(value)s (removed)", where=where, value=old)
    return _("%(where)s: %(old)s → %(new)s", where=where, old=old, new=new)


def place(field: str, path: list[str], countries: dict[str, Any]) -> str:
    """Where in the field the entry is: "Japan", "Korean · Retention period"."""
    from registry.notices.changeview import country_label

    first, rest = path[0], path[1:]
    if field == "mechanisms":
        head = (
            field_label(OTHER_LOCATIONS)
            if first == OTHER_LOCATIONS
            else country_label(first, countries)
        )
    elif field == "translations":
        head = language_name(first)
    elif field in FIRST_KEY_IS_DATA:
        head = first
    else:
        head = part_label(first)
    return " · ".join([head, *(part_label(part) for part in rest)])


def part_label(part: str) -> str:
    """A key inside a value: a field's label, or "#2" for the second item of a list."""
    return f"#{int(part) + 1}" if part.isdigit() else field_label(part)


def language_name(code: str) -> str:
    return {"en": _("English"), "ko": _("Korean")}.get(code, code)


def entry_value(field: str, path: list[str], value: Any, countries: dict[str, Any]) -> str:
    """One side of an entry as text: labels for codes, never a placeholder."""
    from registry.notices.changeview import change_value

    if value in (None, "", [], {}):
        return _("(none)")
    if field == "mechanisms" and isinstance(value, dict):
        return mechanism_text(value)
    if field == "explicit_values" and isinstance(value, dict):
        return enum_label(ExplicitValue, value.get("value"))
    if field == "service_roles" or path[-1] == "role":
        return enum_label(RecipientRole, value)
    return change_value(value, path[-1], countries)


def mechanism_text(entry: dict[str, Any]) -> str:
    """ "Standard Contractual Clauses (Module 3: …)"; the DPF check date and note after it."""
    text = enum_label(Mechanism, entry.get("mechanism")) if entry.get("mechanism") else _("(none)")
    if entry.get("scc_module"):
        text += f" ({enum_label(SccModule, entry['scc_module'])})"
    if entry.get("dpf_checked_on"):
        text += f", {field_label('dpf_checked_on')} {entry['dpf_checked_on']}"
    if entry.get("note"):
        text += f", {entry['note']}"
    return text


def enum_label(enum_class: type[Any], value: Any) -> str:
    try:
        return str(enum_class(value).label)
    except ValueError:
        return str(value)


def whole_value_text(field: str, value: dict[str, Any], countries: dict[str, Any]) -> str:
    """A whole dict-valued field as text: "Japan: EU adequacy decision; Korea: …"."""
    parts = []
    for entry in entries(field, {}, value):
        where = place(field, entry["path"], countries)
        parts.append(f"{where}: {entry_value(field, entry['path'], entry['new'], countries)}")
    return "; ".join(parts)
