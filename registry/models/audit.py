"""The change log, kept the netbox way: before and after of every write, never edited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class ChangeRecord(SQLModel, table=True):
    __tablename__ = "change_record"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    actor: str = Field(default="", max_length=320, description="Email of who, or 'system'.")
    request_id: str = Field(default="", max_length=64)
    action: str = Field(max_length=16, description="create, update, delete, publish")
    object_type: str = Field(max_length=32, index=True)
    object_key: str = Field(max_length=200, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    message: str = Field(default="", sa_type=Text)
