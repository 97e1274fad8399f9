"""Notices that follow contracts: who is owed a notice beyond double opt-in subscribers.

- `NoticeScope`: what a subscriber (or an organisation) follows: rows of
  (kind, value), e.g. ("country", "JP") or ("recipient", "stripe"). No row means
  everything. One table for both owners so a single SQL test decides who is told.
- `OrganisationContact`: the addresses a customer's contract names for notices.
- `ContractNotice`: frozen at publication, per concerned organisation: the days
  owed and given, and whether the date cut its period short (who was told is in
  the outbox: one row per contact, its dedupe key naming the organisation).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class NoticeScope(SQLModel, table=True):
    """One thing a subscriber or an organisation follows (kind: country, recipient)."""

    __tablename__ = "notice_scope"
    __table_args__ = (Index("ix_notice_scope_kind_value", "kind", "value", "subscriber_id"),)

    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int | None = Field(
        default=None, foreign_key="subscriber.id", index=True, ondelete="CASCADE"
    )
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", index=True, ondelete="CASCADE"
    )
    kind: str = Field(max_length=16)
    value: str = Field(max_length=64)


class OrganisationContact(SQLModel, table=True):
    """An address a customer's contract names for notices (the contract is the consent)."""

    __tablename__ = "organisation_contact"
    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True, ondelete="CASCADE")
    email: str = Field(max_length=320)


class ContractNotice(SQLModel, table=True):
    """What one publication owed one organisation, frozen when it was published."""

    __tablename__ = "contract_notice"
    __table_args__ = (UniqueConstraint("version_number", "organisation_id"),)

    id: int | None = Field(default=None, primary_key=True)
    version_number: int = Field(foreign_key="registry_version.number", index=True)
    organisation_id: int | None = Field(
        default=None, foreign_key="organisation.id", ondelete="SET NULL"
    )
    organisation_name: str = Field(max_length=200)
    lang: str = Field(default="en", max_length=8)
    days_owed: int
    days_given: int
    objection_days: int | None = Field(default=None)
    cut_short: bool = Field(default=False)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
