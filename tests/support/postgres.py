"""A throwaway PostgreSQL 15 cluster on loopback, for the test run.

Started only where the machine has PostgreSQL's binaries and we are root (the
cluster runs as the `postgres` user, in a directory it owns); stopped by PID at
the end. Set REGISTRY_TEST_POSTGRES=0 to skip it, or REGISTRY_TEST_POSTGRES_URL
to use a server of your own.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="registry-pg-"))
        self.port = _free_port()
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def start(self) -> Cluster:
        shutil.chown(self.dir, user="postgres", group="postgres")
        data = self.dir / "data"
        self._as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )
        self._as_postgres(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-w",
            "-l",
            str(self.dir / "log"),
            "start",
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
        )
        return self

    def stop(self) -> None:
        pid_file = self.dir / "data" / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().splitlines()[0])
            os.kill(pid, signal.SIGINT)  # fast shutdown
            for _ in range(100):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
        shutil.rmtree(self.dir, ignore_errors=True)


def available() -> bool:
    if os.environ.get("REGISTRY_TEST_POSTGRES") == "0":
        return False
    if os.environ.get("REGISTRY_TEST_POSTGRES_URL"):
        return True
    return (
        (PG_BIN / "initdb").exists() and os.geteuid() == 0 and shutil.which("runuser") is not None
    )


class SpareDatabases:
    """Copies of the template database made ahead, off the tests' path.

    `CREATE DATABASE … TEMPLATE` waits for a checkpoint (about half a second on a busy
    machine); a thread keeps a few copies ready and drops the used ones, so a test
    takes a fresh database at once and never waits for its own clean-up.
    """

    def __init__(self, server_url: str, template: str, ahead: int = 2) -> None:
        from sqlalchemy import create_engine

        self._admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self._template = template
        self._ready: queue.Queue[str] = queue.Queue(maxsize=ahead)
        self._used: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="spare-databases", daemon=True)
        self._thread.start()

    def _execute(self, statement: str) -> None:
        from sqlalchemy import text

        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def _work(self) -> None:
        while not self._stop.is_set():
            try:
                name = (
                    self._used.get(timeout=0.05) if self._ready.full() else self._used.get_nowait()
                )
            except queue.Empty:
                if self._ready.full():
                    continue
                name = "t_" + uuid.uuid4().hex[:16]
                self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
                self._ready.put(name)
                continue
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def take(self) -> str:
        """A fresh copy of the template (its name)."""
        return self._ready.get(timeout=120)

    def give_back(self, name: str) -> None:
        """The test is done with it: dropped in the background."""
        self._used.put(name)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self._admin.dispose()
