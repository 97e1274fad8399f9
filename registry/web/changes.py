"""The public history of changes: /changes (HTML) and /changes.atom (Atom, RFC 4287).

The feed is a Jinja template in the one environment rather than feedgen: the
same diff macro, filters and translations as the page and the emails, and no
extra dependency (lxml) for forty lines of XML. Both are rendered once per set
of versions (and language) and served from the render cache with an ETag.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide

from registry.i18n import language
from registry.notices.feed import change_entries
from registry.services import versions
from registry.web.deps import DB, Lang, provide_lang
from registry.web.inputs import xml_text
from registry.web.public import cached_response

PATH_CHANGES = "/changes"
PATH_CHANGES_ATOM = "/changes.atom"


class ChangesController(Controller):
    dependencies = {"lang": Provide(provide_lang, sync_to_thread=False)}
    include_in_schema = False

    @get(PATH_CHANGES, sync_to_thread=True)
    def changes(
        self, request: Request[Any, Any, Any], state: State, db: DB, lang: Lang
    ) -> Response[bytes]:
        """Every version, its effective date, summary and diff; upcoming ones marked."""
        timeline = versions.timeline(db)
        key = ("changes", timeline.numbers, timeline.in_force, lang)

        def render() -> bytes:
            context = change_entries(db, state.settings.base_url)
            with language(lang):
                html = state.templates.get_template("public/changes.html").render(
                    context, lang=lang
                )
            return html.encode("utf-8")

        rendered = state.cache.get_or_render(key, render, "text/html; charset=utf-8")
        return cached_response(request, rendered)

    @get(PATH_CHANGES_ATOM, sync_to_thread=True)
    def atom(self, request: Request[Any, Any, Any], state: State, db: DB) -> Response[bytes]:
        """One entry per publication, in English (feed readers send no language)."""
        timeline = versions.timeline(db)
        key = ("changes.atom", timeline.numbers)

        def render() -> bytes:
            context = change_entries(db, state.settings.base_url)
            with language("en"):
                xml = state.templates.get_template("public/changes.atom.xml").render(
                    context, lang="en", base_url=state.settings.base_url
                )
            return xml_text(xml).encode("utf-8")

        rendered = state.cache.get_or_render(key, render, "application/atom+xml; charset=utf-8")
        return cached_response(request, rendered)
