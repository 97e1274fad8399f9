"""The worker's run loop and the app's in-process worker (registry/notices/worker.py):
polling while there is work and when idle, errors logged and tried again after the poll
interval, and the worker the app starts and stops, or does not start. A real database and
real servers on loopback (tests/support/worker.py).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from jinja2 import DictLoader, Environment
from litestar.datastructures import State
from sqlalchemy import update
from sqlmodel import col

from registry.db import make_engine, transaction
from registry.enums import OutboxKind, OutboxStatus
from registry.models import (
    RegistryVersion,
)
from registry.models.base import utcnow
from registry.notices import render
from registry.notices.worker import (
    Worker,
    start_in_process,
    stop_in_process,
)
from registry.settings import Settings
from tests.support.notices import SmtpSink
from tests.support.worker import (  # noqa: F401 (fixtures)
    BASE_URL,
    OTHER_KEY,
    Endpoint,
    add_hook,
    add_message,
    add_notice,
    add_subscriber,
    add_webhook_message,
    endpoint,
    mail,
    received,
    row,
    run_in_thread,
    sink,
    text_of,
    worker_logs,
)

# The run loop and the app's worker ----------------------------------------------------


def test_run_goes_on_without_pausing_while_there_is_work_and_logs_start_and_stop(
    engine: Any, mail: Settings, endpoint: Endpoint, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="registry.worker")
    hook = add_hook(engine, endpoint.url())
    messages = [add_webhook_message(engine, hook) for _ in range(2)]
    stop = threading.Event()
    endpoint.on_post = lambda count: stop.set() if count == 2 else None
    slow_poll = mail.model_copy(update={"worker_poll_seconds": 60})
    thread = run_in_thread(Worker(engine, slow_poll, batch_size=1, name="w-run"), stop)
    thread.join(timeout=10)
    alive = thread.is_alive()
    stop.set()
    assert not alive  # the second batch came at once, not after the 60 s poll
    assert [row(engine, m).status for m in messages] == [OutboxStatus.SENT] * 2
    logs = worker_logs(caplog)
    assert logs[0] == (logging.INFO, "worker w-run started")
    assert logs[-1] == (logging.INFO, "worker w-run stopped")


def test_an_idle_worker_looks_again_after_its_poll_interval(
    engine: Any, mail: Settings, endpoint: Endpoint
) -> None:
    message = add_message(
        engine,
        OutboxKind.WEBHOOK,
        recipient=endpoint.url(),
        webhook_id=add_hook(engine, endpoint.url()).id,
        version_number=1,
        next_attempt_at=utcnow() + timedelta(seconds=0.3),  # not due at the first look
    )
    stop = threading.Event()
    endpoint.on_post = lambda _count: stop.set()
    quick = mail.model_copy(update={"worker_poll_seconds": 0.05})
    thread = run_in_thread(Worker(engine, quick), stop)
    thread.join(timeout=10)
    alive = thread.is_alive()
    stop.set()
    assert not alive
    assert row(engine, message).status == OutboxStatus.SENT


class Watch(logging.Handler):
    """Notes when the worker running in thread `thread` logs at `level`; sets `stop` at
    the `count`-th such record."""

    def __init__(self, thread: str, level: int, count: int, stop: threading.Event) -> None:
        super().__init__(level)
        self.thread, self.count, self.stop = thread, count, stop
        self.seen: list[tuple[float, logging.LogRecord]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == self.level and record.threadName == self.thread:
            self.seen.append((time.monotonic(), record))
            if len(self.seen) >= self.count:
                self.stop.set()


def run_until_logged(
    worker: Worker, level: int, count: int
) -> list[tuple[float, logging.LogRecord]]:
    """Run the worker until it logged `count` records at `level`; those records."""
    stop = threading.Event()
    name = f"worker-under-test-{uuid.uuid4().hex[:8]}"
    watch = Watch(name, level, count, stop)
    logger = logging.getLogger("registry.worker")
    logger.addHandler(watch)
    try:
        thread = run_in_thread(worker, stop, name)
        thread.join(timeout=10)
        alive = thread.is_alive()
        stop.set()
        thread.join(timeout=10)
    finally:
        logger.removeHandler(watch)
    assert not alive
    return watch.seen


def test_a_database_error_is_logged_and_tried_again_after_the_poll_interval(
    settings: Settings, tmp_path: Path
) -> None:
    empty = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")  # no tables at all
    try:
        polling = settings.model_copy(update={"worker_poll_seconds": 0.2})
        seen = run_until_logged(Worker(empty, polling, name="w-db"), logging.WARNING, 2)
    finally:
        empty.dispose()
    assert len(seen) == 2
    for _at, record in seen:
        assert record.getMessage().startswith(
            "worker w-db: database error: (sqlite3.OperationalError) no such table: outbox_message"
        )
    assert seen[1][0] - seen[0][0] >= 0.2  # it waited the poll interval


def test_an_unexpected_error_is_logged_with_its_traceback_and_tried_again_after_the_poll(
    engine: Any, mail: Settings, endpoint: Endpoint
) -> None:
    with transaction(engine) as session:  # a version the worker cannot read
        session.execute(
            update(RegistryVersion).where(col(RegistryVersion.number) == 1).values(snapshot="{")
        )
    message = add_webhook_message(engine, add_hook(engine, endpoint.url()))
    polling = mail.model_copy(update={"worker_poll_seconds": 0.2})
    worker = Worker(engine, polling, name="w-odd", lease_seconds=0.000001)
    seen = run_until_logged(worker, logging.ERROR, 2)
    assert [record.getMessage() for _at, record in seen] == ["worker w-odd: unexpected error"] * 2
    assert all(
        record.exc_info is not None and isinstance(record.exc_info[1], ValueError)
        for _at, record in seen
    )
    assert seen[1][0] - seen[0][0] >= 0.2
    held = row(engine, message)  # never recorded: its lease hands it to the next claim
    assert (held.status, held.attempts) == (OutboxStatus.SENDING, 2)
    assert endpoint.posts == []


class App:
    """What the app's startup and shutdown hooks read: its `state`."""

    def __init__(self, state: State) -> None:
        self.state = state


