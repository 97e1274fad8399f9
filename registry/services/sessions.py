"""Admin sign-in: server-side sessions in the database, and throttling of failed sign-ins.

The cookie carries a random id; the table keeps only its SHA-256, so a copy of
the database does not let anyone sign in. Sessions end after an idle timeout
and an absolute one. Failed attempts are recorded in the database, so the
throttle holds across every app process.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from registry.models import AdminSession, LoginAttempt, User
from registry.models.base import utcnow
from registry.services import login_throttle
from registry.services.users import normalise_email, verify_password

TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class SessionPolicy:
    idle: timedelta
    absolute: timedelta
    max_failures: int
    max_failures_per_ip: int
    window: timedelta
    hash_profile: str = "default"  # of the dummy hash checked when there is no such account


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def start_session(
    session: Session, user: User, *, ip: str = "", user_agent: str = "", replaces: str = ""
) -> str:
    """A new session for `user`; any session the browser carried is ended (no fixation)."""
    if replaces:
        end_session(session, replaces)
    session_id = secrets.token_urlsafe(32)
    session.add(
        AdminSession(
            id_hash=_digest(session_id),
            user_id=user.id or 0,
            ip=ip[:64],
            user_agent=user_agent[:300],
        )
    )
    session.flush()
    return session_id


def end_session(session: Session, session_id: str) -> None:
    session.execute(delete(AdminSession).where(AdminSession.id_hash == _digest(session_id)))  # type: ignore[arg-type]


def end_sessions_of(session: Session, user_id: int, *, keep: str = "") -> None:
    """End every session of a user (deactivated, password changed), but `keep`."""
    statement = delete(AdminSession).where(AdminSession.user_id == user_id)  # type: ignore[arg-type]
    if keep:
        statement = statement.where(AdminSession.id_hash != _digest(keep))  # type: ignore[arg-type]
    session.execute(statement)


def session_user(session: Session, session_id: str, policy: SessionPolicy) -> User | None:
    """The active user of a live session, or None. Ends expired sessions; refreshes idle time."""
    if not session_id or len(session_id) > 100:
        return None
    record = session.get(AdminSession, _digest(session_id))
    if record is None:
        return None
    now = utcnow()
    if now - record.last_seen_at > policy.idle or now - record.created_at > policy.absolute:
        session.delete(record)
        session.flush()
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    if now - record.last_seen_at > TOUCH_EVERY:
        record.last_seen_at = now
        session.add(record)
        session.flush()
    return user


Throttled = login_throttle.Throttled  # too many failed sign-ins from this client


def authenticate(
    session: Session, email: str, password: str, *, ip: str, policy: SessionPolicy
) -> User | None:
    """The user if the password is right; records the attempt. Raises Throttled when paused."""
    try:
        address = normalise_email(email)
    except Exception:
        address = email.strip().lower()[:320]
    login_throttle.check(session, address, ip[:64], policy)
    user = session.exec(select(User).where(User.email == address)).first()
    if user is None or not user.is_active:  # as slow as a real check: no account oracle
        login_throttle.spend_verification(password, policy.hash_profile)
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    session.add(LoginAttempt(email=address, ip=ip[:64], success=ok))
    session.flush()
    return user if ok else None


def prune(session: Session, policy: SessionPolicy) -> None:
    """Forget expired sessions and attempts older than the window (called at sign-in)."""
    now = utcnow()
    session.execute(
        delete(AdminSession).where(AdminSession.created_at < now - policy.absolute)  # type: ignore[arg-type]
    )
    session.execute(
        delete(LoginAttempt).where(LoginAttempt.at < now - max(policy.window, timedelta(days=1)))  # type: ignore[arg-type]
    )
