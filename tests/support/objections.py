"""What the focused tests of registry/services/objections.py share (tests/test_objection_*.py):
the seeded database in one transaction, an upcoming version open to objections, and
helpers that submit objections and read back what was written."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from registry.enums import ObjectionStatus
from registry.models import (
    ChangeRecord,
    Company,
    Objection,
    OutboxMessage,
    RegistryVersion,
)
from registry.services import objections
from registry.services.objection_mail import Mailer
from registry.services.objections import Submitted
from registry.services.versions import publish, today
from registry.templating import build_environment

SECRET = "objection-test-secret"
ACTOR = "legal@example.com"
EMAIL = "dpo@customer.example"
REASON = "We do not accept transfers to this provider."
BASE_URL = "https://registry.example"
DAY = timedelta(days=1)
PENDING = ObjectionStatus.PENDING_CONFIRMATION


@pytest.fixture(scope="module")
def mailer() -> Mailer:
    return Mailer(build_environment(), BASE_URL)


@pytest.fixture
def session(engine: Any) -> Iterator[Session]:
    """The seeded database (version 1, in force), in one transaction."""
    with Session(engine) as session:
        yield session


def publish_upcoming(session: Session, days: int = 30) -> RegistryVersion:
    """An upcoming version, taking effect in `days` days."""
    return publish(
        session,
        summary="A change",
        effective_at=today() + days * DAY,
        notice_days=30,
        actor=ACTOR,
        allow_empty=True,
    )


@pytest.fixture
def upcoming(session: Session) -> int:
    """Version 2, published today and taking effect in 30 days: open to objections."""
    return publish_upcoming(session).number


def submit(session: Session, number: int, **fields: Any) -> Submitted:
    options: dict[str, Any] = {
        "secret": SECRET,
        "version_number": number,
        "reason": REASON,
        "contact_email": EMAIL,
    } | fields
    return objections.submit(session, **options)


def open_objection(session: Session, number: int, email: str = EMAIL, **fields: Any) -> Objection:
    """An objection made from a notice link: open at once."""
    token = objections.notice_token(SECRET, number, email)
    return submit(session, number, contact_email=email, token=token, **fields).objection


def records_of(session: Session, reference: str) -> list[ChangeRecord]:
    return list(
        session.exec(
            select(ChangeRecord)
            .where(ChangeRecord.object_key == reference)
            .where(col(ChangeRecord.object_type).in_(["objection", "objection_entry"]))
            .order_by(col(ChangeRecord.id))
        )
    )


def objection_messages(session: Session) -> list[OutboxMessage]:
    return list(
        session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.dedupe_key).startswith("message:objection:"))
            .order_by(col(OutboxMessage.id))
        )
    )


def count_objections(session: Session) -> int:
    return len(session.exec(select(Objection)).all())


def company_name(session: Session) -> str:
    company = session.get(Company, 1)
    assert company is not None
    return company.name


def between(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment <= end
