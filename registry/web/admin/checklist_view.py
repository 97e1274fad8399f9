"""The checklist as the admin preview shows it: by recipient, each item linked to its field."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from sqlmodel import Session

from registry.labels import field_label
from registry.services.checklist import ChecklistItem, draft_checklist
from registry.web.admin.common import PATH_COMPANY, PATH_RECIPIENTS


def field_anchor(field: str) -> str:
    """The id of the form control for a checklist field (`f-NAME`)."""
    parts = field.split(".")
    if parts[0] == "company":
        parts = parts[1:]
    if parts[0] == "translations":
        return "translations"
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
        return f"{parts[1]}: " + " · ".join(field_label(p) for p in parts[2:])
    return " · ".join(field_label(p) for p in parts)


def checklist_groups(session: Session) -> list[dict[str, Any]]:
    """[{"recipient": slug or None, "items": [{"field", "label", "message", "href", ...}]}]."""
    items = draft_checklist(session)
    return [
        {
            "recipient": recipient,
            "items": [
                item.as_json() | {"label": label_of(item), "href": link_of(item)} for item in group
            ],
        }
        for recipient, group in groupby(items, key=lambda i: i.recipient)
    ]
