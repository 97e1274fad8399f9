"""Faults: concurrent writers on SQLite, and a process killed in the middle of publishing."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, func, select

from registry.db import make_engine
from registry.models import ChangeRecord, OutboxMessage, RegistryVersion
from tests.benchmarks.server import running_server

SLUGS = ["auth0", "aws", "datadog", "google", "stripe", "toss-payments", "ipinfo"]


def call(base: str, method: str, path: str, token: str, body: dict[str, Any]) -> int:
    request = urllib.request.Request(  # noqa: S310
        base + path,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_concurrent_writers_on_sqlite_never_see_database_is_locked() -> None:
    with running_server() as (base, env):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "registry",
                "create-admin",
                "ed@example.com",
                "--role",
                "editor",
            ],
            env=env | {"REGISTRY_ADMIN_PASSWORD": "password-password"},
            check=True,
            capture_output=True,
        )
        token = subprocess.run(
            [sys.executable, "-m", "registry", "create-token", "ed@example.com"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

        def edit(worker: int) -> list[int]:
            codes = []
            for round_ in range(12):
                slug = SLUGS[(worker + round_) % len(SLUGS)]
                body = {  # the Korean follows the English, or publication waits for it
                    "retention": f"edit {worker}-{round_}",
                    "translations": {"ko": {"retention": f"수정 {worker}-{round_}"}},
                }
                codes.append(call(base, "PATCH", f"/api/v1/draft/recipients/{slug}", token, body))
                if round_ % 4 == 3:
                    summary = {"summary": f"publication {worker}-{round_}"}
                    codes.append(call(base, "POST", "/api/v1/publications", token, summary))
            return codes

        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = [code for result in pool.map(edit, range(6)) for code in result]
    assert codes and all(code in (200, 201, 409) for code in codes), sorted(set(codes))
    assert codes.count(200) == 6 * 12


PUBLISH_FOREVER = textwrap.dedent(
    """
    import os, sys
    from registry.db import make_engine, transaction
    from registry.services import draft, versions
    engine = make_engine(sys.argv[1])
    n = 0
    while True:  # a text of its own each time: a restart must not publish "nothing changed"
        n += 1
        edit = {"retention": f"edit {os.getpid()}.{n}"}
        with transaction(engine) as session:
            draft.patch_recipient(session, "aws", edit, actor="killer")
            versions.publish(session, summary=f"v{n}", effective_at=None, notice_days=30, actor="k")
        print(n, flush=True)
    """
)


def test_killed_mid_publish_leaves_each_version_whole_or_absent(
    tmp_path: Path, sqlite_template: Path
) -> None:
    import shutil

    from tests.support.notices import add_confirmed

    database = tmp_path / "killed.db"
    shutil.copyfile(sqlite_template, database)
    url = f"sqlite:///{database}"
    setup = make_engine(url)
    add_confirmed(setup, 5)
    setup.dispose()
    for attempt in range(4):
        process = subprocess.Popen(
            [sys.executable, "-c", PUBLISH_FOREVER, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=os.environ.copy(),
        )
        assert process.stdout is not None
        process.stdout.readline()  # at least one publication went through
        time.sleep(0.05 * (attempt + 1))
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        process.stdout.close()
    engine = make_engine(url)
    with Session(engine) as session:
        numbers = list(
            session.exec(select(RegistryVersion.number).order_by(col(RegistryVersion.number)))
        )
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 4
        for version in session.exec(select(RegistryVersion)):
            assert hashlib.sha256(version.snapshot.encode()).hexdigest() == version.content_hash
            json.loads(version.snapshot)
        logged = session.exec(
            select(func.count()).select_from(ChangeRecord).where(ChangeRecord.action == "publish")
        ).one()
        assert logged == len(numbers)
        for number in numbers[1:]:  # version 1 came from the seed, before anyone subscribed
            owed = session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.version_number == number)
            ).one()
            assert owed == 5, (number, owed)
    engine.dispose()
