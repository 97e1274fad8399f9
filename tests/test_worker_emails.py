"""The worker's emails (registry/notices/worker.py), message by message: what each kind of
outbox message (notice, confirmation, one-off message, contractual notice) is sent as, and
what is recorded for it (status, attempts, next attempt, error, message id, server answer,
the bytes kept as evidence); which failures are final and which are retried; how an
unreachable mail server spares the rest of a batch. A real database, a real SMTP server
(aiosmtpd) and a real webhook endpoint on loopback (tests/support/worker.py).
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete

from registry.db import transaction
from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus
from registry.models import (
    Company,
)
from registry.models.base import utcnow
from registry.notices import render
from registry.notices.worker import (
    Worker,
)
from registry.settings import Settings
from tests.support.notices import SmtpSink, free_port
from tests.support.worker import (  # noqa: F401 (fixtures)
    BASE_URL,
    MAIL_FROM,
    NOT_SENT_STATUS,
    OTHER_KEY,
    Endpoint,
    add_hook,
    add_message,
    add_notice,
    add_one_off,
    add_subscriber,
    add_webhook_message,
    assert_recent,
    endpoint,
    has_hangul,
    html_of,
    kept_of,
    mail,
    received,
    row,
    sink,
    text_of,
    worker_logs,
)


def test_a_notice_goes_to_each_subscriber_in_their_language_with_their_own_links(
    engine: Any, mail: Settings, sink: SmtpSink
) -> None:
    english = add_subscriber(engine, "anna@example.com", lang="en")
    korean = add_subscriber(engine, "minji@example.com", lang="ko")
    notices = {english.email: add_notice(engine, english), korean.email: add_notice(engine, korean)}
    worker = Worker(engine, mail, secret_key=OTHER_KEY, name="w-notice")
    before = utcnow()
    assert worker.run_once() == 2
    after = utcnow()
    got = received(sink)
    assert sorted(got) == ["anna@example.com", "minji@example.com"]
    for subscriber in (english, korean):
        parsed, raw = got[subscriber.email]
        links = render.subscriber_links(subscriber, BASE_URL, OTHER_KEY, version=1)
        # The worker's own key signs the links, not the settings' one.
        assert links != render.subscriber_links(subscriber, BASE_URL, mail.secret_key, version=1)
        msg_id = f"<notice.v1.{subscriber.public_id}@example.org>"
        assert parsed["To"] == subscriber.email
        assert parsed["From"] == MAIL_FROM
        assert parsed["Message-ID"] == msg_id
        assert parsed["List-Unsubscribe"] == f"<{links.unsubscribe}>"
        assert parsed["List-Help"] == f"<{links.manage}>"
        assert links.unsubscribe.startswith(f"{BASE_URL}/subscriptions/unsubscribe/")
        text = text_of(parsed)
        assert links.objection.startswith(f"{BASE_URL}/objections/new?version=1&lang=")
        assert links.objection in text and links.objection in html_of(parsed)
        assert f"{BASE_URL}/changes#version-1" in text
        assert "\x00" not in text + html_of(parsed)  # every link marker was filled
        assert has_hangul(text + parsed["Subject"]) == (subscriber.lang == "ko")

        message = row(engine, notices[subscriber.email])
        assert message.status == OutboxStatus.SENT and message.attempts == 1
        assert (message.message_id, message.response) == (msg_id, "250 OK queued")
        assert message.last_error == "" and message.claimed_by == "w-notice"
        assert message.claim_token is None and message.lease_until is None
        assert_recent(message.sent_at, before, after)
        [(kept, key, kept_raw)] = kept_of(engine, message)
        assert key == f"notice:1:{subscriber.lang}"
        assert kept_raw == raw
        assert (kept.channel, kept.recipient, kept.message_id) == (
            "email",
            subscriber.email,
            msg_id,
        )
        assert (kept.version_number, kept.reply) == (1, "250 OK queued")
        assert kept.sha256 == hashlib.sha256(raw).hexdigest()
        assert_recent(kept.handed_at, before, after)
        assert_recent(kept.replied_at, kept.handed_at, after)
    assert worker.run_once() == 0


def test_a_confirmation_goes_to_a_pending_subscriber_with_the_company_named(
    engine: Any, mail: Settings, sink: SmtpSink
) -> None:
    subscriber = add_subscriber(engine, "new@example.com", status=SubscriberStatus.PENDING)
    message = add_message(
        engine,
        OutboxKind.CONFIRMATION,
        dedupe_key=f"confirm:{subscriber.public_id}:n0nce7",
        recipient=subscriber.email,
        subscriber_id=subscriber.id,
    )
    worker = Worker(engine, mail, name="w-confirm")
    assert worker.run_once() == 1
    worker.close()
    [(parsed, raw)] = received(sink).values()
    links = render.subscriber_links(subscriber, BASE_URL, mail.secret_key)
    assert parsed["To"] == "new@example.com" and parsed["From"] == MAIL_FROM
    assert parsed["Message-ID"] == "<confirm.n0nce7@example.org>"  # the nonce: one per request
    assert parsed["List-Unsubscribe"] is None and parsed["List-Help"] is None
    text = text_of(parsed)
    assert links.confirm.startswith(f"{BASE_URL}/subscriptions/confirm/")
    assert links.confirm in text and links.manage in text
    assert "notices from AlpacaX Inc. before" in " ".join(text.split())
    sent = row(engine, message)
    assert sent.status == OutboxStatus.SENT and sent.attempts == 1
    assert sent.message_id == "<confirm.n0nce7@example.org>"
    [(kept, key, kept_raw)] = kept_of(engine, message)
    assert key == f"confirm:en:{utcnow():%Y-%m}" and kept_raw == raw
    assert kept.version_number is None and kept.channel == "email"


def test_a_message_whose_subscriber_changed_or_left_fails_at_once_and_the_batch_goes_on(
    engine: Any, mail: Settings, sink: SmtpSink
) -> None:
    pending = add_subscriber(engine, "pending@example.com", status=SubscriberStatus.PENDING)
    gone = add_subscriber(engine, "gone@example.com", status=SubscriberStatus.UNSUBSCRIBED)
    confirmed = add_subscriber(engine, "confirmed@example.com")
    stale = [
        add_notice(engine, pending),
        add_notice(engine, gone),
        add_message(
            engine,
            OutboxKind.NOTICE,
            recipient="deleted@example.com",
            subscriber_id=None,
            version_number=1,
        ),
        add_message(  # already confirmed: no second confirmation
            engine,
            OutboxKind.CONFIRMATION,
            dedupe_key=f"confirm:{confirmed.public_id}:again",
            recipient=confirmed.email,
            subscriber_id=confirmed.id,
        ),
    ]
    good = add_notice(engine, confirmed)
    worker = Worker(engine, mail, name="w")
    assert worker.run_once() == 5
    worker.close()
    for message in stale:
        failed = row(engine, message)
        assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 1)
        assert failed.last_error == NOT_SENT_STATUS
        assert failed.message_id == "" and failed.sent_at is None
        assert kept_of(engine, message) == []
    assert sink.recipients() == ["confirmed@example.com"]
    assert row(engine, good).status == OutboxStatus.SENT


def test_a_one_off_message_is_sent_as_rendered_with_replies_to_the_company(
    engine: Any, mail: Settings, sink: SmtpSink
) -> None:
    first = add_message(
        engine,
        OutboxKind.MESSAGE,
        recipient="objector@example.com",
        subject="Your objection — received",
        body_text="We received your objection.\nReference 42.\n",
        body_html="<p>We received your objection.</p>\n",
    )
    worker = Worker(engine, mail, name="w-message")
    assert worker.run_once() == 1
    assert worker.run_once() == 0  # idle: the connection is closed …
    second = add_message(
        engine,
        OutboxKind.MESSAGE,
        recipient="second@example.com",
        subject="Second",
        body_text="two\n",
        body_html="<p>two</p>\n",
    )
    assert worker.run_once() == 1  # … and opened again for new work
    worker.close()
    got = received(sink)
    parsed, raw = got["objector@example.com"]
    assert parsed["Subject"] == "Your objection — received"
    assert parsed["To"] == "objector@example.com" and parsed["From"] == MAIL_FROM
    assert parsed["Reply-To"] == "privacy@alpacax.com"  # the company's privacy contact
    assert parsed["Message-ID"] == f"<message.{first.id}@example.org>"
    assert parsed["List-Unsubscribe"] is None
    assert text_of(parsed) == "We received your objection.\nReference 42.\n"
    assert html_of(parsed) == "<p>We received your objection.</p>\n"
    sent = row(engine, first)
    assert (
        sent.status == OutboxStatus.SENT and sent.message_id == f"<message.{first.id}@example.org>"
    )
    assert sent.response == "250 OK queued"
    [(kept, key, kept_raw)] = kept_of(engine, first)
    assert kept_raw == raw and key == f"body:{hashlib.sha256(raw).hexdigest()}"
    assert (kept.channel, kept.recipient, kept.version_number) == (
        "email",
        "objector@example.com",
        None,
    )
    assert got["second@example.com"][0]["Subject"] == "Second"
    assert row(engine, second).status == OutboxStatus.SENT


def test_without_a_company_there_is_no_reply_to_and_no_company_name(
    engine: Any, mail: Settings, sink: SmtpSink
) -> None:
    with transaction(engine) as session:
        session.execute(delete(Company))
    subscriber = add_subscriber(engine, "new@example.com", status=SubscriberStatus.PENDING)
    add_message(
        engine,
        OutboxKind.CONFIRMATION,
        dedupe_key=f"confirm:{subscriber.public_id}:n1",
        recipient=subscriber.email,
        subscriber_id=subscriber.id,
    )
    add_one_off(engine, "objector@example.com")
    worker = Worker(engine, mail)
    assert worker.run_once() == 2
    worker.close()
    got = received(sink)
    assert got["objector@example.com"][0]["Reply-To"] is None
    text = " ".join(text_of(got["new@example.com"][0]).split())
    assert "asked to receive notices from before the recipients" in text  # the name is blank


def test_an_unsafe_header_fails_the_message_for_good_and_the_batch_goes_on(
    engine: Any, mail: Settings, sink: SmtpSink, caplog: pytest.LogCaptureFixture
) -> None:
    unsafe = add_one_off(engine, "victim@example.com\r\nBcc: many@example.com")
    fine = add_one_off(engine, "fine@example.com")
    worker = Worker(engine, mail, name="w-unsafe")
    assert worker.run_once() == 2
    worker.close()
    failed = row(engine, unsafe)
    reason = "to holds a line break or control character: not sent"
    assert (failed.status, failed.attempts, failed.last_error) == (OutboxStatus.FAILED, 1, reason)
    assert worker_logs(caplog) == [
        (logging.WARNING, f"worker w-unsafe: message {unsafe.id}: {reason}")
    ]
    assert sink.recipients() == ["fine@example.com"]
    assert row(engine, fine).status == OutboxStatus.SENT


def test_a_bug_is_retried_later_and_its_traceback_logged_once_per_kind(
    engine: Any, mail: Settings, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    # Messages without a version: the notice and the webhook body have nothing to render.
    subscriber = add_subscriber(engine, "anna@example.com")
    hook = add_hook(engine, endpoint.url())
    broken = [
        add_notice(engine, subscriber, version=None),
        add_webhook_message(engine, hook, version=None),
        add_message(
            engine,
            OutboxKind.NOTICE,
            recipient=subscriber.email,
            subscriber_id=subscriber.id,
            version_number=None,
        ),
    ]
    worker = Worker(engine, mail, name="w-bug")
    before = utcnow()
    assert worker.run_once() == 3
    after = utcnow()
    worker.close()
    for message in broken:
        retried = row(engine, message)
        assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 1)
        assert retried.last_error == "KeyError: 0"
        assert before + timedelta(seconds=60) <= retried.next_attempt_at
        assert retried.next_attempt_at <= after + timedelta(seconds=60)
    assert endpoint.posts == []
    logs = [r for r in caplog.records if r.name == "registry.worker"]
    assert worker_logs(caplog) == [
        (logging.ERROR, f"worker w-bug: message {broken[0].id}"),
        (logging.WARNING, f"worker w-bug: message {broken[1].id}: KeyError: 0"),
        (logging.WARNING, f"worker w-bug: message {broken[2].id}: KeyError: 0"),
    ]
    assert logs[0].exc_info is not None and isinstance(logs[0].exc_info[1], KeyError)


def test_an_unreachable_mail_server_is_tried_once_per_batch_and_webhooks_still_go(
    engine: Any, mail: Settings, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    down = mail.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{free_port()}"})
    subscribers = [add_subscriber(engine, f"s{i}@example.com") for i in range(3)]
    hook = add_hook(engine, endpoint.url())
    first = add_notice(engine, subscribers[0])
    spared = [add_notice(engine, subscribers[1])]
    webhook = add_webhook_message(engine, hook)
    spared.append(add_one_off(engine, "objector@example.com"))
    spared.append(add_notice(engine, subscribers[2]))
    worker = Worker(engine, down, name="w-down")
    assert worker.run_once() == 5
    tried = row(engine, first)
    assert tried.last_error.startswith("cannot connect to 127.0.0.1: ")
    assert (tried.status, tried.attempts) == (OutboxStatus.PENDING, 1)
    for message in spared:  # not tried: the reason is the first one's
        waiting = row(engine, message)
        assert (waiting.status, waiting.attempts) == (OutboxStatus.PENDING, 1)
        assert waiting.last_error == tried.last_error
    assert row(engine, webhook).status == OutboxStatus.SENT
    assert len(endpoint.posts) == 1
    assert worker_logs(caplog) == [
        (logging.WARNING, f"worker w-down: message {first.id}: {tried.last_error}")
    ]


def test_a_refused_address_fails_alone_and_the_next_message_is_sent(
    engine: Any, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    ascii_only = SmtpSink(smtputf8=False).start()  # like Postfix without SMTPUTF8
    try:
        mail = settings.model_copy(update={"smtp_url": ascii_only.url, "mail_from": MAIL_FROM})
        refused = add_notice(engine, add_subscriber(engine, "jörg@example.com"))
        fine = add_notice(engine, add_subscriber(engine, "joerg@example.com"))
        worker = Worker(engine, mail, name="w-ascii")
        assert worker.run_once() == 2
        worker.close()
        assert ascii_only.recipients() == ["joerg@example.com"]
    finally:
        ascii_only.stop()
    reason = "the address is not ASCII and the server does not offer SMTPUTF8"
    failed = row(engine, refused)
    assert (failed.status, failed.attempts, failed.last_error) == (OutboxStatus.FAILED, 1, reason)
    assert failed.message_id == "" and kept_of(engine, refused) == []
    assert row(engine, fine).status == OutboxStatus.SENT
    assert worker_logs(caplog) == [
        (logging.WARNING, f"worker w-ascii: message {refused.id}: {reason}")
    ]


def test_a_contractual_notice_goes_to_the_address_the_contract_names(
    engine: Any, mail: Settings, sink: SmtpSink
) -> None:
    message = add_message(
        engine,
        OutboxKind.CONTRACT,
        dedupe_key="contract:1:contact42",
        recipient="legal@customer.example",
        lang="en",
        version_number=1,
    )
    worker = Worker(engine, mail)
    assert worker.run_once() == 1
    worker.close()
    [(parsed, raw)] = received(sink).values()
    assert parsed["To"] == "legal@customer.example"
    assert parsed["Message-ID"] == "<contract.v1.contact42@example.org>"
    assert parsed["List-Unsubscribe"] is None  # the contract is the consent
    assert f"{BASE_URL}/objections/new?version=1&lang=en&t=" in text_of(parsed)
    sent = row(engine, message)
    assert sent.status == OutboxStatus.SENT
    assert sent.message_id == "<contract.v1.contact42@example.org>"
    [(kept, key, kept_raw)] = kept_of(engine, message)
    assert kept_raw == raw and key == f"body:{hashlib.sha256(raw).hexdigest()}"
    assert kept.version_number == 1


def test_without_an_smtp_url_each_message_is_written_under_var_mail(
    engine: Any, settings: Settings
) -> None:
    files = settings.model_copy(update={"smtp_url": "", "mail_from": MAIL_FROM})
    message = add_one_off(engine, "objector@example.com")
    worker = Worker(engine, files)
    assert worker.run_once() == 1
    worker.close()
    sent = row(engine, message)
    [written] = (settings.var_dir / "mail").glob("*.eml")
    assert sent.status == OutboxStatus.SENT
    assert sent.response == f"written to {written}"
    [(kept, _key, kept_raw)] = kept_of(engine, message)
    assert kept_raw == written.read_bytes() and kept.reply == sent.response


def test_each_kept_send_is_timed_when_it_was_handed_over_and_answered(
    engine: Any, mail: Settings, sink: SmtpSink, endpoint: Endpoint
) -> None:
    first = add_notice(engine, add_subscriber(engine, "anna@example.com"))
    hook = add_webhook_message(engine, add_hook(engine, endpoint.url()))
    last = add_one_off(engine, "objector@example.com")
    worker = Worker(engine, mail)
    assert worker.run_once() == 3
    worker.close()
    [(a, _k, _r)], [(b, _k, _r)], [(c, _k, _r)] = (kept_of(engine, m) for m in (first, hook, last))
    # In the order of the batch, not when the batch was recorded.
    assert a.handed_at <= a.replied_at <= b.handed_at <= b.replied_at <= c.handed_at
    assert c.handed_at <= c.replied_at
