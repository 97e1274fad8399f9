"""Times as people read them in reports: to the minute, in UTC, said so."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.i18n import current_language

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def readable_time(value: str | datetime | None, lang: str | None = None) -> str:
    """'29 Nov 2026 05:51 UTC' (Korean: '2026년 11월 29일 05:51 UTC'); '—' for none."""
    if not value:
        return "—"
    lang = lang or current_language()
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    if lang == "ko":
        return f"{moment.year}년 {moment.month}월 {moment.day}일 {moment:%H:%M} UTC"
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M} UTC"
