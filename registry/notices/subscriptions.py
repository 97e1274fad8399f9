"""Subscribing with double opt-in, confirming, leaving; and the admin's view of subscribers.

Rate limits, and why they live where they do:
- per address, on the subscriber row (durable, shared by every process): at most
  `CONFIRMATIONS_PER_DAY` confirmation emails a day, so nobody can use the form
  to flood someone else's inbox. Past the limit the answer is the same; no mail.
- per client IP, in memory (`RateWindow`): a sliding hour per process. It only
  has to blunt a flood from one client, so a count that restarts with the
  process (and is per process) is enough, and costs no write per request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from datetime import datetime, timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from registry.addresses import ADDRESS_RE
from registry.enums import OutboxKind, SubscriberStatus
from registry.errors import InvalidInput, NotFound
from registry.i18n import LANGUAGES
from registry.models import OutboxMessage, Subscriber
from registry.models.base import utcnow
from registry.notices import tokens

CONFIRMATIONS_PER_DAY = 3
CONFIRM_LINK_DAYS = 14
# ASCII addresses only: the notices go out without SMTPUTF8 (one rule: addresses.py).
EMAIL_RE = ADDRESS_RE


def normalise_email(raw: str) -> str:
    email = (raw or "").strip()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise InvalidInput("email", "is not an email address")
    return email.lower()


def subscribe(
    session: Session, *, email: str, lang: str, organisation: str = "", now: datetime | None = None
) -> None:
    """Ask `email` to confirm; the caller answers the same whatever happens here."""
    now = now or utcnow()
    email = normalise_email(email)
    lang = lang if lang in LANGUAGES else "en"
    subscriber = session.exec(select(Subscriber).where(Subscriber.email == email)).first()
    if subscriber is None:
        subscriber = Subscriber(
            public_id=tokens.new_public_id(),
            email=email,
            lang=lang,
            organisation=organisation[:200],
            confirm_nonce=tokens.new_nonce(),
        )
        session.add(subscriber)
        session.flush()
    elif subscriber.status == SubscriberStatus.CONFIRMED:
        return  # already receiving notices: nothing to ask
    elif subscriber.status == SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.PENDING
        subscriber.confirm_nonce = tokens.new_nonce()
        subscriber.lang = lang
    if not _may_send_confirmation(subscriber, now):
        return
    enqueue_confirmation(session, subscriber, now)


def _may_send_confirmation(subscriber: Subscriber, now: datetime) -> bool:
    last = subscriber.confirmation_sent_at
    if last is None or now - last > timedelta(days=1):
        subscriber.confirmations_in_window = 0
    if subscriber.confirmations_in_window >= CONFIRMATIONS_PER_DAY:
        return False
    subscriber.confirmations_in_window += 1
    subscriber.confirmation_sent_at = now
    return True


def enqueue_confirmation(session: Session, subscriber: Subscriber, now: datetime) -> None:
    session.add(
        OutboxMessage(
            kind=OutboxKind.CONFIRMATION,
            dedupe_key=f"confirm:{subscriber.public_id}:{tokens.new_nonce()}",
            recipient=subscriber.email,
            lang=subscriber.lang,
            subscriber_id=subscriber.id,
            next_attempt_at=now,
        )
    )


def _by_public_id(session: Session, public_id: str) -> Subscriber:
    subscriber = session.exec(select(Subscriber).where(Subscriber.public_id == public_id)).first()
    if subscriber is None:
        raise NotFound("This link is not valid")
    return subscriber


def confirm(session: Session, token: str, secret_key: str) -> Subscriber:
    """Follow the emailed link: the address is confirmed (again following it changes nothing)."""
    subscriber = _by_public_id(session, tokens.public_id_of(token))
    if subscriber.status == SubscriberStatus.CONFIRMED:
        tokens.check_token(secret_key, tokens.CONFIRM, token, subscriber.confirm_nonce)
        return subscriber
    tokens.check_token(secret_key, tokens.CONFIRM, token, subscriber.confirm_nonce)
    sent = subscriber.confirmation_sent_at
    if subscriber.status != SubscriberStatus.PENDING or (
        sent is not None and utcnow() - sent > timedelta(days=CONFIRM_LINK_DAYS)
    ):
        raise NotFound("This confirmation link has expired; subscribe again")
    subscriber.status = SubscriberStatus.CONFIRMED
    subscriber.confirmed_at = utcnow()
    return subscriber


def by_manage_token(session: Session, token: str, secret_key: str) -> Subscriber:
    """The subscriber a manage/unsubscribe link names (reading changes nothing)."""
    public_id = tokens.check_token(secret_key, tokens.MANAGE, token)
    return _by_public_id(session, public_id)


def unsubscribe(session: Session, token: str, secret_key: str) -> Subscriber:
    subscriber = by_manage_token(session, token, secret_key)
    if subscriber.status != SubscriberStatus.UNSUBSCRIBED:
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = utcnow()
    return subscriber


def set_language(session: Session, token: str, secret_key: str, lang: str) -> Subscriber:
    if lang not in LANGUAGES:
        raise InvalidInput("lang", f"must be one of {', '.join(LANGUAGES)}")
    subscriber = by_manage_token(session, token, secret_key)
    subscriber.lang = lang
    return subscriber


# The admin's view -----------------------------------------------------------


def _filtered(query: str, status: SubscriberStatus | None) -> list[object]:
    conditions: list[object] = []
    if query:
        pattern = f"%{query.strip().lower()}%"
        conditions.append(
            or_(col(Subscriber.email).like(pattern), col(Subscriber.organisation).ilike(pattern))
        )
    if status is not None:
        conditions.append(Subscriber.status == status)
    return conditions


def list_subscribers(
    session: Session,
    *,
    query: str = "",
    status: SubscriberStatus | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[int, list[Subscriber]]:
    """(how many match, one page of them, newest first): filtered and paged in SQL."""
    conditions = _filtered(query, status)
    total = session.exec(
        select(func.count()).select_from(Subscriber).where(*conditions)  # type: ignore[arg-type]
    ).one()
    rows = session.exec(
        select(Subscriber)
        .where(*conditions)  # type: ignore[arg-type]
        .order_by(col(Subscriber.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total), list(rows)


def count_subscribers(session: Session) -> dict[str, int]:
    """{status: count} for every status, zeros included."""
    rows = session.exec(
        select(Subscriber.status, func.count()).group_by(Subscriber.status)  # type: ignore[call-overload]
    ).all()
    counts = {status.value: 0 for status in SubscriberStatus}
    counts.update({str(SubscriberStatus(status).value): int(n) for status, n in rows})
    return counts


def remove_subscriber(session: Session, subscriber_id: int) -> None:
    """Forget an address entirely; messages still owed to it are dropped with it."""
    subscriber = session.get(Subscriber, subscriber_id)
    if subscriber is None:
        raise NotFound(f"Subscriber {subscriber_id} does not exist")
    pending = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.subscriber_id == subscriber_id, col(OutboxMessage.sent_at).is_(None)
        )
    ).all()
    for message in pending:
        session.delete(message)
    session.delete(subscriber)


class RateWindow:
    """At most `limit` events per key in a sliding `seconds` window (in memory, one process)."""

    def __init__(self, limit: int, seconds: float = 3600.0, max_keys: int = 10_000) -> None:
        self.limit, self.seconds, self.max_keys = limit, seconds, max_keys
        self._events: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self._lock:
            events = self._events.setdefault(key, deque())
            self._events.move_to_end(key)
            while events and now - events[0] > self.seconds:
                events.popleft()
            if len(events) >= self.limit:
                return False
            events.append(now)
            while len(self._events) > self.max_keys:
                self._events.popitem(last=False)
            return True
