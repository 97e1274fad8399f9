"""The outbox (registry/notices/outbox.py) on a real database: what a publication owes and to
whom, which messages a worker claims and for how long, how results and retries are written,
and the admin's view of a publication's deliveries."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, literal, update
from sqlmodel import Session, col, select

from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus, WebhookStatus
from registry.errors import NotFound
from registry.models import OutboxMessage, RegistryVersion, Subscriber, WebhookEndpoint
from registry.models.base import utcnow
from registry.notices.outbox import (
    ERROR_LIMIT,
    MAX_BACKOFF_SECONDS,
    Result,
    backoff,
    claim,
    delivery_status,
    enqueue_message,
    enqueue_publication,
    message_out,
    record,
    release,
    retry_now,
)

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
KEYS = itertools.count()


@pytest.fixture
def session(engine: Any) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def _subscriber(session: Session, email: str, status: SubscriberStatus, lang: str = "en") -> int:
    row = Subscriber(public_id=email.split("@")[0], email=email, lang=lang, status=status)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _hook(session: Session, url: str, status: WebhookStatus = WebhookStatus.ACTIVE) -> int:
    row = WebhookEndpoint(url=url, secret="s" * 32, status=status)
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def _messages(session: Session, count: int, **fields: Any) -> list[OutboxMessage]:
    made = []
    for n in range(count):
        values = {"kind": OutboxKind.MESSAGE, "recipient": f"p{n}@example.com"} | fields
        message = OutboxMessage(dedupe_key=f"test:{next(KEYS)}", **values)
        session.add(message)
        made.append(message)
    session.flush()
    return made


def _version(session: Session) -> RegistryVersion:
    version = session.get(RegistryVersion, 1)
    assert version is not None
    return version


def test_a_publication_owes_each_confirmed_subscriber_and_active_webhook_one_message(
    session: Session,
) -> None:
    ana = _subscriber(session, "ana@example.com", SubscriberStatus.CONFIRMED, "ko")
    bob = _subscriber(session, "bob@example.com", SubscriberStatus.CONFIRMED)
    _subscriber(session, "pending@example.com", SubscriberStatus.PENDING)
    _subscriber(session, "gone@example.com", SubscriberStatus.UNSUBSCRIBED)
    hook = _hook(session, "https://hooks.example.com/a")
    _hook(session, "https://hooks.example.com/off", WebhookStatus.DISABLED)
    before = utcnow()
    enqueue_publication(session, _version(session))
    rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.dedupe_key))).all()
    assert [(r.kind, r.dedupe_key, r.recipient, r.lang) for r in rows] == [
        (OutboxKind.NOTICE, f"notice:1:{ana}", "ana@example.com", "ko"),
        (OutboxKind.NOTICE, f"notice:1:{bob}", "bob@example.com", "en"),
        (OutboxKind.WEBHOOK, f"webhook:1:{hook}", "https://hooks.example.com/a", "en"),
    ]
    assert [(r.subscriber_id, r.webhook_id) for r in rows] == [
        (ana, None),
        (bob, None),
        (None, hook),
    ]
    for row in rows:
        assert (row.version_number, row.status, row.attempts) == (1, OutboxStatus.PENDING, 0)
        assert (row.last_error, row.message_id, row.response) == ("", "", "")
        assert before <= row.next_attempt_at <= utcnow() and row.created_at == row.next_attempt_at


def test_an_audience_narrows_the_notices_not_the_webhooks(session: Session) -> None:
    _subscriber(session, "ana@example.com", SubscriberStatus.CONFIRMED, "ko")
    _subscriber(session, "bob@example.com", SubscriberStatus.CONFIRMED)
    _hook(session, "https://hooks.example.com/a")
    enqueue_publication(session, _version(session), audience=Subscriber.lang == literal("ko"))
    rows = session.exec(select(OutboxMessage)).all()
    assert sorted(r.recipient for r in rows) == ["ana@example.com", "https://hooks.example.com/a"]


def test_a_one_off_message_is_owed_once_under_its_key(session: Session) -> None:
    message = enqueue_message(
        session,
        to="c@example.com",
        lang="ko",
        subject="S",
        text="T",
        html="<p>H</p>",
        key="k" * 200,
    )
    assert message.id is not None  # flushed: it exists in this transaction
    assert message.kind == OutboxKind.MESSAGE and message.dedupe_key == ("message:" + "k" * 112)
    assert (message.recipient, message.lang, message.subject) == ("c@example.com", "ko", "S")
    assert (message.body_text, message.body_html) == ("T", "<p>H</p>")
    assert message.status == OutboxStatus.PENDING and message.version_number is None


def test_claim_takes_what_is_due_in_order_up_to_the_limit_with_a_lease(session: Session) -> None:
    due = _messages(session, 3, next_attempt_at=NOW)  # due exactly now counts
    later = _messages(session, 1, next_attempt_at=NOW + timedelta(seconds=1))
    claimed = claim(session, worker="w" * 200, limit=2, lease_seconds=90, now=NOW)
    assert [m.id for m in claimed] == [due[0].id, due[1].id]
    for message in claimed:
        session.refresh(message)
        assert message.status == OutboxStatus.SENDING and message.attempts == 1
        assert message.claimed_by == "w" * 120 and message.claimed_at == NOW
        assert message.lease_until == NOW + timedelta(seconds=90)
        assert message.claim_token and len(message.claim_token) == 32
    assert len({m.claim_token for m in claimed}) == 1
    rest = claim(session, worker="w2", limit=10, lease_seconds=90, now=NOW)
    assert [m.id for m in rest] == [due[2].id]  # not the one due later, not those held
    assert rest[0].claim_token != claimed[0].claim_token
    session.refresh(later[0])
    assert later[0].status == OutboxStatus.PENDING and later[0].attempts == 0


def test_a_lease_that_ran_out_is_claimed_again_one_that_has_not_is_left(session: Session) -> None:
    held = _messages(session, 2, next_attempt_at=NOW - timedelta(hours=1))
    claim(session, worker="first", limit=2, lease_seconds=60, now=NOW)
    assert claim(session, worker="second", limit=5, lease_seconds=60, now=NOW) == []
    at_expiry = NOW + timedelta(seconds=60)
    assert claim(session, worker="second", limit=5, lease_seconds=60, now=at_expiry) == []
    after = claim(
        session, worker="second", limit=5, lease_seconds=60, now=at_expiry.replace(microsecond=1)
    )
    assert [m.id for m in after] == [m.id for m in held]
    session.expire_all()
    assert all(m.attempts == 2 and m.claimed_by == "second" for m in after)
    for status in (OutboxStatus.SENT, OutboxStatus.FAILED):
        old = NOW - timedelta(days=1)
        _messages(session, 1, status=status, next_attempt_at=old, lease_until=old)
    # Sent and failed messages are never due, however old, even with a lease on record (the
    # others are under lease).
    assert claim(session, worker="third", limit=5, lease_seconds=60, now=at_expiry) == []


def test_backoff_doubles_from_the_base_up_to_a_day() -> None:
    assert backoff(0, 30) == timedelta(seconds=30)
    assert backoff(1, 30) == timedelta(seconds=30)
    assert backoff(2, 30) == timedelta(seconds=60)
    assert backoff(5, 30) == timedelta(seconds=480)
    assert backoff(40, 30) == timedelta(seconds=MAX_BACKOFF_SECONDS) == timedelta(days=1)


def _taken_by_another_claim(session: Session, message: OutboxMessage, token: str) -> None:
    """The row's claim changes in the database; this worker's copy keeps its own token."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message.id)
        .values(claim_token=token)
        .execution_options(synchronize_session=False)
    )


