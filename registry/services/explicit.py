"""Explicit values ("none", "not applicable"): who chose one, and when.

A blank field means unknown: the checklist stops publication and documents
print nothing for it. A value someone chose is stamped with their name and the
day, kept while it stays the same.
"""

from __future__ import annotations

from typing import Any

from registry.models import Recipient
from registry.models.base import utcnow


def stamp_explicit_values(recipient: Recipient, before: dict[str, Any], actor: str) -> None:
    """Stamp new or changed explicit values with `actor` and today; keep the others' stamps."""
    stamped: dict[str, Any] = {}
    for field, entry in (recipient.explicit_values or {}).items():
        previous = before.get(field) or {}
        if previous.get("value") == entry.get("value") and previous.get("set_by"):
            stamped[field] = previous
        else:
            stamped[field] = {
                "value": entry.get("value"),
                "set_by": entry.get("set_by") or actor,
                "set_on": entry.get("set_on") or utcnow().date().isoformat(),
            }
    recipient.explicit_values = stamped


def explicit_value(record: dict[str, Any], field: str) -> str:
    """The explicit value chosen for `field` ("none", "not_applicable") or ""."""
    entry = (record.get("explicit_values") or {}).get(field) or {}
    return str(entry.get("value") or "")
