"""10,000 confirmed subscribers notified to a local aiosmtpd sink, against a bare smtplib loop.

The ratio is the worker's messages per second (claim, render, send, record) over
a bare loop that sends an already-built notice of the same size over one
smtplib connection to the same sink. One run each; goal: ratio >= 0.5.
"""

from __future__ import annotations

import shutil
import smtplib
import tempfile
import time
from pathlib import Path
from typing import Any

from registry.db import make_engine, transaction
from registry.migrate import upgrade
from registry.notices.worker import Worker
from registry.services.seed import load_seed
from registry.settings import Settings
from tests.support.notices import SmtpSink, add_confirmed, publish_change

SUBSCRIBERS = 10_000


def bare_loop(sink: SmtpSink, message: bytes, count: int) -> float:
    """Messages per second of smtplib alone, one connection."""
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for i in range(count):
            smtp.sendmail("privacy@localhost", [f"bare{i}@example.com"], message)
    return count / (time.perf_counter() - started)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-notices-"))
    sink = SmtpSink().start()
    try:
        url = f"sqlite:///{workdir / 'registry.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with transaction(engine) as session:
            load_seed(session)
        add_confirmed(engine, SUBSCRIBERS)
        started = time.perf_counter()
        publish_change(engine)
        fan_out = time.perf_counter() - started
        settings = Settings(
            database_url=url,
            smtp_url=sink.url,
            secret_key="bench-" + "x" * 40,
            var_dir=workdir / "var",
            _env_file=None,  # type: ignore[call-arg]
        )
        worker = Worker(engine, settings, batch_size=200)
        started = time.perf_counter()
        while worker.run_once():
            pass
        worker.close()
        ours = SUBSCRIBERS / (time.perf_counter() - started)
        assert len(sink.received) == SUBSCRIBERS, len(sink.received)
        sample = sink.received[0][1]
        sent_bytes = sum(len(content) for _to, content in sink.received)
        kept = kept_cost(engine)
        sink.received.clear()
        bare = bare_loop(sink, sample, SUBSCRIBERS)
        engine.dispose()
    finally:
        sink.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"publish with {SUBSCRIBERS} outbox rows: {fan_out * 1000:.0f} ms")
    print(f"worker: {ours:.0f} messages/s; bare smtplib loop: {bare:.0f} messages/s")
    print(f"ratio: {ours / bare:.2f} (goal >= 0.5)")
    print(
        f"kept bytes of {SUBSCRIBERS} notices: {kept / 1e6:.2f} MB stored for "
        f"{sent_bytes / 1e6:.1f} MB sent ({kept / SUBSCRIBERS:.0f} bytes a message, "
        f"{kept / sent_bytes:.1%} of what was sent; rows' other columns aside)"
    )


def kept_cost(engine: Any) -> int:
    """What the exact bytes of every message sent take in the kept tables."""
    from sqlmodel import Session

    from registry.notices.keep import storage_bytes

    with Session(engine) as session:
        return storage_bytes(session)


if __name__ == "__main__":
    main()
