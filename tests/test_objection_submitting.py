"""registry/services/objections.py called directly on a real database, up to an objection's
arrival: the objection window and its boundaries, notice-link tokens, and submitting (what is
stored, refused and emailed), every write's change-log record pinned."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlmodel import Session

from registry.enums import ObjectionStatus
from registry.errors import Conflict, InvalidInput, NotFound
from registry.i18n import gettext, language
from registry.models.base import utcnow
from registry.services import objections
from registry.services.objection_mail import Mailer
from registry.services.objections import MAX_REASON, Window
from registry.services.versions import get_version, today, withdraw_version
from tests.support.objections import (  # noqa: F401 (fixtures)
    ACTOR,
    BASE_URL,
    DAY,
    EMAIL,
    PENDING,
    REASON,
    SECRET,
    between,
    company_name,
    count_objections,
    mailer,
    objection_messages,
    open_objection,
    publish_upcoming,
    records_of,
    session,
    submit,
    upcoming,
)

# The window -----------------------------------------------------------------------------


def test_the_window_is_open_until_the_effective_day_and_shut_from_it(
    session: Session, upcoming: int
) -> None:
    version = get_version(session, upcoming)
    effective = version.effective_at
    assert objections.window(version, effective - DAY) == Window(True, effective, "")
    assert objections.window(version, effective) == Window(False, effective, "took_effect")
    assert objections.window(version, effective + DAY) == Window(False, effective, "took_effect")
    withdrawn = objections.window(version, effective - 10 * DAY, withdrawn=True)
    assert withdrawn == Window(False, effective, "withdrawn")
    # Without a day, today's: open (30 days ahead); closed once it takes effect today.
    assert objections.window(version) == Window(True, effective, "")
    version.effective_at = today()
    assert objections.window(version) == Window(False, today(), "took_effect")
    # A day given is the day judged, not today.
    assert objections.window(version, today() - DAY) == Window(True, today(), "")


# Notice-link tokens ---------------------------------------------------------------------


def test_a_notice_token_is_stable_and_bound_to_secret_version_and_address() -> None:
    token = objections.notice_token(SECRET, 7, EMAIL)
    # Links in notices already sent must keep working after an upgrade: the format is fixed.
    assert token == "NzpkcG9AY3VzdG9tZXIuZXhhbXBsZQ.WdeHMQlpENLmaCduK5RIeyF9"
    unpadded = objections.notice_token(SECRET, 7, "dpo20@customer.example")
    assert unpadded == "NzpkcG8yMEBjdXN0b21lci5leGFtcGxl.OVMiWDZ-e6C6c5JCufGYJ8cX"
    assert objections.notice_token(SECRET, 7, "DPO@Customer.Example") == token
    assert objections.token_email(SECRET, 7, token) == EMAIL
    upper = objections.notice_token(SECRET, 7, "DPO@Customer.Example")
    assert objections.token_email(SECRET, 7, upper) == EMAIL  # read back in lower case
    assert objections.token_email("another-secret", 7, token) == ""
    assert objections.token_email(SECRET, 8, token) == ""
    other = objections.notice_token(SECRET, 7, "other@customer.example")
    payload, _dot, _mac = token.partition(".")
    forged = payload + "." + other.partition(".")[2]  # right address and version, wrong MAC
    assert objections.token_email(SECRET, 7, forged) == ""
    assert objections.token_email(SECRET, 7, other) == "other@customer.example"


@pytest.mark.parametrize("token", ["", "a", "!!!", "Zm9v", "__4.x", "Nzp4.", "a.b.c"])
def test_a_token_that_is_not_valid_reads_as_no_address(token: str) -> None:
    assert objections.token_email(SECRET, 7, token) == ""


@pytest.mark.parametrize(
    "email",
    # Payloads of every length modulo 3 (so every amount of base64 padding), and a quoted
    # local part holding a colon: the address is everything after the version's colon.
    ["ab@c.example", "abc@c.example", "abcd@c.example", '"a:b"@example.com'],
)
def test_a_notice_token_gives_back_its_address(email: str) -> None:
    token = objections.notice_token(SECRET, 7, email)
    assert "=" not in token and token.count(".") == 1
    assert objections.token_email(SECRET, 7, token) == email


# Submitting -----------------------------------------------------------------------------


def test_a_web_objection_is_stored_awaiting_confirmation(session: Session, upcoming: int) -> None:
    submitted = submit(
        session,
        upcoming,
        contact_email="  DPO@Customer.Example ",
        contact_name="  Dana Kim ",
        organisation=" Customer GmbH  ",
        recipient_slug="stripe",
        reason=f"  {REASON}\n",
    )
    objection, token = submitted.objection, submitted.confirm_token
    assert objection.id is not None
    assert re.fullmatch(r"OBJ-[0-9A-F]{8}", objection.reference)
    assert token is not None and len(token) == 32  # 24 random bytes, URL-safe
    assert objection.confirm_token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = objections.get(session, objection.reference)
    assert stored is objection
    assert (stored.version_number, stored.recipient_slug) == (upcoming, "stripe")
    assert (stored.reason, stored.contact_email) == (REASON, EMAIL)
    assert (stored.contact_name, stored.organisation) == ("Dana Kim", "Customer GmbH")
    assert (stored.source, stored.status, stored.lang) == ("web", PENDING, "en")
    assert stored.confirmed_at is None and stored.resolution == "" and stored.version_id == 1
    (record,) = records_of(session, objection.reference)
    assert (record.actor, record.action, record.object_type) == (EMAIL, "create", "objection")
    assert record.before is None and record.message == "objection received"
    assert record.after == {
        "reference": objection.reference,
        "version": upcoming,
        "recipient": "stripe",
        "status": "pending_confirmation",
        "contact_email": EMAIL,
        "organisation": "Customer GmbH",
        "resolution": "",
    }
    assert objection_messages(session) == []  # no mailer: nothing owed


def test_the_optional_fields_default_to_empty(session: Session, upcoming: int) -> None:
    objection = submit(session, upcoming).objection
    assert (objection.recipient_slug, objection.contact_name, objection.organisation) == (
        "",
        "",
        "",
    )


def test_an_objection_from_a_notice_link_counts_at_once(session: Session, upcoming: int) -> None:
    token = objections.notice_token(SECRET, upcoming, EMAIL)
    start = utcnow()
    submitted = submit(session, upcoming, contact_email=" DPO@customer.EXAMPLE", token=token)
    end = utcnow()
    objection = submitted.objection
    assert submitted.confirm_token is None
    assert (objection.source, objection.status) == ("notice", ObjectionStatus.OPEN)
    assert objection.confirm_token_hash == ""
    assert between(objection.confirmed_at, start, end)
    (record,) = records_of(session, objection.reference)
    assert record.after is not None and record.after["status"] == "open"
    # The link proves only the address it was sent to, and only for its version.
    someone_else = submit(session, upcoming, contact_email="other@customer.example", token=token)
    assert someone_else.objection.source == "web" and someone_else.objection.status == PENDING
    assert someone_else.confirm_token is not None
    assert submit(session, upcoming, token="").objection.status == PENDING
    later = publish_upcoming(session, days=40).number
    wrong_version = submit(session, later, token=token)
    assert wrong_version.objection.status == PENDING and wrong_version.confirm_token


@pytest.mark.parametrize(("asked", "kept"), [("ko", "ko"), ("en", "en"), ("fr", "en")])
def test_the_answer_language_is_kept_when_the_registry_has_it(
    session: Session, upcoming: int, asked: str, kept: str
) -> None:
    assert submit(session, upcoming, lang=asked).objection.lang == kept


def test_objections_to_a_missing_or_closed_version_are_refused(
    session: Session, upcoming: int
) -> None:
    with pytest.raises(NotFound, match=r"^Version 9 does not exist$"):
        submit(session, 9)
    effective = get_version(session, 1).effective_at.isoformat()
    with pytest.raises(Conflict) as closed:
        submit(session, 1)
    assert closed.value.detail == (
        f"Objections to version 1 closed on {effective}, when it took effect"
    )
    assert closed.value.extra == [{"key": "version", "message": "the objection window has closed"}]
    # Taking effect today: closed already; tomorrow: still open.
    version = get_version(session, upcoming)
    version.effective_at = today()
    with pytest.raises(Conflict) as today_closed:
        submit(session, upcoming)
    assert today_closed.value.detail == (
        f"Objections to version {upcoming} closed on {today().isoformat()}, when it took effect"
    )
    version.effective_at = today() + DAY
    assert submit(session, upcoming).objection.version_number == upcoming
    third = publish_upcoming(session, days=40).number
    withdraw_version(session, third, "Postponed", ACTOR)
    with pytest.raises(Conflict) as withdrawn:
        submit(session, third)
    assert withdrawn.value.detail == (f"Objections to version {third} are closed: it was withdrawn")
    assert withdrawn.value.extra == closed.value.extra
    assert count_objections(session) == 1


def test_what_an_objection_may_hold_is_checked(session: Session, upcoming: int) -> None:
    refusals = [
        ({"reason": " \n "}, "reason", "say why you object"),
        ({"reason": "x" * (MAX_REASON + 1)}, "reason", "must be at most 10000 characters"),
        ({"contact_name": "n" * 201}, "contact_name", "must be at most 200 characters"),
        ({"organisation": "o" * 201}, "organisation", "must be at most 200 characters"),
        ({"recipient_slug": "nope"}, "recipient", "'nope' is not a recipient in this version"),
        ({"contact_email": "not-an-address"}, "email", "'not-an-address' is not an email address"),
    ]
    for fields, field, message in refusals:
        with pytest.raises(InvalidInput) as refused:
            submit(session, upcoming, **fields)
        assert (refused.value.field, refused.value.message) == (field, message)
    assert count_objections(session) == 0
    longest = submit(
        session,
        upcoming,
        reason=" " + "x" * MAX_REASON + " ",  # the limit counts the text, not its margins
        contact_name="n" * 200,
        organisation="o" * 200,
        recipient_slug="toss-payments",
    ).objection
    assert len(longest.reason) == 10_000
    assert (len(longest.contact_name), len(longest.organisation)) == (200, 200)
    assert longest.recipient_slug == "toss-payments"


def test_a_web_objection_with_a_mailer_owes_a_confirmation_email(
    session: Session, upcoming: int, mailer: Mailer
) -> None:
    submitted = submit(session, upcoming, lang="en", mailer=mailer)
    reference = submitted.objection.reference
    (message,) = objection_messages(session)
    assert message.dedupe_key == f"message:objection:{reference}:confirm"
    assert (message.recipient, message.lang) == (EMAIL, "en")
    assert (
        message.subject == f"Confirm your objection {reference} to {company_name(session)}'s change"
    )
    assert f"{BASE_URL}/objections/confirm/{submitted.confirm_token}" in message.body_text


def test_a_notice_objection_with_a_mailer_is_acknowledged_in_its_language(
    session: Session, upcoming: int, mailer: Mailer
) -> None:
    objection = open_objection(session, upcoming, lang="ko", mailer=mailer)
    (message,) = objection_messages(session)
    assert message.dedupe_key == f"message:objection:{objection.reference}:ack"
    assert (message.recipient, message.lang) == (EMAIL, "ko")
    with language("ko"):
        subject = gettext(
            "Objection %(reference)s received: version %(number)s",
            reference=objection.reference,
            number=upcoming,
        )
    assert message.subject == subject and "received" not in subject
    assert REASON in message.body_text
