"""Published versions: immutable, numbered snapshots of the whole registry."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class RegistryVersion(SQLModel, table=True):
    """Written once by publishing and never updated.

    `snapshot` is the canonical JSON text that `content_hash` (SHA-256) covers,
    kept as text so the hash can be checked byte for byte on any database.
    """

    __tablename__ = "registry_version"

    number: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    summary: str = Field(sa_type=Text)
    published_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    effective_at: date = Field(index=True)
    content_hash: str = Field(max_length=64)
    snapshot: str = Field(sa_type=Text)
    published_by: str = Field(default="", max_length=320)
    short_notice_reason: str = Field(default="", sa_type=Text)
    translations: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSON,
        description='The summary in other languages: {"ko": {"summary": "..."}}.',
    )
    hash_scheme: str = Field(
        default="jcs-sha256",
        max_length=32,
        description="How content_hash is recomputed (registry.integrity.hashing).",
    )
