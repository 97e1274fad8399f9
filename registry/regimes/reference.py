"""The regimes' reference data (seed/regimes.toml) and legal's settings, into the snapshot.

`load_reference` brings the `regime_reference` table in line with the file,
like the adequacy list. `frozen_reference` and `frozen_settings` are what a
publication freezes into the version (`snapshot["reference"]`,
`snapshot["regime_settings"]`), so a version's documents never change when the
reference data does later.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from registry.models import AdequacyDecision, RegimeReference, RegimeSetting

#: Kinds whose entries are frozen only for the destination countries in use.
PER_COUNTRY = frozenset({"jp_appi_country"})


def load_reference(session: Session, path: Path) -> int:
    """Insert or update every `[[reference]]` of the file; the number of rows changed."""
    from registry.services.seed import _jsonable, read_toml

    if not path.exists():
        return 0
    changed = 0
    for raw in read_toml(path).get("reference", []):
        values = {
            "countries": list(raw.get("countries", [])),
            "data": _jsonable(raw.get("data", {})),
            "verified": bool(raw.get("verified", False)),
            "source": raw.get("source", ""),
            "checked_on": raw.get("checked_on"),
        }
        row = session.exec(
            select(RegimeReference).where(
                RegimeReference.kind == raw["kind"], RegimeReference.key == raw["key"]
            )
        ).first()
        if row is None:
            session.add(RegimeReference(kind=raw["kind"], key=raw["key"], **values))
            changed += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            session.add(row)
            changed += 1
    return changed


def _entry(row: RegimeReference) -> dict[str, Any]:
    checked = row.checked_on.isoformat() if isinstance(row.checked_on, date) else None
    return {
        "countries": list(row.countries),
        "data": dict(row.data),
        "verified": row.verified,
        "source": row.source,
        "checked_on": checked,
    }


def frozen_reference(session: Session, codes: set[str]) -> dict[str, dict[str, Any]]:
    """{kind: {key: entry}}: every list whole, per-country lists for `codes` only."""
    frozen: dict[str, dict[str, Any]] = {}
    rows = session.exec(
        select(RegimeReference).order_by(col(RegimeReference.kind), col(RegimeReference.key))
    )
    for row in rows:
        if row.kind in PER_COUNTRY and not set(row.countries) & codes:
            continue
        frozen.setdefault(row.kind, {})[row.key] = _entry(row)
    decisions = session.exec(
        select(AdequacyDecision).where(col(AdequacyDecision.country).in_(codes))
    )
    frozen["eu_adequacy"] = {
        str(d.country): {
            "name": d.name,
            "decision": d.decision,
            "adopted_on": d.adopted_on.isoformat() if d.adopted_on else None,
            "scope": d.scope,
            "requires_dpf": d.requires_dpf,
            "translations": dict(d.translations or {}),
        }
        for d in decisions
    }
    return frozen


def frozen_settings(session: Session) -> dict[str, dict[str, str]]:
    """{regime: {key: value}} of legal's settings in the draft (blank values left out)."""
    settings: dict[str, dict[str, str]] = {}
    rows = session.exec(
        select(RegimeSetting).order_by(col(RegimeSetting.regime), col(RegimeSetting.key))
    )
    for row in rows:
        if row.value.strip():
            settings.setdefault(row.regime, {})[row.key] = row.value
    return settings
