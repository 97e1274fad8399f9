"""Customer organisations and the notice periods their contracts promise."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import Organisation
from registry.services.audit import record_change

MAX_NOTICE_DAYS = 365


def list_organisations(session: Session) -> list[Organisation]:
    return list(session.exec(select(Organisation).order_by(col(Organisation.name))))


def save_organisation(
    session: Session,
    *,
    name: str,
    notice_days: int,
    note: str = "",
    actor: str,
    organisation_id: int | None = None,
    version_id: int | None = None,
) -> Organisation:
    """Create an organisation, or change one (a stale version_id is a Conflict)."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("name", "must be 1 to 200 characters")
    if isinstance(notice_days, bool) or not 0 <= notice_days <= MAX_NOTICE_DAYS:
        raise InvalidInput("notice_days", f"must be a number of days from 0 to {MAX_NOTICE_DAYS}")
    clash = session.exec(
        select(Organisation).where(func.lower(Organisation.name) == name.lower())
    ).first()
    if clash is not None and clash.id != organisation_id:
        raise Conflict(
            f"An organisation named {clash.name!r} already exists",
            extra=[{"key": "name", "message": "already exists"}],
        )
    if organisation_id is None:
        organisation = Organisation(name=name, notice_days=notice_days, note=note.strip())
        before = None
    else:
        found = session.get(Organisation, organisation_id)
        if found is None:
            raise NotFound(f"No organisation {organisation_id}")
        if version_id is not None and version_id != found.version_id:
            raise Conflict(
                f"Organisation {found.name!r} was changed meanwhile",
                extra=[{"key": "version_id", "message": "stale", "current": found.version_id}],
            )
        organisation = found
        before = _record(found)
        organisation.name, organisation.notice_days = name, notice_days
        organisation.note = note.strip()
        organisation.version_id += 1
    session.add(organisation)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create" if before is None else "update",
        object_type="organisation",
        object_key=str(organisation.id),
        before=before,
        after=_record(organisation),
    )
    return organisation


def _record(organisation: Organisation) -> dict[str, object]:
    return {
        "name": organisation.name,
        "notice_days": organisation.notice_days,
        "note": organisation.note,
    }
