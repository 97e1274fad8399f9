"""The regimes in the admin: what each lacks (a table, field by regime), legal's settings for
each, and each regime's document of the draft."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect

from registry import regimes
from registry.auth import requires
from registry.documents import DocumentMeta
from registry.enums import UserRole
from registry.errors import InvalidInput
from registry.i18n import negotiate
from registry.regimes import settings as regime_settings
from registry.regimes.compare import gap_table
from registry.regimes.render import render_regime_html
from registry.services import versions
from registry.services.snapshot import build_snapshot, canonical_json, content_hash
from registry.web.admin.common import PATH_PREVIEW, current_user, one, page
from registry.web.deps import DB, WriteDB

PATH_REGIMES = "/admin/regimes"
Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _context(db: Any, forms: dict[str, dict[str, str]] | None = None) -> dict[str, Any]:
    snapshot = build_snapshot(db)
    listed, rows = gap_table(snapshot)
    values = {r.slug: regime_settings.current(db, r) for r in listed}
    values.update(forms or {})
    return {
        "regimes": listed,
        "rows": rows,
        "recipient_names": {
            r["slug"]: r.get("display_name") or r["name"] for r in snapshot.get("recipients", [])
        },
        "complete": {r.slug: not any(r.slug in row.regimes for row in rows) for r in listed},
        "values": values,
        "errors": {},
        "error_regime": "",
    }


class RegimesReadController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_REGIMES, sync_to_thread=True)
    def overview(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        """The draft's gaps in every regime, and legal's settings for each."""
        return page(request, "admin/regimes.html", **_context(db))

    @get(PATH_PREVIEW + "/regimes/{slug:str}", sync_to_thread=True)
    def draft_regime_document(
        self, request: Request[Any, Any, Any], state: State, db: DB, slug: FromPath[str]
    ) -> Response[str]:
        """One regime's document of the draft, stamped "draft" with the draft's hash."""
        regime = regimes.get(slug)
        snapshot = build_snapshot(db)
        meta = DocumentMeta(
            number="draft",
            effective_at=versions.today() + timedelta(days=state.settings.notice_days),
            content_hash=content_hash(canonical_json(snapshot)),
        )
        lang = negotiate(request.query_params.get("lang"), request.cookies.get("lang"), None)
        html = render_regime_html(regime, snapshot, meta, lang, env=state.templates)
        return Response(html, media_type="text/html", headers={"Cache-Control": "no-store"})


class RegimesWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_REGIMES + "/{slug:str}", sync_to_thread=True, status_code=303)
    def save_settings(
        self, request: Request[Any, Any, Any], write_db: WriteDB, slug: FromPath[str], data: Form
    ) -> Response[Any]:
        """Save legal's choices for one regime; a bad value re-shows the form, naming it."""
        regime = regimes.get(slug)
        form = {s.key: one(data, s.key) for s in regime.settings}
        try:
            regime_settings.save(write_db, regime, form, actor=current_user(request).email)
        except InvalidInput as error:
            write_db.rollback()
            context = _context(write_db, {regime.slug: form})
            context["errors"] = {error.field: error.message}
            context["error_regime"] = regime.slug
            return page(request, "admin/regimes.html", status_code=400, **context)
        return Redirect(f"{PATH_REGIMES}?notice=saved#settings-{regime.slug}", status_code=303)
