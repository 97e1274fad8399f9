"""Subscribing by email: the form's POST, the confirmation link, the manage page, leaving.

`POST /subscribe` answers the same whether or not the address is known. The
unsubscribe POST is RFC 8058 one-click: no sign-in, no CSRF token (exclude it
from any CSRF middleware), no redirect, 200. The form on the public page
carries no per-user token either, so that page stays cacheable per version.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import Body, Parameter

from registry.errors import InvalidInput, NotFound
from registry.i18n import LANGUAGES, language
from registry.models import Subscriber
from registry.notices import scopes, subscriptions
from registry.notices.render import subscriber_links
from registry.web.deps import DB, Lang, WriteDB, provide_lang, provide_write_db

PATH_SUBSCRIBE = "/subscribe"
PATH_CONFIRM = "/subscriptions/confirm/{token:str}"
PATH_UNSUBSCRIBE = "/subscriptions/unsubscribe/{token:str}"
PATH_MANAGE = "/subscriptions/manage/{token:str}"
Token = Parameter(max_length=80)


@dataclass
class SubscribeForm:
    email: str = ""
    lang: str = ""
    organisation: str = ""
    countries: list[str] | str = ""  # repeatable; also "JP, DE"
    recipients: list[str] | str = ""


def _many(value: list[str] | str) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


@dataclass
class ScopeForm:
    countries: list[str] | str = ""
    recipients: list[str] | str = ""


@dataclass
class LanguageForm:
    lang: str = ""


def _wants_json(request: Request[Any, Any, Any]) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _page(
    state: State, lang: str, page_state: str, status: int = 200, **values: Any
) -> Response[bytes]:
    with language(lang):
        html = state.templates.get_template("public/subscription.html").render(
            state=page_state, lang=lang, **values
        )
    return Response(
        html.encode("utf-8"),
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
    )


def _subscriber_page(
    state: State, page_state: str, action: Callable[[], Subscriber], lang: str = "en"
) -> Response[bytes]:
    """Run `action` on the link's subscriber and show `page_state`, or the invalid-link page
    in the reader's language (`?lang=`, the cookie, the browser's), as no subscriber says it."""
    try:
        subscriber = action()
    except NotFound:
        return _page(state, lang, "invalid", status=404)
    links = subscriber_links(subscriber, state.settings.base_url, state.secret_key)
    return _page(
        state,
        subscriber.lang,
        page_state,
        **scopes.manage_context(state, subscriber, subscriber.lang),
        subscriber=subscriber,
        manage_url=links.manage,
        unsubscribe_url=links.unsubscribe,
    )


class SubscriptionController(Controller):
    dependencies = {
        "lang": Provide(provide_lang, sync_to_thread=False),
        "write_db": Provide(provide_write_db),
    }
    include_in_schema = False

    @post(PATH_SUBSCRIBE, sync_to_thread=True, status_code=200)
    def subscribe(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        lang: Lang,
        data: Annotated[SubscribeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response[Any]:
        """Ask for a confirmation; the same answer whether or not the address is known."""
        client = request.client.host if request.client else "unknown"
        if not state.subscribe_limiter.allow(client):
            raise HTTPException(status_code=429, detail="Too many requests; try again later")
        chosen = data.lang or lang
        scope = scopes.parse_scope(_many(data.countries), _many(data.recipients))
        try:
            subscriptions.subscribe(
                write_db, email=data.email, lang=chosen, organisation=data.organisation
            )
        except InvalidInput:
            if _wants_json(request):
                raise
            # A person at the form: the page in their language, naming the field, not JSON.
            page_lang = chosen if chosen in LANGUAGES else lang
            return _page(state, page_lang, "bad_email", status=400, email=data.email)
        scopes.scope_on_subscribe(write_db, data.email, scope)
        if _wants_json(request):
            return Response(
                {
                    "status": "requested",
                    "detail": "A link to confirm is on its way, if this address can receive mail",
                }
            )
        return _page(state, chosen if chosen in ("en", "ko") else lang, "requested")

    @get(PATH_CONFIRM, sync_to_thread=True)
    def confirm(
        self, state: State, write_db: WriteDB, lang: Lang, token: str = Token
    ) -> Response[bytes]:
        """Following the emailed link confirms the subscription."""
        return _subscriber_page(
            state,
            "confirmed",
            lambda: subscriptions.confirm(write_db, token, state.secret_key),
            lang,
        )

    @get(PATH_UNSUBSCRIBE, sync_to_thread=True)
    def unsubscribe_page(
        self, state: State, db: DB, lang: Lang, token: str = Token
    ) -> Response[bytes]:
        """Asks; changes nothing (mail scanners follow links)."""
        return _subscriber_page(
            state,
            "unsubscribe",
            lambda: subscriptions.by_manage_token(db, token, state.secret_key),
            lang,
        )

    @post(PATH_UNSUBSCRIBE, sync_to_thread=True, status_code=200)
    def unsubscribe(
        self, state: State, write_db: WriteDB, lang: Lang, token: str = Token
    ) -> Response[bytes]:
        """RFC 8058 one-click: unsubscribes at once, 200, no redirect."""
        return _subscriber_page(
            state,
            "unsubscribed",
            lambda: subscriptions.unsubscribe(write_db, token, state.secret_key),
            lang,
        )

    @get(PATH_MANAGE, sync_to_thread=True)
    def manage_page(self, state: State, db: DB, lang: Lang, token: str = Token) -> Response[bytes]:
        """The subscriber's page: status, language, leave."""
        return _subscriber_page(
            state,
            "manage",
            lambda: subscriptions.by_manage_token(db, token, state.secret_key),
            lang,
        )

    @post(PATH_MANAGE, sync_to_thread=True, status_code=200)
    def manage(
        self,
        state: State,
        write_db: WriteDB,
        data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        token: str = Token,
    ) -> Response[bytes]:
        """Change the language of the notices."""
        return _subscriber_page(
            state,
            "manage",
            lambda: subscriptions.set_language(write_db, token, state.secret_key, data.lang),
        )

    @post(PATH_MANAGE + "/scope", sync_to_thread=True, status_code=200)
    def scope(
        self,
        state: State,
        write_db: WriteDB,
        data: Annotated[ScopeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
        token: str = Token,
    ) -> Response[bytes]:
        """Replace the scope (nothing chosen: every change)."""
        scope = scopes.parse_scope(_many(data.countries), _many(data.recipients))

        def change() -> Subscriber:
            subscriber = subscriptions.by_manage_token(write_db, token, state.secret_key)
            scopes.set_scope(write_db, scope, subscriber_id=subscriber.id)
            return subscriber

        return _subscriber_page(state, "manage", change)
