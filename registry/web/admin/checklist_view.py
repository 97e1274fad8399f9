"""The checklist as the admin preview shows it: by recipient, each item linked to its field."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlmodel import Session

from registry.i18n import gettext as _
from registry.labels import field_label
from registry.notices.entryview import language_name
from registry.services.checklist import ChecklistItem, draft_checklist
from registry.web.admin.common import PATH_COMPANY, PATH_RECIPIENTS


def field_anchor(field: str) -> str:
    """The id of the form control for a checklist field (`f-NAME`)."""
    parts = field.split(".")
    if parts[0] == "company":
        parts = parts[1:]
    if parts[0] == "translations":
        # The row of that one translation (admin/_translations.html), not the section's top.
        return "translation-" + "-".join(parts[2:]) if len(parts) > 2 else "translations"
    if parts[0] == "mechanisms":
        return f"f-mechanism-{parts[1]}" if len(parts) > 1 else "f-mechanisms"
    if parts[0] == "measures" and len(parts) > 1:
        return f"f-measure-{parts[1]}"
    if parts[0] in ("processing", "scc") and len(parts) > 1:
        return f"f-{parts[0]}-{parts[1]}"
    if parts[0] == "service_details":
        return "f-service_roles"
    return f"f-{parts[0]}"


def link_of(item: ChecklistItem) -> str:
    page = f"{PATH_RECIPIENTS}/{item.recipient}" if item.recipient else PATH_COMPANY
    return f"{page}#{field_anchor(item.field)}"


def label_of(item: ChecklistItem) -> str:
    """The field named as people read it: "Transfer mechanisms: US", "Korean: Retention period"."""
    parts = [p for p in item.field.split(".") if p != "company"]
    if parts[0] == "translations" and len(parts) > 2:
        return f"{language_name(parts[1])}: " + " · ".join(field_label(p) for p in parts[2:])
    return " · ".join(field_label(p) for p in parts)


def message_of(item: ChecklistItem) -> str:
    """What is wrong, in the reader's language. A translation's problem is told here: the
    checklist service words it for the API (English, with the slug and the dotted path),
    while the admin's heading and link already name the recipient and the field."""
    parts = [p for p in item.field.split(".") if p != "company"]
    if parts[0] != "translations":
        return item.message
    if item.problem == "stale":
        return _(
            "The English changed after this translation was written: update the "
            "translation, or confirm that it still says the same."
        )
    if item.problem == "missing":
        return _("The documents print this field in this language: write the translation.")
    return item.message


def checklist_groups(session: Session) -> list[dict[str, Any]]:
    """[{"recipient": slug or None, "items": [{"field", "label", "message", "href", ...}]}]."""
    items = draft_checklist(session)
    return [
        {
            "recipient": recipient,
            "items": [
                item.as_json()
                | {"label": label_of(item), "message": message_of(item), "href": link_of(item)}
                for item in group
            ],
        }
        for recipient, group in groupby(items, key=lambda i: i.recipient)
    ]
