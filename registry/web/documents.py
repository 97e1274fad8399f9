"""The documents: transfer table PDF, SCC annexes (HTML and PDF), and the sales page.

Each document route takes `?version=N` or `?as_of=YYYY-MM-DD` (default: the
version in force) and `?lang=`; the annex routes also take `exporter_name`,
`exporter_address` and `exporter_contact`. Bytes come from the document cache
(rendered once, off the event loop, within `render_timeout_seconds`); a cached
document is served by an async handler without a thread or a database
connection, and at most `render_queue` requests wait for renders at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

import anyio
from litestar import Controller, Request, get, post
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body
from litestar.types import ASGIApp
from sqlmodel import Session

from registry.db import read_session
from registry.documents import (
    EXPORTER_LIMITS,
    DocumentCache,
    DocumentKind,
    DocumentMeta,
    Exporter,
    RenderTimeout,
    render_html,
    render_pdf,
)
from registry.documents.exporter import exporter_choices
from registry.errors import InvalidInput, NotFound
from registry.i18n import language
from registry.pages import Rendered
from registry.regimes import all_regimes
from registry.services import versions
from registry.web import httpcache
from registry.web import personal_documents as personal
from registry.web.deps import request_language, run_db
from registry.web.filenames import content_disposition
from registry.web.inputs import positive_id
from registry.web.public import public_cache_control, remember_published

PATH_TRANSFERS_PDF = "/transfers.pdf"
PATH_ANNEXES = "/annexes"
PATH_ANNEXES_PDF = "/annexes.pdf"
PATH_DOCUMENTS = "/documents"

PDF = "application/pdf"
HTML = "text/html; charset=utf-8"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IMMUTABLE_MAX_AGE = 86400


def requested_number(timeline: versions.Timeline, params: Mapping[str, str | None]) -> int:
    """`?version=N`, else `?as_of=YYYY-MM-DD`, else the version in force (404 when none)."""
    number_text = (params.get("version") or "").strip()
    as_of_text = (params.get("as_of") or "").strip()
    if number_text:
        number = positive_id(number_text, "version")
        if number not in dict(timeline.numbers):
            raise NotFound(f"Version {number} does not exist")
        return number
    if as_of_text:
        try:
            if not _DATE.fullmatch(as_of_text):
                raise ValueError(as_of_text)
            day = date.fromisoformat(as_of_text)
        except ValueError:
            raise InvalidInput("as_of", "must be a date written YYYY-MM-DD") from None
        found = timeline.in_force_on(day)
        if found is None:
            raise NotFound(f"No version was in force on {day.isoformat()}")
        return found
    if timeline.in_force is None:
        raise NotFound("No version is in force yet")
    return timeline.in_force


@functools.lru_cache(maxsize=1024)
def _key_of(cache: DocumentCache, *parts: object) -> str:
    return cache.key_of(*parts)


class RenderGate:
    """At most `size` requests wait for a document render; the next is answered 503 at once.

    Used on the event loop only. A waiting request holds a thread (bounded by
    this gate), never a database connection: the version is read and the
    session closed before the wait begins.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.waiting = 0

    @contextmanager
    def enter(self) -> Iterator[None]:
        if self.waiting >= self.size:
            raise HTTPException(
                status_code=503,
                detail="Documents are being prepared for others; try again in a moment",
                headers={"Retry-After": "5"},
            )
        self.waiting += 1
        try:
            yield
        finally:
            self.waiting -= 1