def _claimed(session: Session, count: int, **fields: Any) -> list[OutboxMessage]:
    _messages(session, count, next_attempt_at=NOW, **fields)
    return claim(session, worker="w", limit=count, lease_seconds=60, now=NOW)


def test_results_are_written_where_the_claim_still_holds(session: Session) -> None:
    sent, retry, final, spent, stale = _claimed(session, 5, last_error="earlier failure")
    for message in (spent,):
        message.attempts = 3  # this was its third attempt
    _taken_by_another_claim(session, stale, "0" * 32)
    before = utcnow()
    record(
        session,
        [
            Result(sent, ok=True, message_id="<id@x>", response="250 " + "r" * 3000),
            Result(retry, ok=False, error="421 busy " + "e" * 3000),
            Result(final, ok=False, error="550 no such user", final=True),
            Result(spent, ok=False, error="421 still busy"),
            Result(stale, ok=True, message_id="<late@x>"),
        ],
        max_attempts=3,
        retry_base=10,
    )
    after = utcnow()
    for message in (sent, retry, final, spent, stale):
        session.refresh(message)
    assert sent.status == OutboxStatus.SENT and sent.message_id == "<id@x>"
    assert sent.sent_at is not None and before <= sent.sent_at <= after
    assert sent.response == ("250 " + "r" * 3000)[:ERROR_LIMIT] and len(sent.response) == 2000
    assert sent.last_error == "earlier failure"  # a success keeps why the last try failed
    assert sent.claim_token is None and sent.lease_until is None
    assert retry.status == OutboxStatus.PENDING and retry.sent_at is None
    assert retry.last_error == ("421 busy " + "e" * 3000)[:2000]
    assert before + timedelta(seconds=10) <= retry.next_attempt_at <= after + timedelta(seconds=10)
    assert final.status == OutboxStatus.FAILED and final.last_error == "550 no such user"
    assert spent.status == OutboxStatus.FAILED  # attempts reached max_attempts
    assert stale.status == OutboxStatus.SENDING and stale.message_id == ""
    assert stale.claim_token == "0" * 32


