"""The company's own details (the data importer), part of the draft and of every version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class Company(SQLModel, table=True):
    """A single row (id 1): the importer, the supervisory authority, Annex II."""

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(default=1)
    name: str = Field(default="", max_length=200)
    address: str = Field(default="", sa_type=Text)
    contact_person: str = Field(default="", sa_type=Text)
    contact_email: str = Field(default="", max_length=320)
    activities: str = Field(default="", sa_type=Text)
    role: str = Field(default="", sa_type=Text)
    data_subjects: list[str] = Field(default_factory=list, sa_type=JSON)
    authority_name: str = Field(default="", sa_type=Text)
    authority_address: str = Field(default="", sa_type=Text)
    authority_website: str = Field(default="", max_length=500)
    authority_reason: str = Field(default="", sa_type=Text)
    measures: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    translations: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # What customers send (Annex I.B), the SCC options, the notices' company text.
    processing: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    scc: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    notices: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    translation_sources: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSON,
        description="{lang: {field path: fingerprint of the English it translated}}.",
    )
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
