"""Webhook deliveries against an endpoint that misbehaves on purpose.

The endpoint answers 500, then a redirect, then 200: the delivery is retried,
keeps one delivery id across attempts, never follows the redirect, and its body
carries what the versions API says of the version.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlmodel import select

from registry.db import read_session
from registry.enums import OutboxKind, OutboxStatus
from registry.models import OutboxMessage
from registry.models.base import utcnow
from registry.notices.outbox import MAX_BACKOFF_SECONDS, backoff
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import publish_change
from tests.test_changes_and_webhooks import hook_client, hook_settings  # noqa: F401


class Flaky(ThreadingHTTPServer):
    """Answers challenges; then, for deliveries, the scripted statuses (or (status, body)
    pairs) in turn."""

    def __init__(self, script: list[int | tuple[int, bytes]]) -> None:
        self.script = list(script)
        self.attempts: list[tuple[str, dict[str, str], bytes]] = []
        super().__init__(("127.0.0.1", 0), _FlakyHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _FlakyHandler(BaseHTTPRequestHandler):
    server: Flaky

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        payload = json.loads(body)
        if payload.get("event") == "challenge":
            self._answer(200, json.dumps({"challenge": payload["challenge"]}).encode())
            return
        self.server.attempts.append((self.path, dict(self.headers), body))
        step = self.server.script.pop(0) if self.server.script else 200
        status, answer = step if isinstance(step, tuple) else (step, b"{}")
        if status in (301, 302, 307, 308):
            self.send_response(status)
            self.send_header("Location", "/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._answer(status, answer)

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def flaky() -> Iterator[Flaky]:
    server = Flaky([500, 307, 200])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def webhook_messages(engine: Any) -> list[OutboxMessage]:
    with read_session(engine) as session:
        return list(
            session.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.WEBHOOK))
        )


def run_until_idle(engine: Any, settings: Settings, rounds: int) -> None:
    worker = Worker(engine, settings.model_copy(update={"outbox_retry_seconds": 0}))
    for _ in range(rounds):
        worker.run_once()
    worker.close()


def test_retries_keep_one_delivery_id_and_never_follow_a_redirect(
    hook_client: Any,
    hook_settings: Settings,
    engine: Any,
    flaky: Flaky,
) -> None:
    assert hook_client.post("/api/v1/webhooks", json={"url": flaky.url}).status_code == 201
    publish_change(engine)
    run_until_idle(engine, hook_settings, rounds=5)
    assert [path for path, _h, _b in flaky.attempts] == ["/hook", "/hook", "/hook"]
    ids = {headers["X-Registry-Delivery"] for _p, headers, _b in flaky.attempts}
    assert len(ids) == 1
    [message] = webhook_messages(engine)
    assert message.status == OutboxStatus.SENT and message.attempts == 3


def test_the_body_carries_what_the_versions_api_says(
    hook_client: Any, hook_settings: Settings, engine: Any, flaky: Flaky
) -> None:
    flaky.script = []
    hook_client.post("/api/v1/webhooks", json={"url": flaky.url})
    number = publish_change(engine)
    run_until_idle(engine, hook_settings, rounds=2)
    payload = json.loads(flaky.attempts[0][2])
    version = hook_client.get(f"/api/v1/versions/{number}").json()
    for key in ("version", "summary", "effective_at", "content_hash"):
        assert payload[key] == version[key], key
    diff = hook_client.get(f"/api/v1/versions/{number}/diff").json()
    assert payload["diff"]["new_destinations"] == diff["new_destinations"]
    assert sorted(r["slug"] for r in payload["diff"]["added"]) == sorted(
        r["slug"] for r in diff["added"]
    )


def test_a_failed_attempt_waits_the_base_delay_then_double(
    hook_client: Any, hook_settings: Settings, engine: Any, flaky: Flaky
) -> None:
    flaky.script = [500, 500, 500]
    hook_client.post("/api/v1/webhooks", json={"url": flaky.url})
    publish_change(engine)
    slow = hook_settings.model_copy(update={"outbox_retry_seconds": 60})
    waits = []
    for _ in range(2):
        before = utcnow()
        worker = Worker(engine, slow)
        worker.run_once()
        worker.close()
        [message] = webhook_messages(engine)
        waits.append(message.next_attempt_at - before)
        with read_session(engine) as session:  # make it due again without waiting
            row = session.get(OutboxMessage, message.id)
            assert row is not None
            row.next_attempt_at = utcnow()
            session.add(row)
            session.commit()
    assert timedelta(seconds=60) <= waits[0] < timedelta(seconds=90)
    assert timedelta(seconds=120) <= waits[1] < timedelta(seconds=150)


def test_the_backoff_doubles_and_stops_at_a_day() -> None:
    assert [backoff(n, 60).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(40, 60).total_seconds() == MAX_BACKOFF_SECONDS == 86400


def test_an_endpoint_that_is_gone_fails_at_once_and_one_that_is_down_is_retried(
    hook_client: Any,
    hook_settings: Settings,
    engine: Any,
    flaky: Flaky,
) -> None:
    flaky.script = [404]
    assert hook_client.post("/api/v1/webhooks", json={"url": flaky.url}).status_code == 201
    down = Flaky([])  # bound, proven once, then closed: nothing answers its port any more
    thread = threading.Thread(target=down.serve_forever, daemon=True)
    thread.start()
    assert hook_client.post("/api/v1/webhooks", json={"url": down.url}).status_code == 201
    down.shutdown()
    down.server_close()
    publish_change(engine)
    run_until_idle(engine, hook_settings, rounds=1)
    by_url = {
        message.recipient: message for message in webhook_messages(engine) if message.recipient
    }
    gone, unreachable = by_url[flaky.url], by_url[down.url]
    # 404: the endpoint is gone; retrying cannot mend it.
    assert (gone.status, gone.attempts) == (OutboxStatus.FAILED, 1)
    assert gone.last_error.startswith("HTTP 404")
    # Nothing listening: a fault that may pass, so it waits for another attempt.
    assert (unreachable.status, unreachable.attempts) == (OutboxStatus.PENDING, 1)
    assert "ConnectionRefusedError" in unreachable.last_error


@pytest.mark.parametrize("status", [300, 410])
def test_only_2xx_counts_and_the_error_keeps_500_characters_of_the_answer(
    hook_client: Any, hook_settings: Settings, engine: Any, flaky: Flaky, status: int
) -> None:
    answer = b"x" * 499 + b"yz"
    flaky.script = [(status, answer)]
    assert hook_client.post("/api/v1/webhooks", json={"url": flaky.url}).status_code == 201
    publish_change(engine)
    run_until_idle(engine, hook_settings, rounds=1)
    [message] = webhook_messages(engine)
    assert message.status == (OutboxStatus.FAILED if status == 410 else OutboxStatus.PENDING)
    assert message.attempts == 1 and message.sent_at is None
    assert message.last_error == f"HTTP {status}: " + "x" * 499 + "y"
