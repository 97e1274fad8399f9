"""Throttling sign-in guesses without handing anyone a lock-out weapon.

- Per (account, client address): `max_failures` wrong passwords are free; after
  that each attempt waits a growing delay (15 s, 30 s, 60 s, … capped at the window)
  after the last failure. Someone guessing from elsewhere slows themselves, not
  the account's owner.
- Per client address: at most `max_failures_per_ip` failures in the window, over
  every account (a spray across many accounts).
- Per account, from everywhere: no lock; when failures reach `ALERT_AFTER` in the
  window, the account's owner is told by email, once per window.
- A sign-in for an address with no active account still verifies a password
  against a dummy hash, so the answer takes as long as for a real account.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import cache
from typing import Protocol

from sqlalchemy import func
from sqlmodel import Session, col, select

from registry.models import LoginAttempt, OutboxMessage, User
from registry.models.base import utcnow

ALERT_AFTER = 10
FIRST_DELAY_SECONDS = 15  # then 30, 60, 120, … up to the window


class Policy(Protocol):
    @property
    def max_failures(self) -> int: ...
    @property
    def max_failures_per_ip(self) -> int: ...
    @property
    def window(self) -> timedelta: ...


class Throttled(Exception):
    """Too many failed sign-ins from this client; `retry_after` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = max(1, retry_after)


@cache
def dummy_hash(profile: str) -> str:
    from registry.services.users import hash_password

    return hash_password("not a password: no such account", profile)


def spend_verification(password: str, profile: str) -> None:
    """As much work as checking a real password, for an address with no account."""
    from registry.services.users import verify_password

    verify_password(dummy_hash(profile), password)


def _failures(session: Session, since: datetime, **where: str) -> tuple[int, datetime | None]:
    statement = select(func.count(), func.max(LoginAttempt.at)).where(
        LoginAttempt.success == False,  # noqa: E712
        col(LoginAttempt.at) >= since,
    )
    for name, value in where.items():
        statement = statement.where(getattr(LoginAttempt, name) == value)
    count, last = session.exec(statement).one()  # type: ignore[call-overload]
    return int(count), last


def delay_after(failures: int, policy: Policy) -> timedelta:
    """The wait before the next attempt from one client at one account."""
    extra = failures - policy.max_failures
    if extra < 0:
        return timedelta(0)
    return min(timedelta(seconds=FIRST_DELAY_SECONDS * 2 ** min(extra, 20)), policy.window)


def check(session: Session, address: str, ip: str, policy: Policy) -> None:
    """Raise Throttled if this client must wait before trying this account again."""
    now = utcnow()
    since = now - policy.window
    from_ip, last_from_ip = _failures(session, since, ip=ip)
    if from_ip >= policy.max_failures_per_ip and last_from_ip is not None:
        wait = last_from_ip + policy.window - now
        raise Throttled(math.ceil(wait.total_seconds()))
    pair, last = _failures(session, since, email=address, ip=ip)
    if last is not None:
        wait = last + delay_after(pair, policy) - now
        if wait > timedelta(0):
            raise Throttled(math.ceil(wait.total_seconds()))


def alert_due(session: Session, user: User | None, policy: Policy) -> bool:
    """True once per window, when the account's failures from anywhere reach ALERT_AFTER."""
    if user is None or not user.is_active:
        return False
    since = utcnow() - policy.window
    count, _last = _failures(session, since, email=user.email)
    if count < ALERT_AFTER:
        return False
    sent = session.exec(
        select(func.count()).where(
            col(OutboxMessage.dedupe_key).like(f"message:login-alert:{user.id}:%"),
            col(OutboxMessage.created_at) >= since,
        )
    ).one()
    return not sent


def record_failure(session: Session, address: str, ip: str) -> None:
    """A wrong password given outside the sign-in form (the password change's `current`)."""
    session.add(LoginAttempt(email=address, ip=ip[:64], success=False))
    session.flush()
