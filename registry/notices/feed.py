"""Every publication with its diff, newest first: what /changes and /changes.atom show."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from registry.models.base import utcnow
from registry.notices.render import version_context
from registry.services import versions


def change_entries(session: Session, base_url: str) -> dict[str, Any]:
    timeline = versions.timeline(session)
    upcoming = {number for number, _ in timeline.upcoming}
    entries: list[dict[str, Any]] = []
    company: dict[str, Any] = {"name": ""}
    for version in versions.all_versions(session):
        context = version_context(session, version, base_url)
        company = company if entries else context["company"]
        entries.append(
            context
            | {
                "upcoming": version.number in upcoming,
                "in_force": version.number == timeline.in_force,
            }
        )
    updated = entries[0]["version"].published_at if entries else utcnow()
    return {"entries": entries, "company": company, "updated": updated.isoformat()}
