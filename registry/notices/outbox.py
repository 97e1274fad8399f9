"""The outbox: writing owed messages with the publication, claiming them, recording results.

Claiming is one conditional UPDATE: rows that are due (pending and past their
`next_attempt_at`, or `sending` with an expired lease, i.e. held by a worker
that died) get this claim's token. On PostgreSQL the inner SELECT takes
`FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows without
waiting; on SQLite the write transaction holds the database lock from BEGIN
IMMEDIATE, so two claims never overlap. Results are recorded only where the
claim token still matches, so a worker whose lease ran out cannot overwrite a
newer claim.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, func, insert, literal, or_, update
from sqlmodel import Session, col, select

from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus, WebhookStatus
from registry.errors import NotFound
from registry.models import OutboxMessage, RegistryVersion, Subscriber, WebhookEndpoint
from registry.models.base import utcnow

MAX_BACKOFF_SECONDS = 86_400.0
ERROR_LIMIT = 2000


def enqueue_publication(session: Session, version: RegistryVersion, audience: Any = None) -> None:
    """One notice per confirmed subscriber (meeting `audience`, the SQL condition of their
    scopes, where given) and one delivery per active webhook, in SQL."""
    now = utcnow()
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    common = {
        "version_number": literal(version.number),
        "status": literal(OutboxStatus.PENDING.value),
        "attempts": literal(0),
        "next_attempt_at": literal(now, type_=table.c.next_attempt_at.type),
        "created_at": literal(now, type_=table.c.created_at.type),
        "last_error": literal(""),
        "message_id": literal(""),
        "response": literal(""),
    }
    notices = select(  # type: ignore[call-overload]
        literal(OutboxKind.NOTICE.value),
        literal(f"notice:{version.number}:") + cast(Subscriber.id, String),
        Subscriber.email,
        Subscriber.lang,
        Subscriber.id,
        *common.values(),
    ).where(
        Subscriber.status == SubscriberStatus.CONFIRMED,
        *([audience] if audience is not None else []),
    )
    names = ["kind", "dedupe_key", "recipient", "lang", "subscriber_id"]
    names += list(common)
    session.execute(insert(table).from_select(names, notices))
    hooks = select(  # type: ignore[call-overload]
        literal(OutboxKind.WEBHOOK.value),
        literal(f"webhook:{version.number}:") + cast(WebhookEndpoint.id, String),
        WebhookEndpoint.url,
        literal("en"),
        WebhookEndpoint.id,
        *common.values(),
    ).where(WebhookEndpoint.status == WebhookStatus.ACTIVE)
    names = ["kind", "dedupe_key", "recipient", "lang", "webhook_id"]
    names += list(common)
    session.execute(insert(table).from_select(names, hooks))


def enqueue_message(
    session: Session, *, to: str, lang: str, subject: str, text: str, html: str, key: str
) -> OutboxMessage:
    """A one-off email (an objection's confirmation, acknowledgement or reply), sent by the
    worker after this transaction commits; `key` makes it owed once."""
    message = OutboxMessage(
        kind=OutboxKind.MESSAGE,
        dedupe_key=f"message:{key}"[:120],
        recipient=to,
        lang=lang,
        subject=subject,
        body_text=text,
        body_html=html,
    )
    session.add(message)
    session.flush()
    return message


def claim(
    session: Session, *, worker: str, limit: int, lease_seconds: float, now: datetime | None = None
) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this worker, with a lease."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    due = or_(
        and_(
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.next_attempt_at) <= now,
        ),
        and_(
            col(OutboxMessage.status) == OutboxStatus.SENDING,
            col(OutboxMessage.lease_until) < now,
        ),
    )
    # A materialised CTE: as a plain `IN (subquery)` PostgreSQL may run the
    # subquery once per row it scans, and the LIMIT no longer bounds the claim.
    ids = (
        select(OutboxMessage.id)
        .where(due)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(select(ids.c.id)), due)
        .values(
            status=OutboxStatus.SENDING,
            claim_token=token,
            claimed_by=worker[:120],
            claimed_at=now,
            lease_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.claim_token == token)
        .order_by(col(OutboxMessage.id))
    ).all()
    return list(rows)


@dataclass
class Result:
    """What happened to one claimed message."""

    message: OutboxMessage
    ok: bool
    message_id: str = ""
    response: str = ""
    error: str = ""
    final: bool = False  # a failure that retrying cannot mend
    handed: Any = None  # registry.notices.keep.Handed: the bytes as sent, kept as evidence


def backoff(attempts: int, base_seconds: float) -> timedelta:
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def record(
    session: Session, results: list[Result], *, max_attempts: int, retry_base: float
) -> None:
    """Write each result, where this worker's claim still holds."""
    now = utcnow()
    table = OutboxMessage.__table__  # type: ignore[attr-defined]
    params: list[dict[str, Any]] = []
    for result in results:
        message = result.message
        failed = not result.ok and (result.final or message.attempts >= max_attempts)
        params.append(
            {
                "b_id": message.id,
                "b_token": message.claim_token,
                "b_status": (
                    OutboxStatus.SENT
                    if result.ok
                    else OutboxStatus.FAILED
                    if failed
                    else OutboxStatus.PENDING
                ).value,
                "b_sent_at": now if result.ok else None,
                "b_next": now + backoff(message.attempts, retry_base),
                "b_error": result.error[:ERROR_LIMIT],
                "b_message_id": result.message_id,
                "b_response": result.response[:ERROR_LIMIT],
            }
        )
    if not params:
        return
    statement = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.claim_token == bindparam("b_token"))
        .values(
            status=bindparam("b_status"),
            sent_at=bindparam("b_sent_at"),
            next_attempt_at=bindparam("b_next"),
            # A success keeps the reason of the failure before it, for the record.
            last_error=func.coalesce(
                func.nullif(bindparam("b_error", type_=String), ""), table.c.last_error
            ),
            message_id=bindparam("b_message_id"),
            response=bindparam("b_response"),
            claim_token=None,
            lease_until=None,
        )
    )
    session.connection().execute(statement, params)


