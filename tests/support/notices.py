"""Test support for notices: a real SMTP server on loopback (aiosmtpd), subscribers, publishing."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import Engine, insert

from registry.db import transaction
from registry.enums import SubscriberStatus
from registry.models import Subscriber
from registry.models.base import utcnow
from registry.schemas import RecipientIn
from registry.services import draft, versions
from tests.support.legal import COMPLETE_RECIPIENT, CONFIRMED_MECHANISM


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.sink.lock:
            self.sink.received.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK queued"


class SmtpSink:
    """aiosmtpd on 127.0.0.1 in this process; `stop()` and `start()` keep the port."""

    def __init__(self, port: int | None = None, *, smtputf8: bool = True) -> None:
        self.port = port or free_port()
        self.smtputf8 = smtputf8  # False: like Postfix without it, refuses non-ASCII addresses
        self.lock = threading.Lock()
        self.received: list[tuple[list[str], bytes]] = []
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpSink:
        self._controller = Controller(
            _Handler(self), hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=self.smtputf8
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def messages(self) -> list[EmailMessage]:
        with self.lock:
            raw = [content for _to, content in self.received]
        return [
            email.message_from_bytes(content, policy=email.policy.default)  # type: ignore[misc]
            for content in raw
        ]

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for rcpt, _content in self.received for to in rcpt]

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.received) >= count:
                    return
            time.sleep(0.05)
        raise AssertionError(f"expected {count} messages, got {len(self.received)}")


def add_confirmed(engine: Engine, count: int, prefix: str = "customer", lang: str = "en") -> None:
    """`count` confirmed subscribers, inserted in one statement."""
    now = utcnow()
    rows = [
        {
            "public_id": f"{prefix[:8]}{i:016x}"[:24],
            "email": f"{prefix}{i}@example.com",
            "lang": lang,
            "organisation": "",
            "status": SubscriberStatus.CONFIRMED.value,
            "confirm_nonce": "n",
            "confirmations_in_window": 0,
            "created_at": now,
            "confirmed_at": now,
        }
        for i in range(count)
    ]
    with transaction(engine) as session:
        session.execute(insert(Subscriber), rows)


# A new sub-processor complete enough to pass the publication checklist.
NEW_PROCESSOR = dict(COMPLETE_RECIPIENT)


def publish_change(engine: Engine, summary: str = "Datadog moves logs to India") -> int:
    """Datadog gains India, OpenAI is added, IPinfo leaves; published; returns its number."""
    with transaction(engine) as session:
        draft.patch_recipient(
            session,
            "datadog",
            {
                "destinations": ["US", "IN"],
                "mechanisms": {"US": CONFIRMED_MECHANISM, "IN": CONFIRMED_MECHANISM},
            },
            actor="test",
        )
        draft.create_recipient(session, RecipientIn(**NEW_PROCESSOR), actor="test")
        draft.retire_recipient(session, "ipinfo", actor="test")
        version = versions.publish(
            session, summary=summary, effective_at=None, notice_days=30, actor="test"
        )
        return version.number
