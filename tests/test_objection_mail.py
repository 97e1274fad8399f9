"""Objections by email, through the outbox and a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from tests.support.notices import SmtpSink
from tests.test_objections import objection_form, publish_upcoming
from tests.test_subscriptions import deliver, link


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings: Settings, sink: SmtpSink) -> Settings:
    return settings.model_copy(update={"smtp_url": sink.url, "outbox_retry_seconds": 0})


@pytest.fixture
def mail_client(mail_settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(mail_settings), base_url="http://testserver.local") as client:
        yield client


def test_web_objection_is_confirmed_by_email_then_acknowledged_and_answered(
    mail_client: Any, editor_headers: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    number = publish_upcoming(mail_client, editor_headers)
    deliver(engine, mail_settings)
    assert sink.messages() == []  # nobody subscribed: no notice
    mail_client.post("/objections", data=objection_form(version=str(number)))
    deliver(engine, mail_settings)
    (confirmation,) = sink.messages()
    assert confirmation["To"] == "dpo@customer.example"
    assert "Confirm" in confirmation["Subject"]
    assert mail_client.get(link(confirmation, "/objections/confirm/")).status_code == 200
    deliver(engine, mail_settings)
    acknowledgement = sink.messages()[1]
    reference = acknowledgement["Subject"].split()[1]
    assert reference.startswith("OBJ-")
    body = acknowledgement.get_body(("plain",)).get_content()
    assert "We do not accept transfers to this provider." in body
    url = f"/api/v1/objections/{reference}/entries"
    reply = {"kind": "reply", "body": "We have SCCs with them; see Annex III."}
    assert mail_client.post(url, json=reply, headers=editor_headers).status_code == 201
    note = {"kind": "note", "body": "Internal only."}
    assert mail_client.post(url, json=note, headers=editor_headers).status_code == 201
    deliver(engine, mail_settings)
    assert len(sink.messages()) == 3
    answer = sink.messages()[2]
    assert reference in answer["Subject"]
    assert "We have SCCs with them" in answer.get_body(("plain",)).get_content()
    # Answering the reply reaches the company's privacy contact, not the sending robot.
    from sqlmodel import Session

    from registry.models import Company

    with Session(engine) as session:
        company = session.get(Company, 1)
        assert company is not None and company.contact_email
        contact = company.contact_email
    assert all(m["Reply-To"] == contact for m in sink.messages())
    assert all("Internal only." not in m.as_string() for m in sink.messages())


def test_a_notice_carries_a_link_that_objects_at_once(
    mail_client: Any, editor_headers: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    from tests.support.notices import add_confirmed

    add_confirmed(engine, 1)
    number = publish_upcoming(mail_client, editor_headers)
    deliver(engine, mail_settings)
    (notice,) = sink.messages()
    address = notice["To"]
    objection_url = link(notice, "/objections/new")
    form = mail_client.get(objection_url)
    assert form.status_code == 200 and f"Object to version {number}" in form.text
    # The link identified them: the form says so instead of asking for the address.
    assert f"Objecting as {address}" in form.text
    assert 'id="contact_email"' not in form.text
    token = objection_url.split("t=")[1]
    forged = mail_client.get(objection_url.replace("t=", "t=x"))
    assert "Objecting as" not in forged.text and 'id="contact_email"' in forged.text
    data = objection_form(version=str(number), t=token, contact_email="")
    assert mail_client.post("/objections", data=data).status_code == 200
    deliver(engine, mail_settings)
    acknowledgement = sink.messages()[1]
    assert acknowledgement["To"] == address and "received" in acknowledgement["Subject"]
