"""Published versions: listing, the one in force, publishing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from registry.errors import Conflict, Incomplete, InvalidInput, NotFound
from registry.integrity.hashing import JCS, freeze, previous_link
from registry.models import Company, RegistryVersion, VersionWithdrawal
from registry.models.base import utcnow
from registry.notices.outbox import enqueue_publication
from registry.services import notice_periods
from registry.services.audit import record_change
from registry.services.diff import diff_snapshots, is_empty
from registry.services.snapshot import build_snapshot

if TYPE_CHECKING:
    from registry.services.objection_mail import Mailer


def today() -> date:
    return utcnow().date()


@dataclass(frozen=True)
class Timeline:
    """Which versions exist, which is in force today, which are still to come."""

    numbers: tuple[tuple[int, date], ...]  # newest first
    on: date

    @property
    def in_force(self) -> int | None:
        for number, effective in self.numbers:
            if effective <= self.on:
                return number
        return None

    @property
    def upcoming(self) -> tuple[tuple[int, date], ...]:
        current = self.in_force or 0
        return tuple(
            (number, effective)
            for number, effective in reversed(self.numbers)
            if number > current and effective > self.on
        )

    def in_force_on(self, day: date) -> int | None:
        return Timeline(self.numbers, day).in_force


def _not_withdrawn() -> Any:
    return col(RegistryVersion.number).not_in(select(col(VersionWithdrawal.version_number)))


def timeline(session: Session, on: date | None = None) -> Timeline:
    """Every version that was not withdrawn, newest first, seen from `on` (default today)."""
    rows = session.exec(
        select(col(RegistryVersion.number), col(RegistryVersion.effective_at))
        .where(_not_withdrawn())
        .order_by(col(RegistryVersion.number).desc())
    ).all()
    return Timeline(tuple((n, e) for n, e in rows), on or today())


def get_version(session: Session, number: int) -> RegistryVersion:
    version = session.get(RegistryVersion, number)
    if version is None:
        raise NotFound(f"Version {number} does not exist")
    return version


def version_in_force(session: Session) -> RegistryVersion:
    number = timeline(session).in_force
    if number is None:
        raise NotFound("No version is in force yet")
    return get_version(session, number)


@lru_cache(maxsize=256)
def _parse(snapshot_text: str) -> dict[str, Any]:
    return json.loads(snapshot_text)  # type: ignore[no-any-return]


def snapshot_of(version: RegistryVersion) -> dict[str, Any]:
    """The frozen snapshot (parsed once per distinct text; treat as read-only)."""
    return _parse(version.snapshot)


def previous_of(session: Session, version: RegistryVersion) -> RegistryVersion | None:
    """The newest earlier version that was not withdrawn: what `version` is compared with."""
    return session.exec(
        select(RegistryVersion)
        .where(col(RegistryVersion.number) < version.number, _not_withdrawn())
        .order_by(col(RegistryVersion.number).desc())
        .limit(1)
    ).first()


def diff_of(session: Session, version: RegistryVersion) -> dict[str, Any]:
    """What `version` changed from the newest earlier version that was not withdrawn."""
    previous = previous_of(session, version)
    return diff_snapshots(snapshot_of(previous) if previous else None, snapshot_of(version))


def draft_diff(session: Session) -> dict[str, Any]:
    """What publishing now would change, against the newest version not withdrawn."""
    latest = session.exec(
        select(RegistryVersion)
        .where(_not_withdrawn())
        .order_by(col(RegistryVersion.number).desc())
        .limit(1)
    ).first()
    return diff_snapshots(snapshot_of(latest) if latest else None, build_snapshot(session))


def publish(
    session: Session,
    *,
    summary: str,
    effective_at: date | None,
    notice_days: int,
    actor: str,
    short_notice_reason: str = "",
    require_reason: bool = False,
    allow_empty: bool = False,
    enforce_checklist: bool = False,
    translations: dict[str, Any] | None = None,
) -> RegistryVersion:
    """Freeze the draft into the next version, in the caller's transaction.

    With `enforce_checklist` (the API and the admin), a draft whose checklist is
    not empty is refused (`Incomplete`, 422) and nothing changes.
    """
    _lock_registry(session)
    earliest_without_reason = today() + timedelta(days=notice_days)
    effective = effective_at or earliest_without_reason
    if effective < today():
        raise InvalidInput("effective_at", "cannot be in the past")
    if require_reason and effective < earliest_without_reason and not short_notice_reason:
        raise notice_periods.ReasonRequired(
            f"an effective date less than {notice_days} days away needs a written reason"
        )
    latest = session.exec(
        select(RegistryVersion).order_by(col(RegistryVersion.number).desc()).limit(1)
    ).first()
    standing = session.exec(  # a withdrawn version may be published again (postponed)
        select(RegistryVersion)
        .where(_not_withdrawn())
        .order_by(col(RegistryVersion.number).desc())
        .limit(1)
    ).first()
    snapshot = build_snapshot(session)
    if (
        standing is not None
        and not allow_empty
        and is_empty(diff_snapshots(snapshot_of(standing), snapshot))
    ):
        raise Conflict(f"Nothing to publish: the draft equals version {standing.number}")
    if enforce_checklist:
        require_complete(session)
    # Who is told (scopes), and the go-live gate of organisations' contractual periods.
    told = notice_periods.plan(
        session,
        snapshot_of(standing) if standing else None,
        snapshot,
        effective=effective,
        today=today(),
        short_notice_reason=short_notice_reason,
        require_reason=require_reason,
    )
    canonical, digest = freeze(
        snapshot, previous_link(standing.number, standing.content_hash) if standing else None
    )
    version = RegistryVersion(
        number=(latest.number + 1) if latest else 1,
        summary=summary,
        effective_at=effective,
        content_hash=digest,
        hash_scheme=JCS,
        snapshot=canonical,
        published_by=actor,
        short_notice_reason=short_notice_reason,
        translations=translations or {},
    )
    session.add(version)
    record_change(
        session,
        actor=actor,
        action="publish",
        object_type="version",
        object_key=str(version.number),
        before=None,
        after={
            "version": version.number,
            "summary": summary,
            "effective_at": effective.isoformat(),
            "content_hash": version.content_hash,
        },
        message=summary,
    )
    session.flush()
    # The notices this publication owes, committed with it (the worker sends them).
    enqueue_publication(session, version, audience=told.subscribers())
    notice_periods.enqueue_contracts(session, version, told)
    return version


def require_complete(session: Session) -> None:
    """Raise `Incomplete` (422, the checklist in `extra`) unless the draft's checklist is empty."""
    from registry.services.checklist import draft_checklist

    items = draft_checklist(session)
    if items:
        raise Incomplete(
            f"The draft cannot be published: {len(items)} item(s) on the checklist",
            extra=[item.as_json() for item in items],
        )


