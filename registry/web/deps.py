"""Dependencies shared by the controllers: database sessions and the request's language."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncGenerator, Generator

import anyio
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlmodel import Session

from registry.db import read_session, write_session
from registry.i18n import negotiate
from registry.services import versions


def provide_db(state: State) -> Generator[Session, None, None]:
    """A read session; nothing it does is committed."""
    with read_session(state.engine) as session:
        yield session


async def provide_write_db(state: State) -> AsyncGenerator[Session, None]:
    """A write session: committed when the handler succeeds, rolled back when it raises.

    Commit and rollback run in a worker thread, so waiting for the database
    never blocks the event loop.
    """
    session = write_session(state.engine)
    try:
        yield session
    except BaseException:
        await anyio.to_thread.run_sync(session.rollback)
        raise
    else:
        await anyio.to_thread.run_sync(session.commit)
        state.timelines.clear()
    finally:
        await anyio.to_thread.run_sync(session.close)


def provide_lang(request: Request) -> str:  # type: ignore[type-arg]
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


class TimelineCache:
    """Which version is in force, remembered for a second.

    Public pages ask on every request; a second's staleness across processes
    is the price of not asking the database each time. A write in this
    process forgets it at once.
    """

    def __init__(self, ttl_seconds: float = 1.0) -> None:
        self._ttl = ttl_seconds
        self._lock = threading.Lock()
        self._value: versions.Timeline | None = None
        self._at = 0.0

    def get(self, session: Session) -> versions.Timeline:
        now = time.monotonic()
        with self._lock:
            value, fresh = self._value, now - self._at < self._ttl
        if value is not None and fresh and value.on == versions.today():
            return value
        value = versions.timeline(session)
        with self._lock:
            self._value, self._at = value, now
        return value

    def clear(self) -> None:
        with self._lock:
            self._value = None


DB = NamedDependency[Session]
WriteDB = NamedDependency[Session]
Lang = NamedDependency[str]
