"""A recipient of personal data, as it stands in the draft."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from registry.enums import ListStyle, PipaRelationship, RecipientRole, RecipientStatus
from registry.models.base import UTCDateTime, enum_type, utcnow


class Recipient(SQLModel, table=True):
    """One recipient in the draft. Published versions hold frozen copies (snapshots)."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=64, unique=True, index=True)
    status: RecipientStatus = Field(
        default=RecipientStatus.ACTIVE, sa_type=enum_type(RecipientStatus), index=True
    )
    position: int = Field(default=0, description="Order on the public table.")
    version_id: int = Field(default=1, description="Bumped by every write (lost-update guard).")

    name: str = Field(max_length=200, description="Legal name.")
    display_name: str = Field(default="", max_length=200)
    services: list[str] = Field(default_factory=list, sa_type=JSON)
    corporate_country: str = Field(default="", max_length=2)
    address: str = Field(default="", sa_type=Text)
    contact: str = Field(default="", sa_type=Text, description="Privacy contact.")
    website: str = Field(default="", max_length=500)
    role: RecipientRole = Field(
        default=RecipientRole.SUB_PROCESSOR, sa_type=enum_type(RecipientRole)
    )
    pipa_relationship: PipaRelationship = Field(
        default=PipaRelationship.ENTRUSTMENT, sa_type=enum_type(PipaRelationship)
    )

    destinations: list[str] = Field(default_factory=list, sa_type=JSON)
    destination_note: str = Field(default="", sa_type=Text)
    mechanisms: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    purposes: list[str] = Field(default_factory=list, sa_type=JSON)
    data_categories: list[str] = Field(default_factory=list, sa_type=JSON)
    data_subjects: list[str] = Field(default_factory=list, sa_type=JSON)
    sensitive_data: str = Field(default="", sa_type=Text)
    sensitive_safeguards: str = Field(default="", sa_type=Text)
    retention: str = Field(default="", sa_type=Text)
    transfer_timing: str = Field(default="", sa_type=Text)
    transfer_method: str = Field(default="", sa_type=Text)
    frequency: str = Field(default="", sa_type=Text)
    processing_nature: str = Field(default="", sa_type=Text)
    onward: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=JSON, description="The vendor's own sub-processors."
    )
    onward_list_url: str = Field(default="", max_length=500)
    onward_checked_on: date | None = Field(default=None)
    refusal_procedure: str = Field(default="", sa_type=Text)
    refusal_consequences: str = Field(default="", sa_type=Text)
    list_style: ListStyle = Field(default=ListStyle.COMMAS, sa_type=enum_type(ListStyle))
    translations: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # Roles per service, where they differ: {service: role}; and what each service
    # does apart from the row's own words: {service: {purposes, data_categories, ...}}.
    service_roles: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    service_details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    pipa_basis: str = Field(default="", max_length=32, description="PIPA Art. 28-8(1) ground.")
    retention_law: str = Field(default="", sa_type=Text)
    # Values someone chose ("none", "not_applicable") where a blank would mean unknown.
    explicit_values: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    translation_sources: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSON,
        description="{lang: {field path: fingerprint of the English it translated}}.",
    )

    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
