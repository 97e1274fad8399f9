"""The admin's own tables: sign-in sessions, sign-in attempts, version withdrawals."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class AdminSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie's value is stored."""

    __tablename__ = "admin_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ip: str = Field(default="", max_length=64)
    user_agent: str = Field(default="", max_length=300)


class LoginAttempt(SQLModel, table=True):
    """One sign-in attempt, kept to throttle guessing across processes."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    email: str = Field(default="", max_length=320, index=True)
    ip: str = Field(default="", max_length=64, index=True)
    success: bool = Field(default=False)


class VersionWithdrawal(SQLModel, table=True):
    """An upcoming version withdrawn before it took effect; the version itself stays."""

    __tablename__ = "version_withdrawal"

    id: int | None = Field(default=None, primary_key=True)
    version_number: int = Field(foreign_key="registry_version.number", unique=True)
    withdrawn_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    withdrawn_by: str = Field(default="", max_length=320)
    reason: str = Field(sa_type=Text)
