"""What was sent, kept byte for byte: every email handed to the mail server and
every webhook body POSTed, with the server's answer.

Stored compactly: a notice differs between subscribers only in its address,
links, boundary and ids, so the first message of each (version, language) is
kept whole (zlib) as a *base*, and every message is kept as a zlib stream
compressed against that base as a preset dictionary. A webhook body is the same
for every endpoint of a version: it is a base, and its messages have no delta.
Reading a message back checks its SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, Text
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class KeptBase(SQLModel, table=True):
    __tablename__ = "kept_base"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=120, unique=True, description="e.g. notice:3:ko, body:SHA256")
    data: bytes = Field(sa_type=LargeBinary, description="zlib of the base's bytes")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class KeptMessage(SQLModel, table=True):
    __tablename__ = "kept_message"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int | None = Field(default=None, foreign_key="outbox_message.id", index=True)
    version_number: int | None = Field(default=None, index=True)
    channel: str = Field(max_length=16, description="email or webhook")
    recipient: str = Field(default="", max_length=2000)
    message_id: str = Field(default="", max_length=300)
    sha256: str = Field(max_length=64, index=True, description="of the exact bytes sent")
    size: int = Field(default=0)
    base_id: int = Field(foreign_key="kept_base.id", index=True)
    delta: bytes = Field(default=b"", sa_type=LargeBinary, description="empty: the base itself")
    headers: str = Field(default="", sa_type=Text, description="webhook request headers, JSON")
    reply: str = Field(default="", sa_type=Text, description="the server's answer")
    handed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    replied_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
