"""Withdrawing an upcoming version tells the subscribers who were notified, and only them."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from registry.db import transaction
from registry.enums import OutboxKind, OutboxStatus
from registry.models import OutboxMessage
from registry.notices.worker import Worker
from registry.services import versions
from registry.services.objection_mail import Mailer
from registry.settings import Settings
from registry.templating import build_environment
from tests.support.notices import SmtpSink, add_confirmed, publish_change


def test_withdrawal_tells_those_notified_and_cancels_unsent_notices(
    engine: Any, settings: Settings
) -> None:
    sink = SmtpSink().start()
    try:
        mail = settings.model_copy(update={"smtp_url": sink.url})
        add_confirmed(engine, 2, prefix="early")
        number = publish_change(engine)
        worker = Worker(engine, mail)
        while worker.run_once():
            pass
        assert sorted(sink.recipients()) == ["early0@example.com", "early1@example.com"]
        mailer = Mailer(build_environment(), mail.base_url)
        with transaction(engine) as session:
            pending = OutboxMessage(
                kind=OutboxKind.NOTICE,
                dedupe_key="notice:late",
                recipient="late@example.com",
                version_number=number,
            )
            session.add(pending)
        with transaction(engine) as session:
            versions.withdraw_version(session, number, "A customer objected.", "legal@x", mailer)
        while worker.run_once():
            pass
        worker.close()
        withdrawals = sink.messages()[2:]
        assert sorted(m["To"] for m in withdrawals) == ["early0@example.com", "early1@example.com"]
        assert all("withdraw" in m["Subject"] for m in withdrawals)
        assert "A customer objected." in withdrawals[0].get_body(("plain",)).get_content()
        with Session(engine) as session:
            late = session.exec(
                select(OutboxMessage).where(OutboxMessage.dedupe_key == "notice:late")
            ).one()
        assert late.status == OutboxStatus.FAILED and "withdrawn" in late.last_error
        assert "late@example.com" not in sink.recipients()
    finally:
        sink.stop()


def test_a_withdrawn_version_can_be_published_again_later(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    number = publish_change(engine)
    with transaction(engine) as session:
        versions.withdraw_version(session, number, "Postponed after an objection.", "legal@x")
    again = client.post(
        "/api/v1/publications",
        json={"summary": "The same change, later", "effective_at": "2099-06-01"},
        headers=editor_headers,
    )
    assert again.status_code == 201, again.text
    diff = client.get(f"/api/v1/versions/{again.json()['version']}/diff").json()
    assert diff["previous_version"] == 1
    assert [r["slug"] for r in diff["added"]] == ["openai"]
    listed = {v["version"]: v for v in client.get("/api/v1/versions").json()}
    assert listed[number]["withdrawn"] is True  # withdrawn versions stay on record
    assert listed[number]["upcoming"] is False and listed[1]["withdrawn"] is False