async def _serve(
    request: Request[Any, Any, Any],
    kind: DocumentKind,
    media_type: str,
    params: Mapping[str, str | None] | None = None,
    lang: str = "",
) -> ASGIApp:
    """`params` and `lang` from the documents page's form (POST), else from the URL."""
    state = request.app.state
    lang = lang or request_language(request.scope)
    timeline = await state.timelines.current(state.engine)
    if params is None:
        params = request.query_params if request.scope.get("query_string") else {}
    number = requested_number(timeline, params)
    exporter = Exporter.from_params(params) if kind == DocumentKind.ANNEXES else Exporter()
    cache: DocumentCache = state.documents
    # A published version never changes: its number identifies its content.
    key = _key_of(cache, kind, media_type, number, lang, *exporter.key())
    rendered = cache.cached(key)
    if rendered is None:
        if not exporter.is_blank:
            personal.admit(request, cache)
        with state.render_gate.enter():
            rendered = await anyio.to_thread.run_sync(
                _render, request, key, number, lang, kind, media_type, exporter
            )
    headers: dict[str, str] = {}
    if media_type == PDF:
        headers["Content-Disposition"] = content_disposition(
            kind.value, number, lang, exporter.name, "" if exporter.is_blank else key[:8]
        )
    explicit = bool(params.get("version") or params.get("as_of"))
    if not exporter.is_blank:
        cache_control = "private, no-store"  # personal data: no shared cache keeps it
    elif explicit:
        cache_control = f"public, max-age={IMMUTABLE_MAX_AGE}"  # a published version never changes
    else:
        cache_control = public_cache_control(request, timeline)
    return httpcache.respond(
        request,
        rendered,
        lang=lang,
        cache_control=cache_control,
        last_modified=state.published_at.get(number),
        headers=headers,
        front=timeline if exporter.is_blank else None,
    )


def _render(
    request: Request[Any, Any, Any],
    key: str,
    number: int,
    lang: str,
    kind: DocumentKind,
    media_type: str,
    exporter: Exporter,
) -> Rendered:
    """In a thread: read the version (session closed at once), then wait for the render."""
    state = request.app.state
    with read_session(state.engine) as db:
        version = versions.get_version(db, number)
        snapshot = versions.snapshot_of(version)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        remember_published(request, number, version.published_at)
    make: Callable[..., Any] = render_pdf if media_type == PDF else render_html

    def render() -> bytes:
        body = make(kind, snapshot, meta, lang, exporter, env=state.templates)
        return body if isinstance(body, bytes) else body.encode("utf-8")

    try:
        return state.documents.get(  # type: ignore[no-any-return]
            key,
            render,
            media_type,
            state.settings.render_timeout_seconds,
            persist=exporter.is_blank,  # personal data never goes to disk
        )
    except personal.RenderQueueFull:
        raise personal.queue_full() from None
    except RenderTimeout:
        raise HTTPException(
            status_code=503,
            detail="The document is still being prepared; try again in a moment",
            headers={"Retry-After": "5"},
        ) from None


class DocumentsController(Controller):
    include_in_schema = False

    @get(PATH_TRANSFERS_PDF)
    async def transfers_pdf(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """The transfer table with the PIPA Art. 28-8(2) items, as PDF."""
        return await _serve(request, DocumentKind.TRANSFERS, PDF)

    @get(PATH_ANNEXES)
    async def annexes(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """SCC Annexes I–III, HTML."""
        return await _serve(request, DocumentKind.ANNEXES, HTML)

    @get(PATH_ANNEXES_PDF)
    async def annexes_pdf(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """SCC Annexes I–III, PDF."""
        return await _serve(request, DocumentKind.ANNEXES, PDF)

    @post(PATH_DOCUMENTS, status_code=200)
    async def personalised(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> ASGIApp:
        """The annexes for one customer, from the documents page's form (no data in the URL)."""
        media_type, chosen, params = personal.form_params(data, request_language(request.scope))
        return await _serve(request, DocumentKind.ANNEXES, media_type, params, chosen)

    @get(PATH_DOCUMENTS)
    async def documents(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """The sales page: choose a document, version and language, fill in the customer."""
        state = request.app.state
        lang = request_language(request.scope)
        timeline = await state.timelines.current(state.engine)
        key = ("documents", timeline.numbers, timeline.in_force, lang)

        def render(db: Session) -> bytes:
            with language(lang):
                html = state.templates.get_template("documents/index.html").render(
                    versions=versions.all_versions(db),
                    in_force=timeline.in_force,
                    lang=lang,
                    limits=EXPORTER_LIMITS,
                    kinds=list(DocumentKind),
                    regimes=all_regimes(),
                    **exporter_choices(lang),
                )
            return html.encode("utf-8")

        rendered = state.cache.cached(key)
        if rendered is None:
            rendered = await run_db(
                state.engine,
                lambda db: state.cache.get_or_render(key, lambda: render(db), HTML),
            )
        return httpcache.respond(request, rendered, lang=lang)
