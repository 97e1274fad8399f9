"""What stops the draft from being published: one list, fed by every kind of check.

Each kind of check (the documents' required items, stale translations, ...) is a
function that takes the session and the draft's snapshot and yields
`ChecklistItem`s; it registers itself with `@check`. `draft_checklist` runs them
all. The API (`GET /api/v1/draft/checklist`), the admin preview and the
publication gate all read this one list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlmodel import Session

Check = Callable[[Session, dict[str, Any]], Iterable["ChecklistItem"]]
_CHECKS: list[Check] = []


@dataclass(frozen=True)
class ChecklistItem:
    """One thing missing or wrong: `recipient` is a slug, or None for company-wide items.

    `field` names the field as the API does (`retention`, `mechanisms.US`,
    `translations.ko.retention`, `company.processing.duration`); `problem` is
    "missing", "stale" or another short word; `message` says what to do, for legal.
    """

    recipient: str | None
    field: str
    problem: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def check(fn: Check) -> Check:
    """Register a kind of check (a decorator); registering twice is harmless."""
    if fn not in _CHECKS:
        _CHECKS.append(fn)
    return fn


def draft_checklist(session: Session) -> list[ChecklistItem]:
    """Everything that stops publication now, company-wide items first; empty when ready."""
    import registry.services.completeness  # noqa: F401  (registers the documents' checks)
    from registry.services.snapshot import build_snapshot

    snapshot = build_snapshot(session)
    items = [item for fn in _CHECKS for item in fn(session, snapshot)]
    return sorted(items, key=lambda i: (i.recipient is not None, i.recipient or "", i.field))
