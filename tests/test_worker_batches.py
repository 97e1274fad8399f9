"""The worker's webhooks and batches (registry/notices/worker.py): signatures, what is kept,
which failures are final and which retried; batch size, lease length and a batch that
outlives half its lease; which messages share a compression base and which are kept.
A real database and a real webhook endpoint on loopback (tests/support/worker.py).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import threading
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from registry.db import read_session, transaction
from registry.enums import OutboxKind, OutboxStatus, WebhookStatus
from registry.models import (
    OutboxMessage,
)
from registry.models.base import utcnow
from registry.notices import keep, outbox
from registry.notices.worker import (
    Worker,
    base_key,
    kept_items,
)
from registry.settings import Settings
from tests.support.worker import (  # noqa: F401 (fixtures)
    BASE_URL,
    NOT_SENT_HOOK,
    Endpoint,
    add_hook,
    add_webhook_message,
    assert_recent,
    endpoint,
    kept_of,
    mail,
    row,
    sink,
)

# Webhooks ------------------------------------------------------------------------


def test_webhooks_are_signed_and_kept_and_their_failures_final_or_retried(
    engine: Any, mail: Settings, endpoint: Endpoint
) -> None:
    endpoint.statuses = {"/down": 500, "/gone": 410}
    ok = add_hook(engine, endpoint.url("/ok"))
    down = add_hook(engine, endpoint.url("/down"))
    gone = add_hook(engine, endpoint.url("/gone"))
    disabled = add_hook(engine, endpoint.url("/disabled"), status=WebhookStatus.DISABLED)
    messages = {
        "ok": add_webhook_message(engine, ok),
        "down": add_webhook_message(engine, down),
        "gone": add_webhook_message(engine, gone),
        "disabled": add_webhook_message(engine, disabled),
        "removed": add_webhook_message(engine, None),
    }
    worker = Worker(engine, mail, name="w-hooks")
    before = utcnow()
    assert worker.run_once() == 5
    after = utcnow()
    assert [path for path, _h, _b in endpoint.posts] == ["/ok", "/down", "/gone"]
    bodies = {body for _p, _h, body in endpoint.posts}
    assert len(bodies) == 1  # one body per version, for every endpoint
    _path, headers, body = endpoint.posts[0]
    payload = json.loads(body)
    assert (payload["event"], payload["version"]) == ("publication", 1)
    assert payload["links"]["table"] == f"{BASE_URL}/"
    assert headers["X-Registry-Delivery"] == str(messages["ok"].id)
    assert headers["X-Registry-Event"] == "publication"
    fields = dict(part.split("=", 1) for part in headers["X-Registry-Signature"].split(","))
    expected = hmac.new(ok.secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256)
    assert fields["v1"] == expected.hexdigest()

    sent = row(engine, messages["ok"])
    assert (sent.status, sent.attempts, sent.response) == (OutboxStatus.SENT, 1, "HTTP 200")
    assert sent.message_id == "" and sent.last_error == ""
    [(kept, key, kept_raw)] = kept_of(engine, messages["ok"])
    assert kept_raw == body and key == f"body:{hashlib.sha256(body).hexdigest()}"
    assert (kept.channel, kept.recipient, kept.reply) == ("webhook", ok.url, "HTTP 200")
    assert kept.version_number == 1 and kept.message_id == ""
    assert json.loads(kept.headers) == {
        name: headers[name]
        for name in ("X-Registry-Signature", "X-Registry-Event", "X-Registry-Delivery")
    }
    assert_recent(kept.handed_at, before, after)
    assert_recent(kept.replied_at, kept.handed_at, after)

    retried = row(engine, messages["down"])
    assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 1)
    assert retried.last_error == "HTTP 500: {}"
    failed = row(engine, messages["gone"])
    assert (failed.status, failed.last_error) == (OutboxStatus.FAILED, "HTTP 410: {}")
    for name in ("disabled", "removed"):
        dropped = row(engine, messages[name])
        assert (dropped.status, dropped.attempts) == (OutboxStatus.FAILED, 1)
        assert dropped.last_error == NOT_SENT_HOOK
    assert [kept_of(engine, messages[name]) for name in ("down", "gone", "disabled")] == [[]] * 3


def test_a_webhook_address_no_longer_allowed_is_retried_with_the_reason(
    engine: Any, settings: Settings
) -> None:
    strict = settings.model_copy(update={"webhook_allow_insecure_loopback": False})
    message = add_webhook_message(engine, add_hook(engine, "http://127.0.0.1:9/hook"))
    worker = Worker(engine, strict)
    assert worker.run_once() == 1
    retried = row(engine, message)
    assert (retried.status, retried.attempts) == (OutboxStatus.PENDING, 1)
    assert retried.last_error == "Validation failed: url: must be an https URL"


# Batches and leases ----------------------------------------------------------------


def test_a_batch_is_100_messages_by_default_claimed_in_the_workers_name(
    engine: Any, settings: Settings
) -> None:
    with transaction(engine) as session:
        session.add_all(
            OutboxMessage(kind=OutboxKind.WEBHOOK, dedupe_key=f"webhook:x:{i}", recipient="")
            for i in range(101)
        )
    worker = Worker(engine, settings)
    assert worker.run_once() == 100
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert {(m.status, m.attempts, m.last_error) for m in rows[:100]} == {
        (OutboxStatus.FAILED, 1, NOT_SENT_HOOK)
    }
    assert (rows[100].status, rows[100].attempts) == (OutboxStatus.PENDING, 0)
    name = f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"
    assert {m.claimed_by for m in rows[:100]} == {name}
    assert worker.run_once() == 1
    assert worker.run_once() == 0


def test_the_lease_is_five_minutes_unless_told(
    engine: Any, mail: Settings, endpoint: Endpoint
) -> None:
    message = add_webhook_message(engine, add_hook(engine, endpoint.url()))
    leases: list[timedelta] = []

    def look(_count: int) -> None:  # while the worker holds the message
        held = row(engine, message)
        assert held.lease_until is not None and held.claimed_at is not None
        assert held.status == OutboxStatus.SENDING
        leases.append(held.lease_until - held.claimed_at)

    endpoint.on_post = look
    Worker(engine, mail).run_once()
    assert leases == [timedelta(seconds=300)]


def test_a_batch_that_outlives_half_its_lease_hands_back_the_rest(
    engine: Any, mail: Settings, endpoint: Endpoint
) -> None:
    # A 3 s lease: no delivery is started once half of it (1.5 s) has gone. The first
    # takes 1.05 s, so the second is still started; after it, 1.55 s have gone.
    endpoint.delays = [1.05, 0.5]
    hook = add_hook(engine, endpoint.url())
    messages = [add_webhook_message(engine, hook) for _ in range(3)]
    worker = Worker(engine, mail, lease_seconds=3.0)
    assert worker.run_once() == 3
    assert len(endpoint.posts) == 2
    assert [row(engine, m).status for m in messages[:2]] == [OutboxStatus.SENT] * 2
    rest = row(engine, messages[2])
    assert (rest.status, rest.attempts) == (OutboxStatus.PENDING, 0)
    assert rest.claim_token is None and rest.lease_until is None


# The helpers ------------------------------------------------------------------------


def test_which_messages_share_a_compression_base() -> None:
    def message(kind: OutboxKind) -> OutboxMessage:
        return OutboxMessage(kind=kind, dedupe_key="k", recipient="r", lang="ko", version_number=3)

    assert base_key(message(OutboxKind.NOTICE)) == "notice:3:ko"
    assert base_key(message(OutboxKind.CONFIRMATION)) == f"confirm:ko:{utcnow():%Y-%m}"
    for kind in (OutboxKind.MESSAGE, OutboxKind.CONTRACT, OutboxKind.WEBHOOK):
        assert base_key(message(kind)) == ""


def test_only_messages_handed_over_are_kept() -> None:
    now = utcnow()
    handed = keep.Handed("email", b"raw", "250 OK", now, now)
    sent = OutboxMessage(
        id=7, kind=OutboxKind.NOTICE, dedupe_key="a", recipient="r", version_number=2
    )
    failed = OutboxMessage(id=8, kind=OutboxKind.NOTICE, dedupe_key="b", recipient="r")
    results = [
        outbox.Result(sent, ok=True, handed=handed),
        outbox.Result(failed, ok=False, error="refused"),
    ]
    assert kept_items(results) == [(7, 2, handed)]
