"""Issue 11.2: one hostile address never breaks another customer's notice.

The SMTP server is aiosmtpd on loopback, which behaves like Postfix on a broken
session: without SMTPUTF8 it refuses a non-ASCII address, and after a
half-open transaction it answers the next MAIL FROM with `503 nested MAIL`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import insert
from sqlmodel import select

from registry.db import read_session, transaction
from registry.enums import OutboxStatus, SubscriberStatus
from registry.models import OutboxMessage, Subscriber
from registry.models.base import utcnow
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import SmtpSink, add_confirmed, free_port, publish_change
from tests.test_objections import objection_form, publish_upcoming, stored

HOSTILE = "zoë@example.org"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink(smtputf8=False).start()  # like Postfix without SMTPUTF8
    yield server
    server.stop()


def plant_subscriber(engine: Any, address: str) -> None:
    """A row that got in before the rule (or by an old import): the send path must cope."""
    now = utcnow()
    row = {
        "public_id": "planted000000000",
        "email": address,
        "lang": "en",
        "organisation": "",
        "status": SubscriberStatus.CONFIRMED.value,
        "confirm_nonce": "n",
        "confirmations_in_window": 0,
        "created_at": now,
        "confirmed_at": now,
    }
    with transaction(engine) as session:
        session.execute(insert(Subscriber), [row])


def outcomes(engine: Any) -> dict[str, tuple[OutboxStatus, str]]:
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
        return {row.recipient: (row.status, row.last_error) for row in rows}


def drain(engine: Any, settings: Settings, url: str) -> None:
    worker = Worker(engine, settings.model_copy(update={"smtp_url": url}), name="w")
    while worker.run_once():
        pass
    worker.close()


def test_objection_with_a_non_ascii_address_is_refused_naming_the_field(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    response = client.post(
        "/objections", data=objection_form(version=str(number), contact_email=HOSTILE)
    )
    assert response.status_code == 400
    assert "contact_email" in response.text
    assert stored(engine) == []


def test_a_non_ascii_address_harms_no_other_notice(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    plant_subscriber(engine, HOSTILE)  # first in the queue, on the same connection
    add_confirmed(engine, 3)
    publish_change(engine)
    drain(engine, settings, sink.url)
    assert sorted(sink.recipients()) == [f"customer{i}@example.com" for i in range(3)]
    results = outcomes(engine)
    for i in range(3):
        assert results[f"customer{i}@example.com"][0] == OutboxStatus.SENT
    status, error = results[HOSTILE]
    assert status == OutboxStatus.FAILED  # this message's own fault: final at once
    assert "SMTPUTF8" in error


def test_a_non_ascii_address_goes_out_with_smtputf8_when_offered(
    engine: Any, settings: Settings
) -> None:
    received: list[str] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, enable_SMTPUTF8=True)
    controller.start()
    try:
        plant_subscriber(engine, HOSTILE)
        add_confirmed(engine, 1)
        publish_change(engine)
        drain(engine, settings, f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()
    assert sorted(received) == ["customer0@example.com", HOSTILE]


def test_a_refused_recipient_is_failed_alone_and_the_session_goes_on(
    engine: Any, settings: Settings
) -> None:
    received: list[str] = []

    class Refusing:
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.startswith("customer0@"):
                return "550 5.1.1 <customer0@example.com>: Recipient address rejected"
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            received.extend(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    controller = Controller(Refusing(), hostname="127.0.0.1", port=port, enable_SMTPUTF8=False)
    controller.start()
    try:
        add_confirmed(engine, 3)
        publish_change(engine)
        drain(engine, settings, f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()
    assert sorted(received) == ["customer1@example.com", "customer2@example.com"]
    results = outcomes(engine)
    assert results["customer0@example.com"][0] == OutboxStatus.FAILED
    assert results["customer1@example.com"][0] == OutboxStatus.SENT


def test_a_503_caused_by_an_earlier_message_is_never_permanent(
    engine: Any, settings: Settings
) -> None:
    """A server whose session was left half-open answers `503 nested MAIL`: retry later."""
    refused: list[str] = []

    class Broken:
        async def handle_MAIL(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            refused.append(address)
            return "503 5.5.1 Error: nested MAIL command"

    port = free_port()
    controller = Controller(Broken(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        add_confirmed(engine, 2)
        publish_change(engine)
        worker = Worker(
            engine, settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
        )
        worker.run_once()
        worker.close()
    finally:
        controller.stop()
    assert refused
    for status, error in outcomes(engine).values():
        assert status == OutboxStatus.PENDING  # to be tried again, not failed
        assert "503" in error


def test_each_failed_message_is_one_log_line_without_a_traceback(
    engine: Any, settings: Settings
) -> None:
    import logging

    class Busy:
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            return "451 4.3.0 Try again later"

    class Collect(logging.Handler):
        def __init__(self) -> None:
            super().__init__(level=logging.WARNING)
            self.records: list[logging.LogRecord] = []

        def emit(self, record: logging.LogRecord) -> None:
            self.records.append(record)

    port = free_port()
    controller = Controller(Busy(), hostname="127.0.0.1", port=port)
    controller.start()
    collected = Collect()
    logger = logging.getLogger("registry.worker")
    logger.addHandler(collected)
    try:
        add_confirmed(engine, 5)
        publish_change(engine)
        worker = Worker(
            engine, settings.model_copy(update={"smtp_url": f"smtp://127.0.0.1:{port}"})
        )
        worker.run_once()
        worker.close()
    finally:
        logger.removeHandler(collected)
        controller.stop()
    assert len(collected.records) == 5
    assert all(record.exc_info is None for record in collected.records)
    assert all("451" in record.getMessage() for record in collected.records)
