"""How a diff reads to people: field names, and old and new values, in each language.

`change_value` is registered as a Jinja filter in templating.py and shared by the
change notices, /changes and the Atom feed; field names come from
`registry.labels.field_label`, the one list of labels the admin uses too.
"""

from __future__ import annotations

from typing import Any

from registry.i18n import gettext as _
from registry.presentation import country_name


def change_value(value: Any, field: str = "", countries: dict[str, Any] | None = None) -> str:
    """One side of a field change, as a short line of text."""
    if value in (None, "", [], {}):
        return _("(none)")
    if field == "destinations" and isinstance(value, list):
        return ", ".join(country_name(code, countries or {}) for code in value)
    if field == "onward" and isinstance(value, list):
        return "; ".join(onward_entry(entry, countries) for entry in value)
    if isinstance(value, list):
        return ", ".join(change_value(item) for item in value)
    if isinstance(value, dict):
        from registry.notices.entryview import whole_value_text

        return whole_value_text(field, value, countries or {}) or _("(none)")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def onward_entry(entry: dict[str, Any], countries: dict[str, Any] | None = None) -> str:
    """One onward recipient: its name and, in brackets, its countries."""
    where = ", ".join(country_name(code, countries or {}) for code in entry.get("countries", []))
    return f"{entry.get('name', '')} ({where})" if where else str(entry.get("name", ""))
