"""Reference data loaded from seed/: adequacy decisions, country names, data categories."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class AdequacyDecision(SQLModel, table=True):
    """An EU adequacy decision (GDPR Art. 45), for a country or an organisation."""

    __tablename__ = "adequacy_decision"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True)
    country: str | None = Field(default=None, max_length=2, index=True)
    name: str = Field(max_length=200)
    decision: str = Field(default="", max_length=200)
    adopted_on: date | None = None
    valid_until: date | None = None
    scope: str = Field(default="", sa_type=Text)
    requires_dpf: bool = Field(default=False)
    source: str = Field(default="", sa_type=Text, description="Where the row was checked.")
    translations: dict[str, Any] = Field(
        default_factory=dict,
        sa_type=JSON,
        description='name, decision and scope in other languages: {"ko": {"scope": "..."}}.',
    )


class CountryName(SQLModel, table=True):
    """How the company names a country in its documents, where pycountry's name differs."""

    __tablename__ = "country_name"
    __table_args__ = (UniqueConstraint("code", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=2)
    lang: str = Field(max_length=8)
    name: str = Field(max_length=200)


class DataCategory(SQLModel, table=True):
    """The vocabulary of personal-data categories; recipients may add others freely."""

    __tablename__ = "data_category"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    name_ko: str = Field(default="", max_length=200)
    sensitive: bool = Field(default=False)
    position: int = Field(default=0)
