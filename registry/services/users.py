"""Users, passwords (argon2id) and API bearer tokens (stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from registry.addresses import ADDRESS_RE
from registry.enums import UserRole
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import ApiToken, User
from registry.models.base import utcnow
from registry.services.audit import record_change

EMAIL_RE = ADDRESS_RE  # one address rule for users, subscribers and objectors
TOKEN_PREFIX = "reg_"  # noqa: S105 (a prefix, not a secret)
MIN_PASSWORD_LENGTH = 12


@cache
def hasher(profile: str = "default") -> PasswordHasher:
    if profile == "cheap":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()  # argon2id, RFC 9106 low-memory profile


def hash_password(password: str, profile: str = "default") -> str:
    return hasher(profile).hash(password)


def verify_password(stored: str, password: str) -> bool:
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    value = email.strip().lower()
    if len(value) > 320 or not EMAIL_RE.match(value):
        raise InvalidInput("email", f"{email!r} is not an email address")
    return value


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def create_user(
    session: Session,
    email: str,
    password: str,
    role: UserRole,
    *,
    actor: str = "system",
    profile: str = "default",
) -> User:
    address = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    if session.exec(select(User).where(User.email == address)).first() is not None:
        raise Conflict(f"A user {address} already exists")
    user = User(email=address, password_hash=hash_password(password, profile), role=role)
    session.add(user)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        object_type="user",
        object_key=address,
        before=None,
        after={"email": address, "role": str(role), "is_active": True},
    )
    return user


def find_user(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise NotFound(f"No user {email.strip()}")
    return user


def any_admin(session: Session) -> bool:
    return session.exec(select(User.id).where(User.role == UserRole.ADMIN)).first() is not None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, user: User, *, name: str = "", actor: str = "system") -> str:
    """A new bearer token for `user`; the plain text is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(user_id=user.id or 0, token_hash=_digest(token), prefix=token[:10], name=name)
    session.add(record)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        object_type="token",
        object_key=f"{user.email}:{record.prefix}",
        before=None,
        after={"user": user.email, "prefix": record.prefix, "name": name},
    )
    return token


def user_for_token(session: Session, token: str) -> User | None:
    """The active user a live token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    record = session.exec(select(ApiToken).where(ApiToken.token_hash == _digest(token))).first()
    if record is None or record.revoked_at is not None:
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    return user


def revoke_token(session: Session, token_id: int, *, actor: str) -> ApiToken:
    record = session.get(ApiToken, token_id)
    if record is None:
        raise NotFound(f"No token {token_id}")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.add(record)
        record_change(
            session,
            actor=actor,
            action="update",
            object_type="token",
            object_key=record.prefix,
            before={"revoked": False},
            after={"revoked": True},
        )
    return record


def set_password(
    session: Session, user: User, password: str, *, actor: str, profile: str = "default"
) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("new_password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = hash_password(password, profile)
    session.add(user)
    record_change(
        session,
        actor=actor,
        action="update",
        object_type="user",
        object_key=user.email,
        before={"password": "(previous)"},
        after={"password": "(changed)"},
        message="password changed",
    )


def update_user(
    session: Session, user_id: int, *, role: UserRole, is_active: bool, actor: str
) -> User:
    """Change a user's role or (de)activate them; the last active admin cannot be removed."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}")
    before = {"role": str(user.role), "is_active": user.is_active}
    losing_admin = user.role == UserRole.ADMIN and (role != UserRole.ADMIN or not is_active)
    if losing_admin and user.is_active:
        others = session.exec(
            select(User.id).where(
                User.role == UserRole.ADMIN,
                User.is_active == True,  # noqa: E712
                User.id != user_id,
            )
        ).first()
        if others is None:
            raise InvalidInput("role", "the last active administrator must stay one")
    user.role = role
    user.is_active = is_active
    after = {"role": str(role), "is_active": is_active}
    if after != before:
        session.add(user)
        record_change(
            session,
            actor=actor,
            action="update",
            object_type="user",
            object_key=user.email,
            before=before,
            after=after,
        )
    session.flush()
    return user
