"""Versions as registry/services/versions.py keeps them, on a real database: which one is in
force, which are to come, what each is compared with, publishing and withdrawing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from registry.enums import SubscriberStatus
from registry.errors import Conflict, InvalidInput, NotFound
from registry.integrity.hashing import JCS
from registry.models import (
    ChangeRecord,
    Company,
    NoticeScope,
    Organisation,
    OutboxMessage,
    Recipient,
    RegistryVersion,
    Subscriber,
)
from registry.services.notice_periods import ReasonRequired
from registry.services.versions import (
    Timeline,
    all_versions,
    diff_of,
    draft_diff,
    get_version,
    previous_of,
    publish,
    snapshot_of,
    timeline,
    today,
    version_in_force,
    withdraw_version,
    withdrawals,
)

DAY = timedelta(days=1)
ACTOR = "legal@example.com"


@pytest.fixture
def session(engine: Any) -> Iterator[Session]:
    """The seeded database (version 1 in force), in one transaction."""
    with Session(engine) as session:
        yield session


def _change(session: Session, slug: str = "stripe", retention: str = "Seven years.") -> None:
    recipient = session.exec(select(Recipient).where(Recipient.slug == slug)).one()
    recipient.retention = retention
    session.flush()


def _publish(session: Session, days: int = 30, **options: Any) -> RegistryVersion:
    options = {"summary": "A change", "notice_days": 30, "actor": ACTOR} | options
    return publish(session, effective_at=today() + days * DAY, **options)


def test_the_timeline_in_force_and_upcoming() -> None:
    on = date(2026, 6, 1)
    numbers = ((4, on + 10 * DAY), (3, on + DAY), (2, on), (1, on - 9 * DAY))
    line = Timeline(numbers, on)
    assert line.in_force == 2  # effective today counts
    assert line.upcoming == ((3, on + DAY), (4, on + 10 * DAY))  # soonest first
    assert line.in_force_on(on - DAY) == 1
    assert line.in_force_on(on + 10 * DAY) == 4
    assert Timeline(numbers, on - 10 * DAY).in_force is None
    assert Timeline(numbers, on - 10 * DAY).upcoming == tuple(reversed(numbers))
    assert Timeline((), on).in_force is None and Timeline((), on).upcoming == ()


def test_the_version_in_force_and_a_missing_one(session: Session) -> None:
    assert version_in_force(session).number == 1
    assert timeline(session).numbers == ((1, get_version(session, 1).effective_at),)
    with pytest.raises(NotFound, match=r"^Version 9 does not exist$"):
        get_version(session, 9)
    get_version(session, 1).effective_at = today() + DAY
    session.flush()
    with pytest.raises(NotFound, match=r"^No version is in force yet$"):
        version_in_force(session)


def test_publishing_freezes_the_draft_as_the_next_version(session: Session) -> None:
    first = get_version(session, 1)
    _change(session)
    version = _publish(session, summary="Stripe keeps longer", translations={"ko": {"x": "y"}})
    assert version.number == 2
    assert version.effective_at == today() + 30 * DAY
    assert version.summary == "Stripe keeps longer" and version.published_by == ACTOR
    assert version.translations == {"ko": {"x": "y"}}
    assert version.hash_scheme == JCS and len(version.content_hash) == 64
    frozen = snapshot_of(version)
    assert frozen["previous"] == {"version": 1, "content_hash": first.content_hash}
    stripe = next(r for r in frozen["recipients"] if r["slug"] == "stripe")
    assert stripe["retention"] == "Seven years."
    record = session.exec(
        select(ChangeRecord).where(ChangeRecord.action == "publish").order_by(col(ChangeRecord.id))
    ).all()[-1]
    assert (record.actor, record.object_type, record.object_key) == (ACTOR, "version", "2")
    assert record.before is None and record.message == "Stripe keeps longer"
    assert record.after == {
        "version": 2,
        "summary": "Stripe keeps longer",
        "effective_at": version.effective_at.isoformat(),
        "content_hash": version.content_hash,
    }
    assert [v.number for v in all_versions(session)] == [2, 1]
    assert timeline(session).upcoming == ((2, version.effective_at),)


def test_the_effective_date_defaults_to_the_notice_period(session: Session) -> None:
    _change(session)
    version = publish(session, summary="s", effective_at=None, notice_days=12, actor=ACTOR)
    assert version.effective_at == today() + 12 * DAY


def test_an_effective_date_in_the_past_is_refused(session: Session) -> None:
    _change(session)
    with pytest.raises(InvalidInput) as refused:
        _publish(session, days=-1)
    assert (refused.value.field, refused.value.message) == ("effective_at", "cannot be in the past")
    assert _publish(session, days=0).effective_at == today()  # today is not the past


def test_short_notice_needs_a_reason_only_where_required(session: Session) -> None:
    _change(session)
    with pytest.raises(ReasonRequired) as refused:
        _publish(session, days=29, require_reason=True)
    assert refused.value.field == "short_notice_reason"
    assert refused.value.message == (
        "an effective date less than 30 days away needs a written reason"
    )
    assert _publish(session, days=30, require_reason=True).number == 2  # full notice
    _change(session, retention="Eight years.")
    given = _publish(session, days=1, require_reason=True, short_notice_reason="A breach")
    assert given.short_notice_reason == "A breach"
    _change(session, retention="Nine years.")
    assert _publish(session, days=1).number == 4  # not required: no reason asked


def test_only_organisations_a_change_concerns_can_hold_it_up(session: Session) -> None:
    acme = Organisation(name="Acme GmbH", notice_days=60)
    session.add(acme)
    session.flush()
    session.add(NoticeScope(organisation_id=acme.id, kind="recipient", value="datadog"))
    _change(session, "stripe")  # not what Acme follows: 30 days are enough
    assert _publish(session, days=30, require_reason=True).number == 2
    _change(session, "datadog")
    with pytest.raises(ReasonRequired) as refused:
        _publish(session, days=30, require_reason=True)
    assert refused.value.message == (
        "an effective date 30 days away cuts short the notice period (days) of Acme GmbH (60): "
        "a written reason is needed"
    )


def test_only_subscribers_a_change_concerns_are_told(session: Session) -> None:
    for email, follows in (("all@example.com", None), ("dd@example.com", "datadog")):
        person = Subscriber(
            public_id=email[:2], email=email, status=SubscriberStatus.CONFIRMED, lang="en"
        )
        session.add(person)
        session.flush()
        if follows:
            session.add(NoticeScope(subscriber_id=person.id, kind="recipient", value=follows))
    _change(session, "stripe")
    version = _publish(session)
    told = session.exec(
        select(OutboxMessage.recipient).where(OutboxMessage.version_number == version.number)
    ).all()
    assert told == ["all@example.com"]


def test_publishing_without_company_details_yet_creates_the_row_it_locks(
    session: Session,
) -> None:
    session.delete(session.get(Company, 1))
    session.flush()
    _publish(session, allow_empty=True)
    assert session.get(Company, 1) is not None
    assert session.exec(select(Company)).all() == [session.get(Company, 1)]


def test_nothing_to_publish_unless_allowed(session: Session) -> None:
    with pytest.raises(Conflict, match=r"^Nothing to publish: the draft equals version 1$"):
        _publish(session)
    assert _publish(session, allow_empty=True).number == 2


def test_the_checklist_is_enforced_only_when_asked(session: Session) -> None:
    from registry.errors import Incomplete

    _change(session)
    recipient = session.exec(select(Recipient).where(Recipient.slug == "stripe")).one()
    recipient.purposes = []  # an item the checklist asks for
    session.flush()
    with pytest.raises(
        Incomplete, match=r"^The draft cannot be published: \d+ item\(s\) on the checklist$"
    ) as refused:
        _publish(session, enforce_checklist=True)
    assert refused.value.extra
    assert _publish(session).number == 2


def _withdrawn_upcoming(session: Session) -> tuple[RegistryVersion, RegistryVersion]:
    _change(session)
    second = _publish(session, days=30)
    _change(session, retention="Eight years.")
    third = _publish(session, days=40)
    withdraw_version(session, 3, "  Postponed  ", ACTOR)
    return second, third


def test_a_withdrawn_version_is_left_out_of_what_follows(session: Session) -> None:
    second, third = _withdrawn_upcoming(session)
    assert [n for n, _ in timeline(session).numbers] == [2, 1]
    assert previous_of(session, third) == second
    assert previous_of(session, get_version(session, 1)) is None
    # The draft (retention "Eight years.") is compared with version 2, not the withdrawn 3.
    changed = draft_diff(session)["changed"]
    assert [entry["slug"] for entry in changed] == ["stripe"]
    # Published again, a version numbers after the withdrawn one and links to version 2.
    fourth = _publish(session, days=50)
    assert fourth.number == 4
    assert snapshot_of(fourth)["previous"]["version"] == 2
    assert diff_of(session, fourth)["changed"] == changed
    assert diff_of(session, get_version(session, 1))["changed"] == []  # the first: all added


def test_withdrawing_records_who_why_and_refuses_what_it_cannot(session: Session) -> None:
    _withdrawn_upcoming(session)
    record = withdrawals(session)[3]
    assert set(withdrawals(session)) == {3}
    assert (record.reason, record.withdrawn_by) == ("Postponed", ACTOR)
    change = session.exec(select(ChangeRecord).where(ChangeRecord.action == "withdraw")).one()
    assert (change.actor, change.object_type, change.object_key) == (ACTOR, "version", "3")
    assert change.message == "Postponed"
    effective = get_version(session, 3).effective_at.isoformat()
    assert change.before == {"version": 3, "effective_at": effective}
    assert change.after == {"version": 3, "withdrawn": True, "reason": "Postponed"}
    with pytest.raises(Conflict, match=r"^Version 3 was already withdrawn$"):
        withdraw_version(session, 3, "Again", ACTOR)
    with pytest.raises(InvalidInput) as blank:
        withdraw_version(session, 2, "   ", ACTOR)
    assert (blank.value.field, blank.value.message) == (
        "reason",
        "a withdrawal needs a written reason",
    )
    with pytest.raises(NotFound):
        withdraw_version(session, 8, "No such version", ACTOR)
    with pytest.raises(
        Conflict, match=r"^Version 1 has already taken effect; publish a new version instead$"
    ):
        withdraw_version(session, 1, "Too late", ACTOR)
    get_version(session, 2).effective_at = today()  # takes effect today: too late as well
    with pytest.raises(
        Conflict, match=r"^Version 2 has already taken effect; publish a new version instead$"
    ):
        withdraw_version(session, 2, "Too late", ACTOR)
    assert set(withdrawals(session)) == {3}


def test_before_any_version_the_whole_draft_is_new(session: Session) -> None:
    session.delete(get_version(session, 1))
    session.flush()
    diff = draft_diff(session)
    assert len(diff["added"]) == 7 and diff["removed"] == diff["changed"] == []


def test_the_snapshot_is_read_back_as_stored(session: Session) -> None:
    version = get_version(session, 1)
    assert snapshot_of(version) == json.loads(version.snapshot)
