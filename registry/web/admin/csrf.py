"""CSRF tokens bound to the admin session, and cookie names for https (`__Host-`).

Litestar's double-submit cookie proves only that the form and the cookie match:
a token planted before sign-in (cookie tossing from a sibling subdomain, a
shared machine) would stay valid after it. Here, once a request carries a
session cookie, the only token accepted is the one derived from that session
(an HMAC of the session id under the app secret), and a page shown to it sets
that token. A new sign-in therefore means a new token, and another session's
token is refused.

Over https the cookies are named `__Host-…` (Secure, Path=/, no Domain), so
no subdomain or plain-http page can set or overwrite them.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from litestar.config.csrf import CSRFConfig
from litestar.exceptions import PermissionDeniedException
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, CSRFMiddleware, generate_csrf_hash
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState

from registry.settings import Settings

SESSION_COOKIE = "registry_admin"
CSRF_COOKIE = "registry_csrf"
HOST_PREFIX = "__Host-"


def served_over_https(settings: Settings) -> bool:
    return settings.base_url.startswith("https://")


def session_cookie_name(settings: Settings) -> str:
    return HOST_PREFIX + SESSION_COOKIE if served_over_https(settings) else SESSION_COOKIE


def session_cookie_path(settings: Settings) -> str:
    return "/" if served_over_https(settings) else "/admin"  # __Host- requires Path=/


def csrf_config(settings: Settings, secret: str) -> CSRFConfig:
    https = served_over_https(settings)
    return CSRFConfig(
        secret=secret,
        cookie_name=HOST_PREFIX + CSRF_COOKIE if https else CSRF_COOKIE,
        cookie_path="/" if https else "/admin",
        cookie_httponly=True,
        cookie_samesite="lax",
        cookie_secure=https,
    )


def session_token(secret: str, session_id: str) -> str:
    """The CSRF token of one session, in Litestar's format (random part + its HMAC)."""
    key = f"csrf-session:{secret}".encode()
    token_secret = hmac.new(key, session_id.encode(), hashlib.sha256).hexdigest()
    token_secret = token_secret[:CSRF_SECRET_LENGTH]
    return token_secret + generate_csrf_hash(token=token_secret, secret=secret)


class SessionBoundCSRFMiddleware(CSRFMiddleware):
    """Litestar's CSRF check, plus: with a session cookie, only that session's token passes."""

    def __init__(self, app: ASGIApp, config: CSRFConfig, session_cookie: str) -> None:
        super().__init__(app, config)
        self.session_cookie = session_cookie

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request: Any = scope["litestar_app"].request_class(scope=scope, receive=receive)
        session_id = request.cookies.get(self.session_cookie, "")
        if not session_id:
            await super().__call__(scope, receive, send)
            return
        expected = session_token(self.config.secret, session_id)
        if request.method in self.config.safe_methods:
            ScopeState.from_scope(scope).csrf_token = expected
            current = request.cookies.get(self.config.cookie_name)
            if current == expected:
                await self.app(scope, receive, send)
                return
            await self.app(scope, receive, self.create_send_wrapper(send, expected, None))
            return
        submitted = request.headers.get(self.config.header_name)
        if not submitted and request.content_type[0] in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            submitted = (await request.form()).get("_csrf_token")
        cookie = request.cookies.get(self.config.cookie_name)
        if not (
            isinstance(submitted, str)
            and cookie
            and hmac.compare_digest(submitted, expected)
            and hmac.compare_digest(cookie, expected)
        ):
            raise PermissionDeniedException("CSRF token verification failed")
        ScopeState.from_scope(scope).csrf_token = expected
        await self.app(scope, receive, send)
