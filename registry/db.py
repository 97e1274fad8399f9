"""Engines and sessions.

SQLite runs in WAL mode with a busy timeout; transactions that write start with
`BEGIN IMMEDIATE`, so two writers queue for the lock instead of failing with
"database is locked" half-way through. Any other SQLAlchemy URL is used as is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITE = {"registry_write": True}


@dataclass(frozen=True)
class PoolSize:
    """Connections kept, extra connections allowed, and how long a request waits for one.

    The app runs as many database threads as the pool has connections
    (`size + overflow`), so a thread never waits for a connection that a
    finished request still holds; the short wait is answered 503 when it ends.
    """

    size: int = 5
    overflow: int = 10
    timeout: float = 30.0

    @property
    def connections(self) -> int:
        return self.size + self.overflow


def make_engine(url: str, pool: PoolSize | None = None) -> Engine:
    """An engine for `url`, with SQLite tuned for several processes."""
    parsed = make_url(url)
    sizing: dict[str, Any] = {}
    if pool is not None:
        sizing = {
            "pool_size": pool.size,
            "max_overflow": pool.overflow,
            "pool_timeout": pool.timeout,
        }
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **sizing)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    else:
        sizing = {}  # an in-memory database lives in one connection
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        **sizing,
    )
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("registry_write")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def write_session(engine: Engine) -> Session:
    """A session whose transaction takes the write lock at its start (SQLite)."""
    return Session(engine.execution_options(**WRITE), expire_on_commit=False)


def read_session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One write transaction: commit on success, roll back on any error."""
    with write_session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
