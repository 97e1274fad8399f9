"""What the admin's navigation shows beside its links: the objections waiting for an answer."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import col, func, select

from registry.db import read_session
from registry.enums import ObjectionStatus
from registry.models import Objection

#: Objections someone must answer: confirmed by the customer, not yet resolved.
WAITING = (ObjectionStatus.OPEN, ObjectionStatus.IN_DISCUSSION)


def open_objections(engine: Engine) -> int:
    """How many objections wait for legal (one COUNT query)."""
    with read_session(engine) as session:
        count = session.exec(
            select(func.count()).select_from(Objection).where(col(Objection.status).in_(WAITING))
        ).one()
    return int(count)
