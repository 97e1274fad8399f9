"""Remembering the language a person chose.

A request carrying `?lang=en|ko` (the language switch on every page, and every
link a page makes) answers with a `lang` cookie, so the next page without
`?lang=` is in the same language. `registry.i18n.negotiate` reads it after
`?lang=` and before `Accept-Language`. Pages that depend on the language say
`Vary: Accept-Language, Cookie` (see `cached_response`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from litestar.types import ASGIApp, Receive, Scope, Send

from registry.i18n import LANGUAGES

COOKIE_NAME = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


def language_cookie(lang: str) -> bytes:
    return (
        f"{COOKIE_NAME}={lang}; Max-Age={COOKIE_MAX_AGE}; Path=/; SameSite=Lax; HttpOnly"
    ).encode("latin-1")


def _chosen(scope: Scope) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    chosen = (query.get("lang") or [""])[0]  # as `provide_lang` reads it
    return chosen if chosen in LANGUAGES else None


def _cookie(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _sep, cookie_value = part.strip().partition("=")
                if key == COOKIE_NAME:
                    return cookie_value
    return None


def language_cookie_middleware(app: ASGIApp) -> ASGIApp:
    """Set the `lang` cookie when `?lang=` names a language other than the cookie's."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        chosen = _chosen(scope) if scope["type"] == "http" else None
        if chosen is None or chosen == _cookie(scope):
            await app(scope, receive, send)
            return
        cookie = language_cookie(chosen)

        async def send_with_cookie(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        await app(scope, receive, send_with_cookie)

    return middleware
