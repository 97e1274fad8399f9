"""registry/services/objections.py called directly on a real database, after an objection
arrives: confirming, reading and listing, moving it on, notes and replies, and which
organisations a short notice would cut short; every write's change-log record pinned."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from registry.enums import ObjectionStatus
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import (
    ObjectionEntry,
    Organisation,
)
from registry.models.base import utcnow
from registry.services import objections
from registry.services.objection_mail import Mailer
from registry.services.objections import MAX_REASON
from registry.services.versions import today
from tests.support.objections import (  # noqa: F401 (fixtures)
    ACTOR,
    DAY,
    EMAIL,
    PENDING,
    between,
    mailer,
    objection_messages,
    open_objection,
    publish_upcoming,
    records_of,
    session,
    submit,
    upcoming,
)

# Confirming -----------------------------------------------------------------------------


def test_following_the_confirmation_link_opens_the_objection_once(
    session: Session, upcoming: int, mailer: Mailer
) -> None:
    open_objection(session, upcoming, email="first@customer.example")  # another, already open
    submitted = submit(session, upcoming, organisation="Customer GmbH", mailer=mailer)
    token, reference = submitted.confirm_token, submitted.objection.reference
    assert token is not None
    start = utcnow()
    confirmed = objections.confirm(session, token, mailer)
    end = utcnow()
    assert confirmed.reference == reference and confirmed.status == ObjectionStatus.OPEN
    assert between(confirmed.confirmed_at, start, end)
    assert between(confirmed.updated_at, start, end)
    created, update = records_of(session, reference)
    assert (update.actor, update.action, update.message) == (EMAIL, "update", "confirmed")
    assert update.object_type == "objection" and update.before == created.after
    assert update.before is not None and update.before["status"] == "pending_confirmation"
    assert update.after == update.before | {"status": "open"}
    confirmation, ack = objection_messages(session)
    assert confirmation.dedupe_key.endswith(":confirm")
    assert ack.dedupe_key == f"message:objection:{reference}:ack"
    assert (ack.recipient, ack.lang) == (EMAIL, "en")
    assert ack.subject == f"Objection {reference} received: version {upcoming}"
    # Followed again: nothing changes, nothing is logged or sent twice.
    again = objections.confirm(session, token, mailer)
    assert again.reference == reference and again.confirmed_at == confirmed.confirmed_at
    assert len(records_of(session, reference)) == 2 and len(objection_messages(session)) == 2


def test_confirming_without_a_mailer_sends_nothing(session: Session, upcoming: int) -> None:
    token = submit(session, upcoming).confirm_token
    assert token is not None
    assert objections.confirm(session, token).status == ObjectionStatus.OPEN
    assert objection_messages(session) == []


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_a_confirmation_link_that_is_not_valid_is_not_found(
    session: Session, upcoming: int, token: str
) -> None:
    open_objection(session, upcoming)  # stored with no confirmation hash
    submit(session, upcoming)
    with pytest.raises(NotFound, match=r"^This confirmation link is not valid$"):
        objections.confirm(session, token)


# Reading and listing --------------------------------------------------------------------


def test_an_objection_is_found_by_its_reference(session: Session, upcoming: int) -> None:
    first = open_objection(session, upcoming, email="first@customer.example")
    second = open_objection(session, upcoming, email="second@customer.example")
    assert objections.get(session, second.reference) is second
    assert objections.get(session, first.reference) is first
    with pytest.raises(NotFound, match=r"^No objection OBJ-00000000$"):
        objections.get(session, "OBJ-00000000")


def test_objections_are_listed_newest_first_filtered_and_paged(
    session: Session, upcoming: int
) -> None:
    later = publish_upcoming(session, days=40).number
    a = submit(session, upcoming, contact_email="a@customer.example").objection
    b = open_objection(session, upcoming, email="b@customer.example")
    c = open_objection(session, later, email="c@customer.example")
    d = submit(session, later, contact_email="d@customer.example").objection
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=a.created_at.tzinfo)
    a.created_at, b.created_at = moment, moment + timedelta(seconds=2)
    c.created_at = d.created_at = moment + timedelta(seconds=1)  # a tie: the older id first
    session.flush()

    def listed(**options: Any) -> list[str]:
        return [o.contact_email[0] for o in objections.list_objections(session, **options)]

    assert listed() == ["b", "c", "d", "a"]
    assert listed(version=upcoming) == ["b", "a"]
    assert listed(version=later) == ["c", "d"]
    assert listed(status=ObjectionStatus.OPEN) == ["b", "c"]
    assert listed(status=PENDING, version=later) == ["d"]
    assert listed(status=ObjectionStatus.CHANGE_KEPT) == []
    assert listed(limit=2) == ["b", "c"]
    assert listed(limit=2, offset=1) == ["c", "d"]
    assert listed(limit=10, offset=3) == ["a"]
    assert listed(offset=2) == ["b", "c", "d", "a"]  # an offset pages only with a limit


def test_entries_are_those_of_the_objection_in_time_order(session: Session, upcoming: int) -> None:
    one = open_objection(session, upcoming, email="one@customer.example")
    other = open_objection(session, upcoming, email="other@customer.example")
    first = objections.add_entry(session, one.reference, actor=ACTOR, kind="note", body="1st")
    objections.add_entry(session, other.reference, actor=ACTOR, kind="note", body="elsewhere")
    second = objections.add_entry(session, one.reference, actor=ACTOR, kind="note", body="2nd")
    third = objections.add_entry(session, one.reference, actor=ACTOR, kind="reply", body="3rd")
    moment = datetime(2026, 3, 1, 12, 0, tzinfo=first.at.tzinfo)
    first.at = moment + timedelta(minutes=5)  # written first, dated last
    second.at = third.at = moment  # a tie: the older id first
    session.flush()
    assert [e.body for e in objections.entries(session, one)] == ["2nd", "3rd", "1st"]
    assert [e.body for e in objections.entries(session, other)] == ["elsewhere"]


# Moving an objection on -----------------------------------------------------------------


def test_moving_an_objection_on_records_each_step(session: Session, upcoming: int) -> None:
    objection = open_objection(session, upcoming, organisation="Customer GmbH")
    reference = objection.reference
    start = utcnow()
    moved = objections.change_status(
        session, reference, ObjectionStatus.IN_DISCUSSION, actor=ACTOR, version_id=1
    )
    end = utcnow()
    assert moved is objection and moved.status == ObjectionStatus.IN_DISCUSSION
    assert moved.version_id == 2 and moved.resolution == ""
    assert between(moved.updated_at, start, end)
    note = "  SCCs signed, see Annex IX  "
    objections.change_status(
        session, reference, ObjectionStatus.CHANGE_KEPT, actor="head@example.com", note=note
    )
    assert objection.version_id == 3 and objection.status == ObjectionStatus.CHANGE_KEPT
    assert objection.resolution == "SCCs signed, see Annex IX"
    steps = [(e.author, e.kind, e.body) for e in objections.entries(session, objection)]
    assert steps == [
        (ACTOR, "status", "in_discussion"),
        ("head@example.com", "status", "change_kept: SCCs signed, see Annex IX"),
    ]
    created, discussed, kept = records_of(session, reference)
    assert (discussed.actor, discussed.action, discussed.message) == (ACTOR, "update", "")
    assert discussed.object_type == "objection" and discussed.before == created.after
    assert created.after is not None and discussed.after is not None
    assert discussed.after == created.after | {"status": "in_discussion"}
    assert (kept.actor, kept.action, kept.message) == ("head@example.com", "update", note)
    assert kept.before == discussed.after
    assert kept.after == discussed.after | {
        "status": "change_kept",
        "resolution": "SCCs signed, see Annex IX",
    }
    # Resolved otherwise later, with no note: the resolution follows, emptied.
    objections.change_status(
        session, reference, ObjectionStatus.WITHDRAWN_BY_CUSTOMER, actor=ACTOR, version_id=3
    )
    assert objection.version_id == 4 and objection.resolution == ""
    assert objections.entries(session, objection)[-1].body == "withdrawn_by_customer"
    assert objection_messages(session) == []  # no mailer: nothing owed


def test_a_note_on_a_step_that_resolves_nothing_is_not_a_resolution(
    session: Session, upcoming: int
) -> None:
    objection = open_objection(session, upcoming)
    objections.change_status(
        session, objection.reference, ObjectionStatus.IN_DISCUSSION, actor=ACTOR, note=" Called "
    )
    assert objection.resolution == ""
    (entry,) = objections.entries(session, objection)
    assert entry.body == "in_discussion: Called"


def test_moves_that_cannot_be_made_are_refused_and_change_nothing(
    session: Session, upcoming: int
) -> None:
    objection = open_objection(session, upcoming)
    reference = objection.reference
    with pytest.raises(Conflict) as stale:
        objections.change_status(
            session, reference, ObjectionStatus.IN_DISCUSSION, actor=ACTOR, version_id=2
        )
    assert stale.value.detail == f"Objection {reference} was changed meanwhile"
    assert stale.value.extra == [{"key": "version_id", "message": "stale", "current": 1}]
    with pytest.raises(InvalidInput) as backwards:
        objections.change_status(session, reference, PENDING, actor=ACTOR)
    assert backwards.value.field == "status"
    assert backwards.value.message == "an objection cannot go back to awaiting confirmation"
    for blank in ("", "  \n"):
        with pytest.raises(InvalidInput) as reasons:
            objections.change_status(
                session, reference, ObjectionStatus.CHANGE_KEPT, actor=ACTOR, note=blank
            )
        assert reasons.value.field == "note"
        assert reasons.value.message == (
            "keeping the change needs the reasons, written for the customer"
        )
    unconfirmed = submit(session, upcoming).objection.reference
    with pytest.raises(Conflict, match=f"^Objection {unconfirmed} has not been confirmed by its"):
        objections.change_status(session, unconfirmed, ObjectionStatus.OPEN, actor=ACTOR)
    with pytest.raises(InvalidInput):  # the status asked is judged first
        objections.change_status(session, unconfirmed, PENDING, actor=ACTOR)
    with pytest.raises(NotFound, match=r"^No objection OBJ-FFFFFFFF$"):
        objections.change_status(session, "OBJ-FFFFFFFF", ObjectionStatus.OPEN, actor=ACTOR)
    assert (objection.status, objection.version_id) == (ObjectionStatus.OPEN, 1)
    assert objections.entries(session, objection) == []
    assert len(records_of(session, reference)) == 1


def test_only_a_resolution_is_emailed_to_the_objector(
    session: Session, upcoming: int, mailer: Mailer
) -> None:
    objection = open_objection(session, upcoming, lang="en")
    reference = objection.reference
    objections.change_status(
        session, reference, ObjectionStatus.IN_DISCUSSION, actor=ACTOR, mailer=mailer
    )
    assert objection_messages(session) == []
    note = "Our DPF certification covers this transfer."
    objections.change_status(
        session, reference, ObjectionStatus.CHANGE_KEPT, actor=ACTOR, note=note, mailer=mailer
    )
    objections.change_status(
        session, reference, ObjectionStatus.WITHDRAWN_BY_CUSTOMER, actor=ACTOR, mailer=mailer
    )
    kept, withdrawn = objection_messages(session)
    assert kept.dedupe_key == f"message:objection:{reference}:resolved:3"
    assert (kept.recipient, kept.lang) == (EMAIL, "en")
    assert kept.subject == f"Your objection {reference}: Resolved: change kept, with reasons"
    assert note in kept.body_text
    assert withdrawn.dedupe_key == f"message:objection:{reference}:resolved:4"
    assert note not in withdrawn.body_text


# Notes and replies ----------------------------------------------------------------------


def test_notes_and_replies_are_checked_before_anything_is_written(
    session: Session, upcoming: int
) -> None:
    reference = open_objection(session, upcoming).reference
    refusals = [
        ("status", "Moved.", "kind", "must be note or reply"),
        ("note", " \n ", "body", "must not be empty"),
        ("reply", "x" * (MAX_REASON + 1), "body", "must be at most 10000 characters"),
    ]
    for kind, body, field, message in refusals:
        with pytest.raises(InvalidInput) as refused:
            objections.add_entry(session, reference, actor=ACTOR, kind=kind, body=body)
        assert (refused.value.field, refused.value.message) == (field, message)
    with pytest.raises(NotFound, match=r"^No objection OBJ-00000000$"):
        objections.add_entry(session, "OBJ-00000000", actor=ACTOR, kind="note", body="Hello")
    assert session.exec(select(ObjectionEntry)).all() == []
    assert len(records_of(session, reference)) == 1
    longest = objections.add_entry(
        session, reference, actor=ACTOR, kind="reply", body="x" * MAX_REASON
    )
    assert len(longest.body) == MAX_REASON


def test_a_note_is_recorded_and_stays_internal(
    session: Session, upcoming: int, mailer: Mailer
) -> None:
    objection = open_objection(session, upcoming)
    entry = objections.add_entry(
        session, objection.reference, actor=ACTOR, kind="note", body="  Called their DPO.\n"
    )
    assert entry.id is not None and entry.objection_id == objection.id
    assert (entry.author, entry.kind, entry.body) == (ACTOR, "note", "Called their DPO.")
    assert objections.entries(session, objection) == [entry]
    _created, record = records_of(session, objection.reference)
    assert (record.actor, record.action, record.object_type) == (ACTOR, "create", "objection_entry")
    assert record.before is None and record.message == "note"
    assert record.after == {"kind": "note", "body": "Called their DPO."}
    objections.add_entry(
        session, objection.reference, actor=ACTOR, kind="note", body="Internal.", mailer=mailer
    )
    assert objection_messages(session) == []


def test_a_reply_is_emailed_to_the_objector(
    session: Session, upcoming: int, mailer: Mailer
) -> None:
    objection = open_objection(session, upcoming, lang="ko")
    unsent = objections.add_entry(
        session, objection.reference, actor=ACTOR, kind="reply", body="Draft, no mailer."
    )
    assert unsent.kind == "reply" and objection_messages(session) == []
    reply = objections.add_entry(
        session,
        objection.reference,
        actor=ACTOR,
        kind="reply",
        body="  We have SCCs with them; see Annex III.  ",
        mailer=mailer,
    )
    (message,) = objection_messages(session)
    assert message.dedupe_key == f"message:objection:{objection.reference}:reply:{reply.id}"
    assert (message.recipient, message.lang) == (EMAIL, "ko")
    assert "We have SCCs with them; see Annex III.\n" in message.body_text
    assert objection.reference in message.subject
    _created, _unsent, record = records_of(session, objection.reference)
    assert record.message == "reply"
    assert record.after == {"kind": "reply", "body": "We have SCCs with them; see Annex III."}


# Notice periods -------------------------------------------------------------------------


def test_the_organisations_a_short_notice_cuts_short(session: Session) -> None:
    for name, days in (("Zeta SA", 30), ("Alpha AG", 30), ("Short Ltd", 20), ("Long LLC", 60)):
        session.add(Organisation(name=name, notice_days=days))
    session.add(Organisation(name="Edge Inc", notice_days=21))
    session.flush()

    def owed(days: int) -> list[str]:
        found = objections.organisations_owed_more_notice(session, today() + days * DAY)
        return [o.name for o in found]

    # 20 days away: those promised more than 20, most owed first, then by name.
    assert owed(20) == ["Long LLC", "Alpha AG", "Zeta SA", "Edge Inc"]
    assert owed(21) == ["Long LLC", "Alpha AG", "Zeta SA"]
    assert owed(59) == ["Long LLC"]
    assert owed(60) == []
    assert owed(-1) == ["Long LLC", "Alpha AG", "Zeta SA", "Edge Inc", "Short Ltd"]
