"""Dependencies shared by the controllers: database sessions and the request's language."""

from __future__ import annotations

import asyncio
import functools
import threading
import time
from collections.abc import AsyncGenerator, Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs

import anyio
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import Engine
from sqlmodel import Session

from registry.db import read_session, write_session
from registry.i18n import negotiate
from registry.services import versions
from registry.web.language import COOKIE_NAME
from registry.web.pipeline import SESSIONS_KEY

T = TypeVar("T")


def provide_db(request: Request) -> Session:  # type: ignore[type-arg]
    """A read session; nothing it does is committed.

    Not a generator: the pipeline closes it when the response starts (on the
    event loop, without waiting for a thread), so under a burst a finished
    request never holds its connection while it queues for a thread to close it.
    A session takes no connection until its first query.
    """
    session = read_session(request.app.state.engine)
    request.scope["state"].setdefault(SESSIONS_KEY, []).append(session)
    return session


async def run_db(engine: Engine, work: Callable[[Session], T]) -> T:
    """`work(session)` in a database thread, the session opened and closed inside it."""

    def call() -> T:
        with read_session(engine) as session:
            return work(session)

    return await anyio.to_thread.run_sync(call)


async def provide_write_db(state: State) -> AsyncGenerator[Session, None]:
    """A write session: committed when the handler succeeds, rolled back when it raises.

    Commit runs in a database thread, so waiting for the write lock never
    blocks the event loop; rollback and close are quick and run in place, so a
    request never waits for a thread just to give its connection back.
    """
    session = write_session(state.engine)
    try:
        yield session
    except BaseException:
        session.rollback()  # quick, and it releases SQLite's write lock at once
        raise
    else:
        await anyio.to_thread.run_sync(session.commit)
        state.timelines.clear()
    finally:
        session.close()  # after commit or rollback: only returns the connection to the pool


def provide_lang(request: Request) -> str:  # type: ignore[type-arg]
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


@functools.lru_cache(maxsize=1024)
def _negotiate_cached(query: str | None, cookie: str | None, accept: str | None) -> str:
    return negotiate(query, cookie, accept)


def request_language(scope: Any) -> str:
    """`provide_lang` from the raw scope, in one pass and memoised: for the hot public reads."""
    query = cookie = accept = None
    query_string: bytes = scope.get("query_string", b"")
    if b"lang=" in query_string:
        values = parse_qs(query_string.decode("latin-1")).get("lang")
        query = values[0] if values else None
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _sep, item = part.strip().partition("=")
                if key == COOKIE_NAME:
                    cookie = item
        elif name == b"accept-language":
            accept = value.decode("latin-1")
    if accept is not None and len(accept) > 256:
        return negotiate(query, cookie, accept)  # unusual: not worth a cache entry
    return _negotiate_cached(query, cookie, accept)


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
        self._refresh: asyncio.Future[versions.Timeline] | None = None
        self._at = 0.0
        self._generation = 0  # a write's clear() outdates lookups begun before it

    def get(self, session: Session) -> versions.Timeline:
        now = time.monotonic()
        with self._lock:
            value, fresh = self._value, now - self._at < self._ttl
            generation = self._generation
        if value is not None and fresh and value.on == versions.today():
            return value
        value = versions.timeline(session)
        with self._lock:
            if generation == self._generation:
                self._value, self._at = value, now
        return value

    def peek(self) -> versions.Timeline | None:
        """The remembered timeline while it is fresh (the same object for its second), else None."""
        value = self._value
        if value is None or time.monotonic() - self._at >= self._ttl:
            return None
        return value if value.on == versions.today() else None

    async def current(self, engine: Engine) -> versions.Timeline:
        """The timeline without a thread or a connection when it is fresh (the common case).

        When it is not, one lookup runs and every request arriving meanwhile
        awaits that same lookup: a burst never queues a thousand identical
        queries for the database threads when the second runs out.
        """
        value = self.peek()
        if value is not None:
            return value
        refresh = self._refresh
        if refresh is None or refresh.done():
            refresh = self._refresh = asyncio.ensure_future(run_db(engine, self.get))
        return await asyncio.shield(refresh)

    def clear(self) -> None:
        with self._lock:
            self._value = None
            self._generation += 1
        self._refresh = None  # the next request looks again rather than join an older lookup


DB = NamedDependency[Session]
WriteDB = NamedDependency[Session]
Lang = NamedDependency[str]