def release(session: Session, messages: list[OutboxMessage]) -> None:
    """Hand back claimed messages not attempted (the batch ran long), counting no attempt."""
    for message in messages:
        session.execute(
            update(OutboxMessage)
            .where(
                col(OutboxMessage.id) == message.id,
                col(OutboxMessage.claim_token) == message.claim_token,
            )
            .values(
                status=OutboxStatus.PENDING,
                attempts=OutboxMessage.attempts - 1,
                claim_token=None,
                lease_until=None,
            )
            .execution_options(synchronize_session=False)
        )


# The admin's view -----------------------------------------------------------


def delivery_status(
    session: Session, version_number: int, *, limit: int = 200, offset: int = 0
) -> dict[str, Any]:
    """Per publication: counts by status and kind, and the messages not yet sent."""
    if session.get(RegistryVersion, version_number) is None:
        raise NotFound(f"Version {version_number} does not exist")
    counts = {status.value: 0 for status in OutboxStatus}
    by_kind: dict[str, dict[str, int]] = {}
    rows = session.exec(
        select(OutboxMessage.kind, OutboxMessage.status, func.count())  # type: ignore[call-overload]
        .where(OutboxMessage.version_number == version_number)
        .group_by(OutboxMessage.kind, OutboxMessage.status)
    ).all()
    for kind, status, n in rows:
        counts[OutboxStatus(status).value] += int(n)
        by_kind.setdefault(OutboxKind(kind).value, {})[OutboxStatus(status).value] = int(n)
    unsent = session.exec(
        select(OutboxMessage)
        .where(
            OutboxMessage.version_number == version_number,
            OutboxMessage.status != OutboxStatus.SENT,
        )
        .order_by(col(OutboxMessage.status), col(OutboxMessage.id))
        .limit(limit)
        .offset(offset)
    ).all()
    return {
        "version": version_number,
        "counts": counts,
        "by_kind": by_kind,
        "unsent": [message_out(m) for m in unsent],
    }


def message_out(message: OutboxMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "kind": OutboxKind(message.kind).value,
        "recipient": message.recipient,
        "status": OutboxStatus(message.status).value,
        "attempts": message.attempts,
        "next_attempt_at": message.next_attempt_at.isoformat(),
        "last_error": message.last_error,
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
    }


def retry_now(session: Session, version_number: int) -> int:
    """Make the publication's failed and waiting messages due now; returns how many."""
    if session.get(RegistryVersion, version_number) is None:
        raise NotFound(f"Version {version_number} does not exist")
    result = session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.version_number) == version_number,
            col(OutboxMessage.status).in_([OutboxStatus.FAILED, OutboxStatus.PENDING]),
        )
        .values(status=OutboxStatus.PENDING, next_attempt_at=utcnow(), attempts=0)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
