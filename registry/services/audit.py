"""Writing the change log: before and after of each write, in the writer's transaction."""

from __future__ import annotations

import contextvars
from typing import Any

from sqlmodel import Session

from registry.models import ChangeRecord

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")


def record_change(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    message: str = "",
) -> ChangeRecord:
    record = ChangeRecord(
        actor=actor,
        request_id=request_id_var.get(),
        action=action,
        object_type=object_type,
        object_key=object_key,
        before=before,
        after=after,
        message=message,
    )
    session.add(record)
    return record
