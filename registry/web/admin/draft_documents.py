"""The draft's documents, exactly as they will be published: the admin's preview of them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath

from registry.auth import requires
from registry.documents import DocumentKind, DocumentMeta, render_html
from registry.enums import UserRole
from registry.errors import NotFound
from registry.i18n import negotiate
from registry.services import versions
from registry.services.snapshot import build_snapshot, canonical_json, content_hash
from registry.web.admin.common import PATH_PREVIEW
from registry.web.deps import DB


class DraftDocumentsController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_PREVIEW + "/{kind:str}", sync_to_thread=True)
    def draft_document(
        self, request: Request[Any, Any, Any], state: State, db: DB, kind: FromPath[str]
    ) -> Response[str]:
        """The transfer table or the annexes of the draft, stamped "draft" with its hash."""
        if kind not in {k.value for k in DocumentKind}:
            raise NotFound(f"No document {kind!r}")
        snapshot = build_snapshot(db)
        meta = DocumentMeta(
            number="draft",
            effective_at=versions.today() + timedelta(days=state.settings.notice_days),
            content_hash=content_hash(canonical_json(snapshot)),
        )
        lang = negotiate(request.query_params.get("lang"), request.cookies.get("lang"), None)
        html = render_html(kind, snapshot, meta, lang, env=state.templates)
        return Response(html, media_type="text/html", headers={"Cache-Control": "no-store"})
