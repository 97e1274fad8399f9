"""What the API answers: a recipient, a version (summary and whole), the changes between two.

The request bodies and their checks are in `registry.schemas`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from registry.enums import ListStyle, PipaRelationship, RecipientRole, RecipientStatus


class RecipientOut(BaseModel):
    """A recipient as the API returns it."""

    slug: str
    name: str
    display_name: str
    services: list[str]
    corporate_country: str
    address: str
    contact: str
    website: str
    role: RecipientRole
    pipa_relationship: PipaRelationship
    destinations: list[str]
    destination_note: str
    mechanisms: dict[str, dict[str, Any]]
    purposes: list[str]
    data_categories: list[str]
    data_subjects: list[str]
    sensitive_data: str
    sensitive_safeguards: str
    retention: str
    transfer_timing: str
    transfer_method: str
    frequency: str
    processing_nature: str
    onward: list[dict[str, Any]] = Field(default_factory=list)
    onward_list_url: str = ""
    onward_checked_on: date | None = None
    refusal_procedure: str
    refusal_consequences: str
    list_style: ListStyle
    translations: dict[str, Any]
    service_roles: dict[str, RecipientRole] = Field(default_factory=dict)
    service_details: dict[str, Any] = Field(default_factory=dict)
    pipa_basis: str = ""
    retention_law: str = ""
    explicit_values: dict[str, Any] = Field(default_factory=dict)


class DraftRecipientOut(RecipientOut):
    """A recipient of the draft: with its status and the `version_id` to send back on writes."""

    status: RecipientStatus
    version_id: int
    translation_status: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description='Translations not fit to publish: {"ko": {"retention": "stale" | "missing"}}.',
    )


class VersionSummary(BaseModel):
    version: int
    published_at: datetime
    effective_at: date
    summary: str
    content_hash: str
    in_force: bool
    upcoming: bool
    withdrawn: bool = False
    translations: dict[str, dict[str, str]] = Field(
        default_factory=dict, description='The summary in other languages: {"ko": {"summary"}}.'
    )
    hash_scheme: str = "jcs-sha256"
    snapshot_url: str = ""


class VersionOut(VersionSummary):
    previous: dict[str, Any] | None = None
    company: dict[str, Any]
    recipients: list[RecipientOut]


class FieldChange(BaseModel):
    field: str
    old: Any
    new: Any


class RecipientChange(BaseModel):
    slug: str
    name: str
    fields: list[FieldChange]
    added_destinations: list[str]
    removed_destinations: list[str]
    onward_added: list[dict[str, Any]] = Field(default_factory=list)
    onward_removed: list[dict[str, Any]] = Field(default_factory=list)
    onward_changed: list[dict[str, Any]] = Field(default_factory=list)


class DiffOut(BaseModel):
    version: int
    previous_version: int | None
    effective_at: date
    summary: str
    added: list[RecipientOut]
    removed: list[RecipientOut]
    changed: list[RecipientChange]
    company_changes: list[FieldChange]
    new_destinations: list[str]
