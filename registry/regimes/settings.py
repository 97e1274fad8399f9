"""Legal's choices for each regime (the draft's `regime_setting` rows): read, check, save.

Saving records before and after in the change log, in the writer's
transaction; a bad value is refused naming its field and changes nothing.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from sqlmodel import Session, select

from registry.countries import UnknownCountry, normalise_code
from registry.errors import InvalidInput
from registry.models import RegimeSetting
from registry.models.base import utcnow
from registry.regimes.base import Regime, Setting
from registry.services.audit import record_change

MAX_LENGTH = 500


def current(session: Session, regime: Regime) -> dict[str, str]:
    rows = session.exec(select(RegimeSetting).where(RegimeSetting.regime == regime.slug))
    return {row.key: row.value for row in rows}


def clean(setting: Setting, raw: str) -> str:
    """The value as stored, or InvalidInput naming the setting."""
    value = raw.strip()
    name = setting.key
    if len(value) > MAX_LENGTH:
        raise InvalidInput(name, f"must be at most {MAX_LENGTH} characters")
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in value):
        raise InvalidInput(name, "must not contain control characters")
    if not value:
        return ""
    if setting.kind == "choice" and value not in {key for key, _ in setting.choices}:
        allowed = ", ".join(key for key, _ in setting.choices)
        raise InvalidInput(name, f"must be one of: {allowed}")
    if setting.kind == "country":
        try:
            return normalise_code(value)
        except UnknownCountry:
            raise InvalidInput(name, "must be an ISO 3166-1 alpha-2 country code") from None
    if setting.kind == "date":
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            raise InvalidInput(name, "must be a date written YYYY-MM-DD") from None
    return value


def save(session: Session, regime: Regime, values: dict[str, str], *, actor: str) -> bool:
    """Check every value first, then write them all; True when anything changed."""
    cleaned = {s.key: clean(s, values.get(s.key, "")) for s in regime.settings}
    before = current(session, regime)
    rows = {
        row.key: row
        for row in session.exec(select(RegimeSetting).where(RegimeSetting.regime == regime.slug))
    }
    for key, value in cleaned.items():
        row = rows.get(key)
        if row is None:
            if value:
                session.add(RegimeSetting(regime=regime.slug, key=key, value=value))
        elif row.value != value:
            row.value = value
            row.updated_at = utcnow()
            session.add(row)
    after = {**before, **cleaned}
    after = {k: v for k, v in after.items() if v}
    before = {k: v for k, v in before.items() if v}
    if after == before:
        return False
    record_change(
        session,
        actor=actor,
        action="update",
        object_type="regime_settings",
        object_key=regime.slug,
        before=before,
        after=after,
    )
    session.flush()
    return True
