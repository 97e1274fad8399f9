"""Limits on objections from the public form, like `/subscribe`'s.

- per client address, in memory (the process's `subscribe_limiter`, keyed apart);
- per contact address, in the database (every process sees it): at most
  `PER_ADDRESS_PER_DAY` objections a day, so nobody can use the form to send a
  stranger a stream of confirmation emails.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.errors import RegistryError
from registry.models import Objection
from registry.models.base import utcnow

PER_ADDRESS_PER_DAY = 5
DEFAULT_PAGE = 100
MAX_PAGE = 500


class TooMany(RegistryError):
    status_code = 429


def check_address(session: Session, contact_email: str) -> None:
    address = (contact_email or "").strip().lower()
    if not address:
        return
    since = utcnow() - timedelta(days=1)
    count = session.exec(
        select(func.count()).where(
            col(Objection.contact_email) == address, col(Objection.created_at) >= since
        )
    ).one()
    if count >= PER_ADDRESS_PER_DAY:
        raise TooMany("Too many objections from this address today; try again tomorrow")


def count_objections(session: Session, *, version: int | None, status: object) -> int:
    statement = select(func.count()).select_from(Objection)
    if version is not None:
        statement = statement.where(Objection.version_number == version)
    if status is not None:
        statement = statement.where(Objection.status == status)
    return int(session.exec(statement).one())