def custom_templates() -> Environment:
    return Environment(
        loader=DictLoader(
            {
                "email/notice_subject.txt": "Custom notice {{ version.number }}",
                "email/notice.txt": "Object: {{ objection_url }}\nLeave: {{ unsubscribe_url }}\n",
                "email/notice.html": "<p>{{ manage_url }}</p>",
            }
        ),
        autoescape=True,
    )


def test_the_app_starts_a_named_daemon_worker_with_its_key_and_templates_and_stops_it(
    engine: Any, mail: Settings, sink: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("REGISTRY_NO_WORKER", raising=False)
    subscriber = add_subscriber(engine, "anna@example.com")
    add_notice(engine, subscriber)
    live = mail.model_copy(update={"worker_in_process": True})
    app = App(
        State(
            {
                "settings": live,
                "engine": engine,
                "secret_key": OTHER_KEY,
                "templates": custom_templates(),
            }
        )
    )
    start_in_process(app)
    thread, stop = app.state.worker
    try:
        assert thread.name == "registry-worker" and thread.daemon and thread.is_alive()
        sink.wait_for(1, timeout=10)
    finally:
        stop_in_process(app)
    assert stop.is_set() and not thread.is_alive()
    [(parsed, _raw)] = received(sink).values()
    links = render.subscriber_links(subscriber, BASE_URL, OTHER_KEY, version=1)
    assert parsed["Subject"] == "Custom notice 1"
    assert text_of(parsed) == f"Object: {links.objection}\nLeave: {links.unsubscribe}"


@pytest.mark.parametrize(("in_process", "no_worker"), [(False, None), (True, "1")])
def test_the_app_starts_no_worker_when_the_settings_or_the_environment_say_not(
    engine: Any,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    in_process: bool,
    no_worker: str | None,
) -> None:
    if no_worker is None:
        monkeypatch.delenv("REGISTRY_NO_WORKER", raising=False)
    else:
        monkeypatch.setenv("REGISTRY_NO_WORKER", no_worker)
    app = App(
        State(
            {
                "settings": settings.model_copy(update={"worker_in_process": in_process}),
                "engine": engine,
                "secret_key": OTHER_KEY,
                "templates": custom_templates(),
            }
        )
    )
    threads = set(threading.enumerate())
    start_in_process(app)
    try:
        assert app.state.get("worker") is None
        assert [thread for thread in threading.enumerate() if thread not in threads] == []
    finally:
        stop_in_process(app)  # nothing to stop: no error
