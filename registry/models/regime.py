"""What the transfer regimes need beyond recipients: reference data, and legal's settings.

`RegimeReference` is reference data loaded from `seed/regimes.toml` (Japan's
per-country systems, the PIPC's recognitions, the FDPIC), like the adequacy
list; `RegimeSetting` is part of the draft (one value a regime and key, e.g.
the UK Addendum's Table 4 choice), frozen into every version.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from registry.models.base import UTCDateTime, utcnow


class RegimeReference(SQLModel, table=True):
    """One entry of a regime's reference data: `kind` names the list, `key` the entry."""

    __tablename__ = "regime_reference"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    key: str = Field(max_length=64)
    countries: list[str] = Field(default_factory=list, sa_type=JSON)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    verified: bool = Field(default=False)
    source: str = Field(default="", sa_type=Text)
    checked_on: date | None = None


class RegimeSetting(SQLModel, table=True):
    """A value legal chooses for one regime's document (part of the draft)."""

    __tablename__ = "regime_setting"
    __table_args__ = (UniqueConstraint("regime", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    regime: str = Field(max_length=64)
    key: str = Field(max_length=64)
    value: str = Field(default="", sa_type=Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
