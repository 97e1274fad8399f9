"""The public pages: the transfer table in force, and the health check."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from registry.i18n import language
from registry.notices import scopes
from registry.pages import Rendered
from registry.services import recipient_history, versions
from registry.web.deps import DB, Lang, provide_lang

PATH_HOME = "/"
PATH_HEALTH = "/health"


def cached_response(
    request: Request[Any, Any, Any], rendered: Rendered, **headers: str
) -> Response[bytes]:
    """The bytes, or 304 when the caller holds them; extra headers (Content-Language) added."""
    common = {"ETag": rendered.etag, "Cache-Control": "no-cache", "Vary": "Accept-Language, Cookie"}
    if request.headers.get("if-none-match") == rendered.etag:
        return Response(b"", status_code=304, headers=common | headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=common | headers)


class PublicController(Controller):
    dependencies = {"lang": Provide(provide_lang, sync_to_thread=False)}
    include_in_schema = False

    @get(PATH_HOME, sync_to_thread=True)
    def home(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang
    ) -> Response[bytes]:
        """The transfer table in force, rendered once per version and language."""
        timeline = state.timelines.get(db)
        number = timeline.in_force
        if number is None:
            raise HTTPException(
                status_code=503, detail="No version of the registry is in force yet"
            )
        key = ("home", number, timeline.upcoming, lang)

        def render() -> bytes:
            version = versions.get_version(db, number)
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

        rendered = state.cache.get_or_render(key, render, "text/html")
        return cached_response(request, rendered, **{"Content-Language": lang})


@get(PATH_HEALTH, sync_to_thread=True, tags=["health"])
def health(db: DB) -> Response[dict[str, str]]:
    """200 with {"status": "ok"} when the database answers, else 503."""
    try:
        db.exec(text("SELECT 1"))  # type: ignore[call-overload]
    except SQLAlchemyError:
        return Response({"status": "unavailable"}, status_code=503)
    return Response({"status": "ok"})
