"""Legal's overview: every regime's gaps as one table (field by regime), and what a draft
would add to or remove from each regime against the newest version."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from registry.regimes import all_regimes
from registry.regimes.base import Gap, Regime, Snapshot


@dataclass
class GapRow:
    """One missing field, and which regimes need it."""

    recipient: str | None
    field: str
    message: str
    regimes: set[str] = dataclasses.field(default_factory=set)


def gap_table(snapshot: Snapshot) -> tuple[list[Regime], list[GapRow]]:
    """(the regimes, one row a (recipient, field) any of them lacks), company rows first."""
    listed = all_regimes()
    rows: dict[tuple[str | None, str], GapRow] = {}
    for regime in listed:
        for gap in regime.missing(snapshot):
            row = rows.setdefault(
                (gap.recipient, gap.field), GapRow(gap.recipient, gap.field, gap.message)
            )
            row.regimes.add(regime.slug)
    ordered = sorted(
        rows.values(), key=lambda r: (r.recipient is not None, r.recipient or "", r.field)
    )
    return listed, ordered


@dataclass
class RegimeChange:
    """What publishing the draft would change in one regime's document and its report."""

    regime: Regime
    entering: list[dict[str, Any]]
    leaving: list[dict[str, Any]]
    gaps_added: list[Gap]
    gaps_resolved: list[Gap]
    complete: bool

    @property
    def changed(self) -> bool:
        return bool(self.entering or self.leaving or self.gaps_added or self.gaps_resolved)


def draft_changes(before: Snapshot | None, after: Snapshot) -> list[RegimeChange]:
    """Per regime: recipients entering or leaving its document, gaps added or resolved."""
    changes = []
    for regime in all_regimes():
        old_gaps = regime.missing(before) if before is not None else []
        new_gaps = regime.missing(after)
        old_keys = {(g.recipient, g.field) for g in old_gaps}
        new_keys = {(g.recipient, g.field) for g in new_gaps}
        old_scope = {r["slug"] for r in regime.recipients(before)} if before is not None else set()
        new_records = regime.recipients(after)
        new_scope = {r["slug"] for r in new_records}
        changes.append(
            RegimeChange(
                regime=regime,
                entering=[r for r in new_records if r["slug"] not in old_scope],
                leaving=[
                    r
                    for r in (regime.recipients(before) if before is not None else [])
                    if r["slug"] not in new_scope
                ],
                gaps_added=[g for g in new_gaps if (g.recipient, g.field) not in old_keys],
                gaps_resolved=[g for g in old_gaps if (g.recipient, g.field) not in new_keys],
                complete=not new_gaps,
            )
        )
    return changes


def newest_snapshot(session: Any) -> Snapshot | None:
    """The snapshot of the newest version not withdrawn (what the draft is compared with)."""
    from registry.services import versions

    withdrawn = versions.withdrawals(session)
    for version in versions.all_versions(session):
        if version.number not in withdrawn:
            return versions.snapshot_of(version)
    return None


def settings_changes(old: Snapshot, new: Snapshot) -> list[dict[str, Any]]:
    """Legal's regime settings as one more changed field of a diff (none where they agree).

    A version frozen before regimes had settings counts as having none.
    """
    before = old.get("regime_settings") or {}
    after = new.get("regime_settings") or {}
    if before == after:
        return []
    return [{"field": "regime_settings", "old": before, "new": after}]
