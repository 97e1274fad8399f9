"""Reading the change log: paged in SQL, before → after computed when read."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.models import ChangeRecord

PAGE_SIZE = 25


def changes(
    session: Session, *, object_type: str = "", key: str = "", page: int = 1
) -> tuple[list[ChangeRecord], int]:
    """One page of changes, newest first, and the total count."""
    statement = select(ChangeRecord)
    count = select(func.count()).select_from(ChangeRecord)
    if object_type:
        statement = statement.where(ChangeRecord.object_type == object_type)
        count = count.where(ChangeRecord.object_type == object_type)
    if key:
        statement = statement.where(ChangeRecord.object_key == key)
        count = count.where(ChangeRecord.object_key == key)
    statement = (
        statement.order_by(col(ChangeRecord.id).desc())
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return list(session.exec(statement).all()), int(session.exec(count).one())


def field_changes(record: ChangeRecord) -> list[dict[str, Any]]:
    """[{field, old, new}] for every field whose value differs between before and after."""
    before, after = record.before or {}, record.after or {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
    ]
