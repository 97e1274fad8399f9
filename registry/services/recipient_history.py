"""What the public table says about each row's history: last changed in which
version, and which upcoming versions will touch it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from registry.services import versions
from registry.services.diff import diff_snapshots


def _touched(diff: dict[str, Any]) -> dict[str, str]:
    """{slug: "added" | "removed" | "changed"} of one diff."""
    kinds = {r["slug"]: "added" for r in diff["added"]}
    kinds |= {r["slug"]: "removed" for r in diff["removed"]}
    kinds |= {c["slug"]: "changed" for c in diff["changed"]}
    return kinds


def last_changed(session: Session, timeline: versions.Timeline, up_to: int) -> dict[str, int]:
    """{slug: the newest version up to `up_to` that added or changed that recipient}."""
    numbers = sorted(n for n, _ in timeline.numbers if n <= up_to)
    found: dict[str, int] = {}
    previous: dict[str, Any] | None = None
    for number in numbers:
        snapshot = versions.snapshot_of(versions.get_version(session, number))
        for slug, kind in _touched(diff_snapshots(previous, snapshot)).items():
            if kind != "removed":
                found[slug] = number
        previous = snapshot
    return found


def upcoming_changes(
    session: Session, timeline: versions.Timeline
) -> dict[str, list[tuple[int, date, str]]]:
    """{slug: [(version, effective date, "added" | "removed" | "changed"), ...]} to come."""
    found: dict[str, list[tuple[int, date, str]]] = {}
    for number, effective in timeline.upcoming:
        version = versions.get_version(session, number)
        for slug, kind in _touched(versions.diff_of(session, version)).items():
            found.setdefault(slug, []).append((number, effective, kind))
    return found
