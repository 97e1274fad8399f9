"""Each regime's document: `/documents/{regime}` (HTML) and `/documents/{regime}.pdf`.

The same parameters as the other documents (`?version`, `?as_of`, `?lang`, and
the exporter fields where the regime takes them), the same cache, the same 503
when a render overruns its time limit.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.params import FromPath
from sqlmodel import Session

from registry import regimes
from registry.documents import DocumentCache, DocumentMeta, Exporter, RenderTimeout
from registry.pages import Rendered
from registry.regimes.base import Regime
from registry.regimes.render import render_regime_html, render_regime_pdf
from registry.services import versions
from registry.web.deps import DB, Lang, provide_lang
from registry.web.documents import HTML, PATH_DOCUMENTS, PDF, requested_number
from registry.web.public import cached_response

PATH_REGIME = PATH_DOCUMENTS + "/{name:str}"


def regime_path(slug: str, pdf: bool = False) -> str:
    return f"{PATH_DOCUMENTS}/{slug}{'.pdf' if pdf else ''}"


def _render(
    state: State,
    db: Session,
    key: str,
    regime: Regime,
    number: int,
    lang: str,
    media_type: str,
    exporter: Exporter,
) -> Rendered:
    version = versions.get_version(db, number)
    snapshot = versions.snapshot_of(version)
    meta = DocumentMeta(version.number, version.effective_at, version.content_hash)

    def render() -> bytes:
        if media_type == PDF:
            return render_regime_pdf(regime, snapshot, meta, lang, exporter, env=state.templates)
        html = render_regime_html(regime, snapshot, meta, lang, exporter, env=state.templates)
        return html.encode("utf-8")

    try:
        return state.documents.get(  # type: ignore[no-any-return]
            key, render, media_type, state.settings.render_timeout_seconds
        )
    except RenderTimeout:
        raise HTTPException(
            status_code=503,
            detail="The document is still being prepared; try again in a moment",
            headers={"Retry-After": "5"},
        ) from None


class RegimeDocumentsController(Controller):
    dependencies = {"lang": Provide(provide_lang, sync_to_thread=False)}
    include_in_schema = False

    @get(PATH_REGIME, sync_to_thread=True)
    def regime_document(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang, name: FromPath[str]
    ) -> Response[bytes]:
        """One regime's document for a version, as HTML or (name ending in .pdf) as PDF."""
        media_type = PDF if name.endswith(".pdf") else HTML
        regime = regimes.get(name.removesuffix(".pdf"))
        number = requested_number(versions.timeline(db), request.query_params)
        exporter = Exporter.from_params(request.query_params) if regime.exporter else Exporter()
        cache: DocumentCache = state.documents
        key = cache.key_of("regime", regime.slug, media_type, number, lang, *exporter.key())
        rendered = cache.cached(key)
        if rendered is None:
            rendered = _render(state, db, key, regime, number, lang, media_type, exporter)
        headers = {"Content-Language": lang}
        if media_type == PDF:
            suffix = "" if exporter.is_blank else "-" + key[:8]
            filename = f"{regime.slug}-v{number}-{lang}{suffix}.pdf"
            headers["Content-Disposition"] = f'attachment; filename="{filename}"'
        return cached_response(request, rendered, **headers)
