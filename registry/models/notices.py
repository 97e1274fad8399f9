"""Change notices: subscribers, webhook endpoints, and the outbox of owed messages.

The outbox holds one row per message owed (a confirmation email, a notice to one
subscriber, a delivery to one webhook). Publishing writes the rows in the same
transaction as the version; workers claim them with a lease and record every
attempt, so a message is never lost and is sent twice only when a worker died
holding it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus, WebhookStatus
from registry.models.base import UTCDateTime, enum_type, utcnow


class Subscriber(SQLModel, table=True):
    """One email address. Its links carry `public_id` and an HMAC (no token is stored)."""

    __tablename__ = "subscriber"

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, unique=True)
    email: str = Field(max_length=320, unique=True, index=True)
    lang: str = Field(default="en", max_length=8)
    organisation: str = Field(default="", max_length=200)
    status: SubscriberStatus = Field(
        default=SubscriberStatus.PENDING, sa_type=enum_type(SubscriberStatus), index=True
    )
    confirm_nonce: str = Field(default="", max_length=32)
    confirmation_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    confirmations_in_window: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    confirmed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    unsubscribed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class WebhookEndpoint(SQLModel, table=True):
    """An https URL that proved it is listening by echoing our challenge."""

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(max_length=2000)
    secret: str = Field(max_length=100)
    description: str = Field(default="", max_length=200)
    status: WebhookStatus = Field(default=WebhookStatus.ACTIVE, sa_type=enum_type(WebhookStatus))
    challenge_passed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class OutboxMessage(SQLModel, table=True):
    """One message owed to one recipient, and the record of delivering it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: OutboxKind = Field(sa_type=enum_type(OutboxKind))
    dedupe_key: str = Field(max_length=120, unique=True)
    recipient: str = Field(max_length=2000)
    lang: str = Field(default="en", max_length=8)
    subscriber_id: int | None = Field(
        default=None, foreign_key="subscriber.id", index=True, ondelete="SET NULL"
    )
    webhook_id: int | None = Field(
        default=None, foreign_key="webhook_endpoint.id", index=True, ondelete="SET NULL"
    )
    version_number: int | None = Field(
        default=None, foreign_key="registry_version.number", index=True
    )
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=enum_type(OutboxStatus))
    attempts: int = Field(default=0)
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    claim_token: str | None = Field(default=None, max_length=32)
    claimed_by: str | None = Field(default=None, max_length=120)
    claimed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str = Field(default="", sa_type=Text)
    message_id: str = Field(default="", max_length=300)
    response: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A one-off email (kind "message"), rendered when it was owed and kept as sent.
    subject: str = Field(default="", sa_type=Text)
    body_text: str = Field(default="", sa_type=Text)
    body_html: str = Field(default="", sa_type=Text)
