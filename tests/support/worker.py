"""What the worker's focused tests share (tests/test_worker_*.py): a real SMTP server and a
webhook endpoint on loopback, the settings that point the worker at them, and the rows
they put in the outbox and read back."""

from __future__ import annotations

import email
import email.policy
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from registry.db import read_session, transaction
from registry.enums import OutboxKind, SubscriberStatus, WebhookStatus
from registry.models import (
    KeptBase,
    KeptMessage,
    OutboxMessage,
    Subscriber,
    WebhookEndpoint,
)
from registry.notices import keep
from registry.notices.worker import (
    Worker,
)
from registry.settings import Settings
from tests.support.notices import SmtpSink

MAIL_FROM = "notices@example.org"
OTHER_KEY = "another-secret-key-" + "y" * 32
BASE_URL = "http://testserver.local"
NOT_SENT_STATUS = "not sent: the subscriber's status changed"
NOT_SENT_HOOK = "not sent: webhook removed"


# The real parts: an SMTP server and a webhook endpoint on loopback -----------


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


class Endpoint(ThreadingHTTPServer):
    """A webhook endpoint on 127.0.0.1: answers each path with its status (200 unless
    told), the n-th delivery after `delays[n - 1]` seconds (none if not given);
    `on_post(n)` runs as the n-th delivery arrives."""

    def __init__(self) -> None:
        self.statuses: dict[str, int] = {}
        self.delays: list[float] = []
        self.on_post: Callable[[int], None] | None = None
        self.posts: list[tuple[str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _EndpointHandler)

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class _EndpointHandler(BaseHTTPRequestHandler):
    server: Endpoint

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with self.server.lock:
            self.server.posts.append((self.path, dict(self.headers), body))
            count = len(self.server.posts)
        if count <= len(self.server.delays):
            time.sleep(self.server.delays[count - 1])  # a slow receiver
        if self.server.on_post is not None:
            self.server.on_post(count)
        answer = b"{}"
        self.send_response(self.server.statuses.get(self.path, 200))
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    server = Endpoint()
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def mail(settings: Settings, sink: SmtpSink) -> Settings:
    """Settings for delivering: the SMTP sink, a sender of our own, a 60 s first retry."""
    return settings.model_copy(
        update={
            "smtp_url": sink.url,
            "mail_from": MAIL_FROM,
            "outbox_retry_seconds": 60.0,
            "outbox_max_attempts": 8,
            "webhook_allow_insecure_loopback": True,
        }
    )


# Rows --------------------------------------------------------------------------


def add_subscriber(
    engine: Engine,
    address: str,
    *,
    status: SubscriberStatus = SubscriberStatus.CONFIRMED,
    lang: str = "en",
) -> Subscriber:
    with transaction(engine) as session:
        subscriber = Subscriber(
            public_id=uuid.uuid4().hex[:24],
            email=address,
            lang=lang,
            status=status,
            confirm_nonce="nonce",
        )
        session.add(subscriber)
        session.flush()
        return subscriber


def add_message(engine: Engine, kind: OutboxKind, **fields: Any) -> OutboxMessage:
    fields.setdefault("dedupe_key", f"{kind.value}:{uuid.uuid4().hex}")
    fields.setdefault("recipient", "")
    with transaction(engine) as session:
        message = OutboxMessage(kind=kind, **fields)
        session.add(message)
        session.flush()
        return message


def add_one_off(engine: Engine, recipient: str, **fields: Any) -> OutboxMessage:
    """A one-off email (an objection's confirmation, reply…) with a plain subject and body."""
    plain = {"subject": "Hello", "body_text": "text\n", "body_html": "<p>html</p>\n"}
    return add_message(engine, OutboxKind.MESSAGE, recipient=recipient, **(plain | fields))


def add_notice(engine: Engine, subscriber: Subscriber, version: int | None = 1) -> OutboxMessage:
    return add_message(
        engine,
        OutboxKind.NOTICE,
        dedupe_key=f"notice:{version}:{subscriber.id}:{uuid.uuid4().hex[:6]}",
        recipient=subscriber.email,
        lang=subscriber.lang,
        subscriber_id=subscriber.id,
        version_number=version,
    )


def add_hook(
    engine: Engine, url: str, *, status: WebhookStatus = WebhookStatus.ACTIVE
) -> WebhookEndpoint:
    with transaction(engine) as session:
        hook = WebhookEndpoint(url=url, secret=f"secret-{uuid.uuid4().hex}", status=status)
        session.add(hook)
        session.flush()
        return hook


def add_webhook_message(
    engine: Engine, hook: WebhookEndpoint | None, version: int | None = 1
) -> OutboxMessage:
    return add_message(
        engine,
        OutboxKind.WEBHOOK,
        recipient=hook.url if hook else "",
        webhook_id=hook.id if hook else None,
        version_number=version,
    )


def row(engine: Engine, message: OutboxMessage) -> OutboxMessage:
    with read_session(engine) as session:
        found = session.get(OutboxMessage, message.id)
        assert found is not None
        return found


def kept_of(engine: Engine, message: OutboxMessage) -> list[tuple[KeptMessage, str, bytes]]:
    """What was kept of one message's sends: (row, its base's key, the bytes)."""
    with read_session(engine) as session:
        rows = session.exec(
            select(KeptMessage)
            .where(KeptMessage.outbox_id == message.id)
            .order_by(col(KeptMessage.id))
        ).all()
        found = []
        for kept in rows:
            base = session.get(KeptBase, kept.base_id)
            assert base is not None
            found.append((kept, base.key, keep.raw_bytes(session, kept)))
        return found


def received(sink: SmtpSink) -> dict[str, tuple[EmailMessage, bytes]]:
    """{envelope recipient: (the message parsed, its bytes)}."""
    with sink.lock:
        items = list(sink.received)
    found = {}
    for recipients, content in items:
        parsed = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        for to in recipients:
            found[to] = (parsed, content)
    return found


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")  # type: ignore[attr-defined]


def worker_logs(caplog: pytest.LogCaptureFixture) -> list[tuple[int, str]]:
    return [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "registry.worker"]


def has_hangul(text: str) -> bool:
    return any("\uac00" <= char <= "\ud7a3" for char in text)


def assert_recent(moment: datetime | None, before: datetime, after: datetime) -> None:
    assert moment is not None
    assert before <= moment <= after


def run_in_thread(
    worker: Worker, stop: threading.Event, name: str = "worker-under-test"
) -> threading.Thread:
    thread = threading.Thread(target=worker.run, args=(stop,), name=name, daemon=True)
    thread.start()
    return thread
