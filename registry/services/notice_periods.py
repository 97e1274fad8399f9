"""Notices that follow contracts: which organisations a publication concerns, the days each
is given against the days its contract owes, the go-live gate, and their notices.

`plan` runs before the version is written: it decides who is told (subscribers by
scope, organisations by scope) and refuses a date that cuts a concerned
organisation's period short unless a reason is given. `enqueue_contracts` runs
after: it freezes one `ContractNotice` per concerned organisation and owes one
email per contact, in the same transaction as the version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import String, cast, insert, literal
from sqlmodel import Session, col, select

from registry.enums import OutboxKind, OutboxStatus
from registry.errors import InvalidInput
from registry.models import (
    ContractNotice,
    NoticeScope,
    Organisation,
    OrganisationContact,
    OutboxMessage,
    RegistryVersion,
    Subscriber,
)
from registry.models.base import utcnow
from registry.notices.scopes import Touched, audience, touched
from registry.services.diff import diff_snapshots


class ReasonRequired(InvalidInput):
    """A publication that gives less notice than owed, without the reason it needs (422)."""

    status_code = 422

    def __init__(self, message: str) -> None:
        super().__init__("short_notice_reason", message)


@dataclass(frozen=True)
class Owed:
    """One concerned organisation: the days it is given and the days it is owed."""

    organisation: Organisation
    days_given: int

    @property
    def days_owed(self) -> int:
        return self.organisation.notice_days

    @property
    def cut_short(self) -> bool:
        return self.days_given < self.days_owed


@dataclass(frozen=True)
class Plan:
    """Who a publication is owed to: what its diff touches, the days it gives, and the
    concerned organisations it cuts short (name, days owed)."""

    touch: Touched
    days_given: int
    cut_short: tuple[tuple[str, int], ...]

    def organisations(self) -> Any:
        """The SQL condition an organisation must meet to be concerned."""
        return audience(NoticeScope.organisation_id, Organisation.id, self.touch)

    def subscribers(self) -> Any:
        """The SQL condition a confirmed subscriber must meet to be told."""
        return audience(NoticeScope.subscriber_id, Subscriber.id, self.touch)


def concerned(session: Session, touch: Touched, effective: date, today: date) -> tuple[Owed, ...]:
    """Organisations whose scope the change touches, most days owed first."""
    rows = session.exec(
        select(Organisation)
        .where(audience(NoticeScope.organisation_id, Organisation.id, touch))
        .order_by(col(Organisation.notice_days).desc(), col(Organisation.name))
    ).all()
    given = (effective - today).days
    return tuple(Owed(o, given) for o in rows)


def plan(
    session: Session,
    previous: dict[str, Any] | None,
    snapshot: dict[str, Any],
    *,
    effective: date,
    today: date,
    short_notice_reason: str,
    require_reason: bool,
) -> Plan:
    """Who is told of publishing `snapshot` now; refuses an unexplained cut-short date."""
    touch = touched(diff_snapshots(previous, snapshot))
    given = (effective - today).days
    concerned_ = audience(NoticeScope.organisation_id, Organisation.id, touch)
    cut = tuple(
        session.exec(
            select(Organisation.name, Organisation.notice_days)
            .where(concerned_, Organisation.notice_days > given)
            .order_by(col(Organisation.notice_days).desc(), col(Organisation.name))
        ).all()
    )
    if require_reason and cut and not short_notice_reason.strip():
        names = ", ".join(f"{name} ({days})" for name, days in cut[:5])
        more = f" and {len(cut) - 5} more" if len(cut) > 5 else ""
        raise ReasonRequired(
            f"an effective date {given} days away cuts short the notice period "
            f"(days) of {names}{more}: a written reason is needed",
        )
    return Plan(touch, given, cut)


def preview(session: Session, effective: date, today: date) -> tuple[Owed, ...]:
    """Before publishing the draft: the organisations it concerns, and their days."""
    from registry.services.versions import draft_diff

    return concerned(session, touched(draft_diff(session)), effective, today)


def owed_out(session: Session, owed: tuple[Owed, ...]) -> list[dict[str, Any]]:
    """As the API and the admin show them: name, days given and owed, contacts."""
    ids = [o.organisation.id for o in owed]
    contacts: dict[int, list[str]] = {}
    for organisation_id, email in session.exec(
        select(OrganisationContact.organisation_id, OrganisationContact.email)
        .where(col(OrganisationContact.organisation_id).in_(ids))
        .order_by(col(OrganisationContact.id))
    ):
        contacts.setdefault(organisation_id, []).append(email)
    return [
        {
            "id": o.organisation.id,
            "name": o.organisation.name,
            "days_given": o.days_given,
            "days_owed": o.days_owed,
            "cut_short": o.cut_short,
            "lang": o.organisation.lang,
            "contacts": contacts.get(o.organisation.id or 0, []),
        }
        for o in owed
    ]


def enqueue_contracts(session: Session, version: RegistryVersion, result: Plan) -> None:
    """Freeze what each concerned organisation is owed; owe one email per contact (SQL)."""
    now = utcnow()
    given = literal(result.days_given)
    frozen = select(  # type: ignore[call-overload]
        literal(version.number),
        Organisation.id,
        Organisation.name,
        Organisation.lang,
        Organisation.notice_days,
        given,
        Organisation.objection_days,
        Organisation.notice_days > given,
        literal(now, type_=ContractNotice.__table__.c.created_at.type),  # type: ignore[attr-defined]
    ).where(result.organisations())
    names = ["version_number", "organisation_id", "organisation_name", "lang", "days_owed"]
    names += ["days_given", "objection_days", "cut_short", "created_at"]
    session.execute(insert(ContractNotice).from_select(names, frozen))
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    key = (
        literal(f"contract:{version.number}:")
        + cast(OrganisationContact.organisation_id, String)
        + literal(":")
        + cast(OrganisationContact.id, String)
    )
    rows = (
        select(  # type: ignore[call-overload]
            literal(OutboxKind.CONTRACT.value),
            key,
            OrganisationContact.email,
            ContractNotice.lang,
            literal(version.number),
            literal(OutboxStatus.PENDING.value),
            literal(0),
            literal(now, type_=table.c.next_attempt_at.type),
            literal(now, type_=table.c.created_at.type),
            literal(""),
            literal(""),
            literal(""),
        )
        .join(
            ContractNotice,
            col(ContractNotice.organisation_id) == col(OrganisationContact.organisation_id),
        )
        .where(ContractNotice.version_number == version.number)
    )
    names = ["kind", "dedupe_key", "recipient", "lang", "version_number", "status", "attempts"]
    names += ["next_attempt_at", "created_at", "last_error", "message_id", "response"]
    session.execute(insert(table).from_select(names, rows))


def contract_notices(session: Session, number: int) -> list[ContractNotice]:
    return list(
        session.exec(
            select(ContractNotice)
            .where(ContractNotice.version_number == number)
            .order_by(col(ContractNotice.days_owed).desc(), col(ContractNotice.organisation_name))
        )
    )


def contract_evidence(session: Session, number: int) -> list[dict[str, Any]]:
    """Per organisation the publication concerned: days owed and given, whether the date cut
    them short, and who was told when (from the outbox: the server's answer, Message-ID)."""
    messages: dict[str, list[OutboxMessage]] = {}  # by organisation id (in the dedupe key)
    for message in session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.version_number == number,
            OutboxMessage.kind == OutboxKind.CONTRACT,
        )
        .order_by(col(OutboxMessage.id))
    ):
        messages.setdefault(message.dedupe_key.split(":")[2], []).append(message)
    out = []
    for notice in contract_notices(session, number):
        told = [
            {
                "to": m.recipient,
                "lang": m.lang,
                "status": str(m.status),
                "attempts": m.attempts,
                "queued_at": m.created_at.isoformat(),
                "accepted_at": m.sent_at.isoformat() if m.sent_at else None,
                "message_id": m.message_id,
                "server_response": m.response,
                "last_error": m.last_error,
            }
            for m in messages.get(str(notice.organisation_id), [])
        ]
        out.append(
            {
                "organisation": notice.organisation_name,
                "organisation_id": notice.organisation_id,
                "days_owed": notice.days_owed,
                "days_given": notice.days_given,
                "objection_days": notice.objection_days,
                "cut_short": notice.cut_short,
                "lang": notice.lang,
                "contacts": [t["to"] for t in told],
                "told": told,
            }
        )
    return out
