"""Delivery: several workers never send one notice twice; a killed worker loses nothing;
an SMTP server that is down gets the messages later, with the failure recorded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, func, select

from registry.db import read_session
from registry.enums import OutboxStatus
from registry.models import OutboxMessage
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import SmtpSink, add_confirmed, publish_change


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


def statuses(engine: Any) -> dict[str, int]:
    with read_session(engine) as session:
        rows = session.exec(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)  # type: ignore[call-overload]
        ).all()
    return {str(status.value): n for status, n in rows}


def test_two_workers_never_send_one_notice_twice(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 400)
    publish_change(engine)
    mail = settings.model_copy(update={"smtp_url": sink.url})
    workers = [Worker(engine, mail, batch_size=20, name=f"w{i}") for i in range(2)]

    def drain(worker: Worker) -> None:
        while worker.run_once():
            pass
        worker.close()

    threads = [threading.Thread(target=drain, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = Counter(sink.recipients())
    assert len(counts) == 400
    assert max(counts.values()) == 1
    assert statuses(engine) == {"sent": 400}
    with read_session(engine) as session:
        claimed_by = set(session.exec(select(OutboxMessage.claimed_by)).all())
    assert claimed_by == {"w0", "w1"}  # both took part


def worker_process(settings: Settings, sink: SmtpSink, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "REGISTRY_DATABASE_URL": settings.database_url,
        "REGISTRY_SMTP_URL": sink.url,
        "REGISTRY_SECRET_KEY": settings.secret_key,
        "REGISTRY_VAR_DIR": str(tmp_path / "var"),
        "REGISTRY_WORKER_POLL_SECONDS": "0.2",
        "REGISTRY_OUTBOX_RETRY_SECONDS": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "registry", "worker", "--batch", "25", "--lease", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_worker_killed_mid_fan_out_loses_nothing_after_restart(
    engine: Any, settings: Settings, sink: SmtpSink, tmp_path: Path
) -> None:
    total = 2000
    add_confirmed(engine, total)
    publish_change(engine)
    first = worker_process(settings, sink, tmp_path)
    try:
        sink.wait_for(300, timeout=60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    delivered_before_kill = len(set(sink.recipients()))
    assert delivered_before_kill < total  # killed mid fan-out
    second = worker_process(settings, sink, tmp_path)
    try:
        deadline = time.monotonic() + 120
        while statuses(engine).get("sent", 0) < total and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    counts = Counter(sink.recipients())
    assert len(counts) == total  # every owed notice arrived
    assert statuses(engine) == {"sent": total}
    assert sum(counts.values()) - total <= 25  # duplicates: at most the batch in flight


def test_smtp_down_then_back_delivers_later_with_the_failure_recorded(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 3)
    publish_change(engine)
    sink.stop()
    mail = settings.model_copy(update={"smtp_url": sink.url, "outbox_retry_seconds": 0})
    worker = Worker(engine, mail)
    assert worker.run_once() == 3
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    assert {row.status for row in rows} == {OutboxStatus.PENDING}
    assert all("cannot connect" in row.last_error and row.attempts == 1 for row in rows)
    sink.start()
    while worker.run_once():
        pass
    worker.close()
    assert sorted(sink.recipients()) == [f"customer{i}@example.com" for i in range(3)]
    with read_session(engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert all(row.status == OutboxStatus.SENT and row.attempts == 2 for row in rows)
    assert all("cannot connect" in row.last_error for row in rows)  # the reason is kept


def test_a_message_that_keeps_failing_is_failed_after_the_last_attempt(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 1)
    publish_change(engine)
    sink.stop()
    mail = settings.model_copy(
        update={"smtp_url": sink.url, "outbox_retry_seconds": 0, "outbox_max_attempts": 3}
    )
    worker = Worker(engine, mail)
    while worker.run_once():
        pass
    assert statuses(engine) == {"failed": 1}
    sink.start()


def test_the_app_delivers_in_process_unless_told_not_to(
    settings: Settings, engine: Any, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    from litestar.testing import TestClient

    from registry.app import create_app

    live = settings.model_copy(
        update={"smtp_url": sink.url, "worker_in_process": True, "worker_poll_seconds": 0.1}
    )
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    monkeypatch.setenv("REGISTRY_NO_WORKER", "1")
    with TestClient(app=create_app(live), base_url="http://testserver.local") as client:
        client.post("/subscribe", data={"email": "quiet@example.com"}, headers=form)
        assert client.app.state.get("worker") is None
        assert "registry-worker" not in {t.name for t in threading.enumerate()}
    assert sink.received == []
    with read_session(engine) as session:
        [queued] = session.exec(select(OutboxMessage)).all()
    assert queued.status == OutboxStatus.PENDING and queued.attempts == 0
    monkeypatch.delenv("REGISTRY_NO_WORKER")
    with TestClient(app=create_app(live), base_url="http://testserver.local") as client:
        client.post("/subscribe", data={"email": "live@example.com"}, headers=form)
        sink.wait_for(2, timeout=20)  # this one, and the one queued while no worker ran
    assert sorted(sink.recipients()) == ["live@example.com", "quiet@example.com"]


def test_a_claim_takes_at_most_its_batch(engine: Any) -> None:
    from registry.db import transaction
    from registry.notices import outbox

    add_confirmed(engine, 100)
    publish_change(engine)
    with transaction(engine) as session:
        claimed = outbox.claim(session, worker="w", limit=10, lease_seconds=60)
    assert len(claimed) == 10
    assert statuses(engine) == {"sending": 10, "pending": 90}


def test_a_batch_that_outlives_half_its_lease_hands_the_rest_back(
    engine: Any, settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 5)
    publish_change(engine)
    mail = settings.model_copy(update={"smtp_url": sink.url})
    worker = Worker(engine, mail, lease_seconds=0.000001)
    assert worker.run_once() == 5
    worker.close()
    assert len(sink.received) == 1  # one is always attempted, so the queue moves
    with read_session(engine) as session:
        waiting = session.exec(
            select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)
        ).all()
    assert len(waiting) == 4 and all(m.attempts == 0 and m.claim_token is None for m in waiting)