def _lock_registry(session: Session) -> None:
    """Serialise publishers: SQLite by its write lock, PostgreSQL by the company row."""
    company = session.exec(select(Company).where(Company.id == 1).with_for_update()).first()
    if company is None:
        session.add(Company(id=1))
        session.flush()


def all_versions(session: Session) -> list[RegistryVersion]:
    return list(
        session.exec(select(RegistryVersion).order_by(col(RegistryVersion.number).desc())).all()
    )


def withdrawals(session: Session) -> dict[int, VersionWithdrawal]:
    rows = session.exec(select(VersionWithdrawal)).all()
    return {row.version_number: row for row in rows}


def withdraw_version(
    session: Session, number: int, reason: str, actor: str, mailer: Mailer | None = None
) -> VersionWithdrawal:
    """Withdraw an upcoming version before it takes effect, in the caller's transaction.

    The version stays (numbers are never reused) but `timeline` ignores it from
    now on. With a `mailer`, subscribers who were notified are told, and notices
    not yet sent are cancelled, in the same transaction.
    """
    _lock_registry(session)
    version = get_version(session, number)
    if not reason.strip():
        raise InvalidInput("reason", "a withdrawal needs a written reason")
    if session.exec(
        select(VersionWithdrawal).where(VersionWithdrawal.version_number == number)
    ).first():
        raise Conflict(f"Version {number} was already withdrawn")
    if version.effective_at <= today():
        raise Conflict(f"Version {number} has already taken effect; publish a new version instead")
    record = VersionWithdrawal(version_number=number, withdrawn_by=actor, reason=reason.strip())
    session.add(record)
    record_change(
        session,
        actor=actor,
        action="withdraw",
        object_type="version",
        object_key=str(number),
        before={"version": number, "effective_at": version.effective_at.isoformat()},
        after={"version": number, "withdrawn": True, "reason": reason.strip()},
        message=reason.strip(),
    )
    session.flush()
    if mailer is not None:
        from registry.notices.withdrawal import notify_withdrawal

        notify_withdrawal(session, mailer, version, reason.strip())
    return record