def test_a_retry_waits_twice_as_long_after_each_attempt(session: Session) -> None:
    (message,) = _claimed(session, 1)
    message.attempts = 3
    before = utcnow()
    record(session, [Result(message, ok=False, error="x")], max_attempts=9, retry_base=10)
    session.refresh(message)
    assert before + timedelta(seconds=40) <= message.next_attempt_at
    assert message.next_attempt_at <= utcnow() + timedelta(seconds=40)
    record(session, [], max_attempts=9, retry_base=10)  # nothing to write: nothing happens


def test_released_messages_go_back_without_counting_an_attempt(session: Session) -> None:
    first, second = _claimed(session, 2)
    _taken_by_another_claim(session, second, "f" * 32)
    release(session, [first, second])
    session.refresh(first)
    session.refresh(second)
    assert first.status == OutboxStatus.PENDING and first.attempts == 0
    assert first.claim_token is None and first.lease_until is None
    assert second.status == OutboxStatus.SENDING and second.attempts == 1
    assert second.claim_token == "f" * 32


def test_the_admins_view_of_a_publications_deliveries(session: Session) -> None:
    rows = _messages(session, 2, version_number=1, kind=OutboxKind.NOTICE)
    rows += _messages(session, 1, version_number=1, kind=OutboxKind.WEBHOOK)
    rows += _messages(session, 1, version_number=1, kind=OutboxKind.NOTICE, sent_at=NOW)
    rows[0].status = OutboxStatus.FAILED
    rows[0].last_error = "550"
    rows[3].status = OutboxStatus.SENT
    rows += _messages(session, 1, version_number=1, kind=OutboxKind.NOTICE)
    rows[4].status = OutboxStatus.FAILED
    _messages(session, 1, version_number=None)  # not this publication's
    session.flush()
    view = delivery_status(session, 1)
    assert view["version"] == 1
    assert view["counts"] == {"pending": 2, "sending": 0, "sent": 1, "failed": 2}
    assert view["by_kind"] == {
        "notice": {"failed": 2, "pending": 1, "sent": 1},
        "webhook": {"pending": 1},
    }
    # Not sent, ordered by status (failed before pending) then by id.
    unsent = [rows[0].id, rows[4].id, rows[1].id, rows[2].id]
    assert [m["id"] for m in view["unsent"]] == unsent
    assert view["unsent"][0] == message_out(rows[0])
    assert message_out(rows[0]) == {
        "id": rows[0].id,
        "kind": "notice",
        "recipient": rows[0].recipient,
        "status": "failed",
        "attempts": 0,
        "next_attempt_at": rows[0].next_attempt_at.isoformat(),
        "last_error": "550",
        "sent_at": None,
    }
    assert message_out(rows[3])["sent_at"] == NOW.isoformat()
    page = delivery_status(session, 1, limit=1, offset=1)["unsent"]
    assert [m["id"] for m in page] == [rows[4].id]
    with pytest.raises(NotFound, match=r"^Version 5 does not exist$"):
        delivery_status(session, 5)


def test_the_admins_view_lists_200_unsent_messages_unless_asked_for_more(
    session: Session,
) -> None:
    _messages(session, 201, version_number=1)
    assert len(delivery_status(session, 1)["unsent"]) == 200
    assert len(delivery_status(session, 1, limit=500)["unsent"]) == 201


def test_releasing_one_message_leaves_the_rest_of_its_claim(session: Session) -> None:
    first, second = _claimed(session, 2)  # one claim: the same token
    release(session, [first])
    session.expire_all()
    assert (first.status, second.status) == (OutboxStatus.PENDING, OutboxStatus.SENDING)
    assert second.attempts == 1 and second.claim_token is not None


def test_retry_now_makes_failed_and_waiting_messages_due_with_attempts_reset(
    session: Session,
) -> None:
    later = NOW + timedelta(days=2)
    failed, waiting, sent = _messages(session, 3, version_number=1, next_attempt_at=later)
    other = _messages(session, 1, version_number=None, next_attempt_at=later)[0]
    failed.status, failed.attempts = OutboxStatus.FAILED, 5
    waiting.attempts = 2
    sent.status = OutboxStatus.SENT
    session.flush()
    before = utcnow()
    assert retry_now(session, 1) == 2
    for message in (failed, waiting, sent, other):
        session.refresh(message)
    for message in (failed, waiting):
        assert message.status == OutboxStatus.PENDING and message.attempts == 0
        assert before <= message.next_attempt_at <= utcnow()
    assert sent.status == OutboxStatus.SENT and sent.next_attempt_at == later
    assert other.next_attempt_at == later
    assert retry_now(session, 1) == 2  # again: both are still waiting
    sent_only = session.exec(select(OutboxMessage).where(OutboxMessage.status != "sent")).all()
    for message in sent_only:
        message.status = OutboxStatus.SENT
    session.flush()
    assert retry_now(session, 1) == 0  # nothing to retry
    with pytest.raises(NotFound, match=r"^Version 5 does not exist$"):
        retry_now(session, 5)
    assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 4
