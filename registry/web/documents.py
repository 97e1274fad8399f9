"""The documents: transfer table PDF, SCC annexes (HTML and PDF), and the sales page.

Each document route takes `?version=N` or `?as_of=YYYY-MM-DD` (default: the
version in force) and `?lang=`; the annex routes also take `exporter_name`,
`exporter_address` and `exporter_contact`. Bytes come from the document cache
(rendered once, off the event loop, within `render_timeout_seconds`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body
from sqlmodel import Session

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
from registry.errors import InvalidInput, NotFound
from registry.i18n import language
from registry.pages import Rendered
from registry.services import versions
from registry.web import personal_documents as personal
from registry.web.deps import DB, Lang, provide_lang
from registry.web.inputs import positive_id
from registry.web.public import cached_response

PATH_TRANSFERS_PDF = "/transfers.pdf"
PATH_ANNEXES = "/annexes"
PATH_ANNEXES_PDF = "/annexes.pdf"
PATH_DOCUMENTS = "/documents"

PDF = "application/pdf"
HTML = "text/html; charset=utf-8"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def requested_number(db: Session, params: Mapping[str, str | None]) -> int:
    """`?version=N`, else `?as_of=YYYY-MM-DD`, else the version in force (404 when none).

    One query (the list of versions): a cached document needs no more.
    """
    number_text = (params.get("version") or "").strip()
    as_of_text = (params.get("as_of") or "").strip()
    timeline = versions.timeline(db)
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


def _serve(
    request: Request[Any, Any, Any],
    state: State,
    db: Session,
    lang: str,
    kind: DocumentKind,
    media_type: str,
    params: Mapping[str, str | None] | None = None,
) -> Response[bytes]:
    params = request.query_params if params is None else params
    number = requested_number(db, params)
    exporter = Exporter.from_params(params) if kind == DocumentKind.ANNEXES else Exporter()
    cache: DocumentCache = state.documents
    # A published version never changes: its number identifies its content.
    key = cache.key_of(kind, media_type, number, lang, *exporter.key())
    rendered = cache.cached(key)
    if rendered is None:
        if not exporter.is_blank:
            personal.admit(request, cache)
        rendered = _render(state, db, key, number, lang, kind, media_type, exporter)
    headers: dict[str, str] = {}
    if not exporter.is_blank:
        headers["Cache-Control"] = "private, no-store"
    if media_type == PDF:
        suffix = "" if exporter.is_blank else "-" + key[:8]
        filename = f"{kind.value}-v{number}-{lang}{suffix}.pdf"
        headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return cached_response(request, rendered, **headers)


def _render(
    state: State,
    db: Session,
    key: str,
    number: int,
    lang: str,
    kind: DocumentKind,
    media_type: str,
    exporter: Exporter,
) -> Rendered:
    version = versions.get_version(db, number)
    snapshot = versions.snapshot_of(version)
    meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
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
    dependencies = {"lang": Provide(provide_lang, sync_to_thread=False)}
    include_in_schema = False

    @get(PATH_TRANSFERS_PDF, sync_to_thread=True)
    def transfers_pdf(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang
    ) -> Response[bytes]:
        """The transfer table with the PIPA Art. 28-8(2) items, as PDF."""
        return _serve(request, state, db, lang, DocumentKind.TRANSFERS, PDF)

    @get(PATH_ANNEXES, sync_to_thread=True)
    def annexes(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang
    ) -> Response[bytes]:
        """SCC Annexes I–III, HTML."""
        return _serve(request, state, db, lang, DocumentKind.ANNEXES, HTML)

    @get(PATH_ANNEXES_PDF, sync_to_thread=True)
    def annexes_pdf(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang
    ) -> Response[bytes]:
        """SCC Annexes I–III, PDF."""
        return _serve(request, state, db, lang, DocumentKind.ANNEXES, PDF)

    @post(PATH_DOCUMENTS, sync_to_thread=True, status_code=200)
    def personalised(
        self,
        request: Request[Any, Any, Any],
        state: State,
        db: DB,
        lang: Lang,
        data: Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[bytes]:
        """The annexes for one customer, from the documents page's form (no data in the URL)."""
        media_type, chosen, params = personal.form_params(data, lang)
        return _serve(request, state, db, chosen, DocumentKind.ANNEXES, media_type, params)

    @get(PATH_DOCUMENTS, sync_to_thread=True)
    def documents(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang
    ) -> Response[bytes]:
        """The sales page: choose a document, version and language, fill in the customer."""
        timeline = versions.timeline(db)
        key = ("documents", timeline.numbers, timeline.in_force, lang)

        def render() -> bytes:
            with language(lang):
                html = state.templates.get_template("documents/index.html").render(
                    versions=versions.all_versions(db),
                    in_force=timeline.in_force,
                    lang=lang,
                    limits=EXPORTER_LIMITS,
                    kinds=list(DocumentKind),
                )
            return html.encode("utf-8")

        rendered = state.cache.get_or_render(key, render, HTML)
        return cached_response(request, rendered)
