"""The public pages: the transfer table in force, and the health checks.

`/` is the route customers, monitoring tools and vendor-risk scrapers hit. Once
the version in force is known (the timeline, remembered for a second), a
cached page costs no thread and no database connection: the handler is async
and the bytes come from memory. Only a miss renders, in a database thread whose
session is opened and closed inside it.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

import anyio
from litestar import Controller, Request, Response, get
from litestar.exceptions import HTTPException
from litestar.types import ASGIApp
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from registry.db import read_session
from registry.i18n import language
from registry.notices import scopes
from registry.pages import Rendered
from registry.services import recipient_history, versions
from registry.web import httpcache
from registry.web.deps import request_language, run_db

PATH_HOME = "/"
PATH_HEALTH = "/health"
PATH_READY = "/health/ready"
PATH_LIVE = "/health/live"
READY_TTL_SECONDS = 1.0


def cached_response(
    request: Request[Any, Any, Any], rendered: Rendered, **headers: str
) -> Response[bytes]:
    """The bytes, or 304 when the caller holds them; extra headers (Content-Language) added."""
    return httpcache.cached_response(request, rendered, headers=headers)


def public_cache_control(request: Request[Any, Any, Any], timeline: versions.Timeline) -> str:
    """`public, max-age=N`, N ending at the next upcoming effective date."""
    cap = request.app.state.settings.public_max_age_seconds
    return f"public, max-age={httpcache.max_age(timeline.upcoming, cap)}"


def remember_published(request: Request[Any, Any, Any], number: int, moment: datetime) -> None:
    """Keep a version's publication time (never changes) for Last-Modified on cache hits."""
    request.app.state.published_at[number] = moment


class PublicController(Controller):
    include_in_schema = False

    @get(PATH_HOME)
    async def home(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """The transfer table in force, rendered once per version and language."""
        state = request.app.state
        lang = request_language(request.scope)
        timeline = await state.timelines.current(state.engine)
        number = timeline.in_force
        if number is None:
            raise HTTPException(
                status_code=503, detail="No version of the registry is in force yet"
            )
        key = ("home", number, timeline.upcoming, lang)
        rendered = state.cache.cached(key)
        if rendered is None:

            def render(db: Session) -> bytes:
                version = versions.get_version(db, number)
                remember_published(request, number, version.published_at)
                snapshot = versions.snapshot_of(version)
                with language(lang):
                    html = state.templates.get_template("public/index.html").render(
                        scope_choices=scopes.choices(snapshot, lang),
                        version=version,
                        snapshot=snapshot,
                        last_changed=recipient_history.last_changed(db, timeline, number),
                        upcoming_by_slug=recipient_history.upcoming_changes(db, timeline),
                        upcoming=timeline.upcoming,
                        lang=lang,
                        base_url=state.settings.base_url,
                    )
                return html.encode("utf-8")

            rendered = await run_db(
                state.engine,
                lambda db: state.cache.get_or_render(key, lambda: render(db), "text/html"),
            )
        return httpcache.respond(
            request,
            rendered,
            lang=lang,
            cache_control=public_cache_control(request, timeline),
            last_modified=state.published_at.get(number),
            headers={"Content-Language": lang},
            front=timeline,
        )


@get(PATH_LIVE, tags=["health"])
async def live() -> dict[str, str]:
    """Liveness: 200 with {"status": "ok"} while the process serves requests (no database)."""
    return {"status": "ok"}


class Readiness:
    """The database check behind /health/ready, run at most once a second.

    It runs in a thread of its own limiter, so a burst queued for the database
    threads does not delay it; a dry pool answers 503 after the pool timeout.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._lock = anyio.Lock()
        self._limiter = anyio.CapacityLimiter(1)
        self._ok = False
        self._at = float("-inf")

    def _check(self) -> bool:
        try:
            with read_session(self._engine) as session:
                session.exec(text("SELECT 1"))  # type: ignore[call-overload]
        except SQLAlchemyError:
            return False
        return True

    async def ready(self) -> bool:
        async with self._lock:
            if time.monotonic() - self._at >= READY_TTL_SECONDS:
                self._ok = await anyio.to_thread.run_sync(self._check, limiter=self._limiter)
                self._at = time.monotonic()
            return self._ok


@get([PATH_HEALTH, PATH_READY], tags=["health"])
async def health(request: Request[Any, Any, Any]) -> Response[dict[str, str]]:
    """200 with {"status": "ok"} when the database answers, else 503; the database is asked
    at most once a second, off the request's path, so load balancers may poll it hard."""
    if await request.app.state.readiness.ready():
        return Response({"status": "ok"}, headers={"Cache-Control": "no-store"})
    return Response(
        {"status": "unavailable"},
        status_code=503,
        headers={"Cache-Control": "no-store", "Retry-After": "1"},
    )
