"""The public history of changes: /changes (HTML) and /changes.atom (Atom, RFC 4287).

The feed is a Jinja template in the one environment rather than feedgen: the
same diff macro, filters and translations as the page and the emails, and no
extra dependency (lxml) for forty lines of XML. Both are rendered once per set
of versions (and language) and served from the render cache with an ETag.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import Parameter
from litestar.types import ASGIApp
from sqlmodel import Session

from registry.i18n import DEFAULT_LANGUAGE, LANGUAGES, language
from registry.notices import scopes
from registry.notices.feed import change_entries
from registry.web import httpcache
from registry.web.deps import request_language, run_db
from registry.web.inputs import xml_text
from registry.web.public import public_cache_control

PATH_CHANGES = "/changes"
PATH_CHANGES_ATOM = "/changes.atom"


def feed_query(scope: scopes.Scope, lang: str) -> str:
    """The feed's own query (its id and self link): the scope, then `lang` unless English."""
    query = scopes.query_string(scope)
    if lang == DEFAULT_LANGUAGE:
        return query
    return f"{query}{'&' if query else '?'}lang={lang}"


class ChangesController(Controller):
    include_in_schema = False

    @get(PATH_CHANGES)
    async def changes(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """Every version, its effective date, summary and diff; upcoming ones marked."""
        state = request.app.state
        lang = request_language(request.scope)
        timeline = await state.timelines.current(state.engine)
        key = ("changes", timeline.numbers, timeline.in_force, lang)
        rendered = state.cache.cached(key)
        if rendered is None:

            def render(db: Session) -> bytes:
                context = change_entries(db, state.settings.base_url)
                with language(lang):
                    html = state.templates.get_template("public/changes.html").render(
                        context, lang=lang
                    )
                return html.encode("utf-8")

            rendered = await run_db(
                state.engine,
                lambda db: state.cache.get_or_render(
                    key, lambda: render(db), "text/html; charset=utf-8"
                ),
            )
        return httpcache.respond(
            request,
            rendered,
            lang=lang,
            cache_control=public_cache_control(request, timeline),
            front=timeline,
        )

    @get(PATH_CHANGES_ATOM)
    async def atom(
        self,
        request: Request[Any, Any, Any],
        country: list[str] | None = Parameter(default=None, max_items=100),
        recipient: list[str] | None = Parameter(default=None, max_items=100),
        lang: str | None = Parameter(default=None, max_length=8),
    ) -> ASGIApp:
        """One entry per publication, in English unless `?lang=ko` asks (feed readers send
        no language, so neither cookie nor Accept-Language chooses it);
        `?country=JP&recipient=stripe` keeps only those that touch them, as a scoped
        subscription would."""
        state = request.app.state
        scope = scopes.parse_scope(country or [], recipient or [])
        feed_lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        timeline = await state.timelines.current(state.engine)
        key = ("changes.atom", timeline.numbers, scope, feed_lang)
        rendered = state.cache.cached(key)
        if rendered is None:

            def render(db: Session) -> bytes:
                entries = change_entries(db, state.settings.base_url)
                context = scopes.filter_entries(entries, scope)
                with language(feed_lang):
                    xml = state.templates.get_template("public/changes.atom.xml").render(
                        context,
                        lang=feed_lang,
                        base_url=state.settings.base_url,
                        feed_query=feed_query(scope, feed_lang),
                    )
                return xml_text(xml).encode("utf-8")

            rendered = await run_db(
                state.engine,
                lambda db: state.cache.get_or_render(
                    key, lambda: render(db), "application/atom+xml; charset=utf-8"
                ),
            )
        cap = state.settings.public_max_age_seconds
        return httpcache.respond(
            request,
            rendered,
            negotiated=False,
            cache_control=f"public, max-age={cap}",
            front=timeline,
        )
