"""Customers' objections to a published change, and the organisations behind them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from registry.enums import ObjectionStatus
from registry.models.base import UTCDateTime, enum_type, utcnow


class Organisation(SQLModel, table=True):
    """A customer organisation and the notice period its contract gives it."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    notice_days: int = Field(default=30, description="Days of notice the contract promises.")
    note: str = Field(default="", sa_type=Text)
    version_id: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # The contract (contacts and scope live in registry.models.contracts).
    objection_days: int | None = Field(
        default=None, description="Days to object, where the contract differs from the notice."
    )
    lang: str = Field(default="en", max_length=8, description="The language notices go out in.")
    dpa_signed_on: date | None = Field(default=None)
    dpa_version: int | None = Field(default=None, description="The registry version signed.")


class Objection(SQLModel, table=True):
    """One customer's objection to one published version (and maybe one recipient in it)."""

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=32, unique=True, index=True)
    version_number: int = Field(foreign_key="registry_version.number", index=True)
    recipient_slug: str = Field(default="", max_length=64)
    reason: str = Field(sa_type=Text)
    contact_email: str = Field(max_length=320, index=True)
    contact_name: str = Field(default="", max_length=200)
    organisation: str = Field(default="", max_length=200)
    source: str = Field(default="web", max_length=16, description="web, or notice (a link we sent)")
    lang: str = Field(default="en", max_length=8, description="The language to answer in.")
    status: ObjectionStatus = Field(
        default=ObjectionStatus.PENDING_CONFIRMATION, sa_type=enum_type(ObjectionStatus), index=True
    )
    confirm_token_hash: str = Field(default="", max_length=64, index=True)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution: str = Field(default="", sa_type=Text)
    version_id: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class ObjectionEntry(SQLModel, table=True):
    """What happened to an objection: internal notes, replies sent, status changes."""

    __tablename__ = "objection_entry"

    id: int | None = Field(default=None, primary_key=True)
    objection_id: int = Field(foreign_key="objection.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    author: str = Field(max_length=320)
    kind: str = Field(max_length=16, description="note (internal), reply (emailed), status")
    body: str = Field(default="", sa_type=Text)
