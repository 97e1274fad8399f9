"""The evidence of a publication lists exactly what the outbox recorded, failures included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session, select

from registry.models import OutboxMessage
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import add_confirmed, free_port, publish_change


class BouncingHandler:
    """Accepts every address but those starting with 'bounce', which it refuses for good."""

    def __init__(self) -> None:
        self.accepted: list[str] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("bounce"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.accepted.extend(envelope.rcpt_tos)
        return "250 OK queued as evidence"


@pytest.fixture
def bouncing_smtp() -> Iterator[tuple[str, BouncingHandler]]:
    handler = BouncingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield f"smtp://127.0.0.1:{port}", handler
    controller.stop()


def test_evidence_lists_exactly_the_deliveries_the_outbox_recorded(
    client: Any, engine: Any, settings: Settings, viewer_headers: Any, bouncing_smtp: Any
) -> None:
    url, handler = bouncing_smtp
    add_confirmed(engine, 3)
    add_confirmed(engine, 1, prefix="bounce", lang="ko")
    number = publish_change(engine)
    mail = settings.model_copy(update={"smtp_url": url, "outbox_max_attempts": 1})
    worker = Worker(engine, mail)
    while worker.run_once():
        pass
    worker.close()
    evidence = client.get(f"/api/v1/versions/{number}/evidence", headers=viewer_headers).json()
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.version_number == number)
        ).all()
    assert {(d["to"], d["status"], d["message_id"]) for d in evidence["notices"]} == {
        (r.recipient, str(r.status), r.message_id) for r in rows
    }
    by_address = {d["to"]: d for d in evidence["notices"]}
    assert sorted(handler.accepted) == sorted(
        a for a, d in by_address.items() if d["status"] == "sent"
    )
    failed = by_address["bounce0@example.com"]
    assert failed["status"] == "failed" and "550" in failed["last_error"]
    assert failed["accepted_at"] is None
    sent = by_address["customer0@example.com"]
    assert sent["accepted_at"] and sent["message_id"].startswith("<notice.v")
    assert evidence["totals"] == {
        "notices": 4,
        "notices_accepted": 3,
        "notices_failed": 1,
        "notices_pending": 0,
        "webhooks": 0,
        "objections": 0,
    }
    assert (
        evidence["content_hash"] == client.get(f"/api/v1/versions/{number}").json()["content_hash"]
    )
    assert set(evidence["notice_as_sent"]) == {"en", "ko"}
    assert "India" in evidence["notice_as_sent"]["en"]["text"]
    assert [r["slug"] for r in evidence["diff"]["added"]] == ["openai"]


def test_evidence_needs_a_token(client: Any) -> None:
    assert client.get("/api/v1/versions/1/evidence").status_code == 401


def test_evidence_pdf_reads_back_the_deliveries_and_a_failure(
    client: Any, engine: Any, settings: Settings, viewer_headers: Any, bouncing_smtp: Any
) -> None:
    import io

    from pypdf import PdfReader

    url, _handler = bouncing_smtp
    add_confirmed(engine, 2)
    add_confirmed(engine, 1, prefix="bounce")
    number = publish_change(engine)
    mail = settings.model_copy(update={"smtp_url": url, "outbox_max_attempts": 1})
    worker = Worker(engine, mail)
    while worker.run_once():
        pass
    worker.close()
    answer = client.get(f"/api/v1/versions/{number}/evidence.pdf", headers=viewer_headers)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    flat = " ".join(text.split())
    for address in ("customer0@example.com", "customer1@example.com", "bounce0@example.com"):
        assert address in flat
    assert "550" in flat
    version = client.get(f"/api/v1/versions/{number}").json()
    assert version["content_hash"][:20] in flat.replace(" ", "")
