"""The request pipeline: what every HTTP request goes through, in one pass, outside the router.

It wraps Litestar's whole ASGI handler (not a route's middleware stack), so a
404, a 405 and a refused Host get the same treatment as a page. In order:

1. the Host check (400, with the security headers, before anything else runs);
2. the client as trusted proxies report it (`scope["client"]`, `scope["scheme"]`),
   so every limit, the sign-in log and the access log see the real client;
3. a request id (the caller's X-Request-ID, or a new one) for the change log;
4. a cached public read answered from the front cache (`registry.web.frontcache`),
   before routing and before shedding (it needs no database thread);
5. shedding: when more requests wait for a database thread than the queue
   holds, answer 503 with Retry-After at once instead of queueing without end;
6. on the way out: the security headers, HSTS over https, X-Request-ID, the
   `lang` cookie when `?lang=` chose a language, and the request's database
   sessions closed the moment the response starts (no thread needed).

The header scan is done once; nothing here touches the database.
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import anyio
from litestar.types import ASGIApp, Receive, Scope, Send

from registry.i18n import LANGUAGES
from registry.services.audit import request_id_var
from registry.web.clients import TrustedProxies, client_address
from registry.web.language import COOKIE_NAME, language_cookie
from registry.web.security import COMMON_HEADERS, HSTS, host_name, refuse_host

SESSIONS_KEY = "registry_db_sessions"
_LANG_VALUES = {b"lang=" + lang.encode(): lang for lang in LANGUAGES}
SHED_EXEMPT = ("/health", "/static/")
OVERLOADED = b'{"status_code": 503, "detail": "The server is busy; try again in a moment"}'
_ids = itertools.count()
_prefix = os.urandom(6).hex()


def new_request_id() -> str:
    """Unique per process run and cheap: a random prefix and a counter (no uuid4 per request)."""
    return f"{_prefix}{next(_ids):010x}"


def close_sessions(scope: Scope) -> None:
    """Close the database sessions a request opened (returns their connections to the pool)."""
    sessions = scope.get("state", {}).pop(SESSIONS_KEY, None)  # type: ignore[call-overload]
    for session in sessions or ():
        session.close()


def _chosen_language(query: bytes) -> str | None:
    if b"lang=" not in query:
        return None
    chosen = None
    for part in query.split(b"&"):
        if part.startswith(b"lang="):
            chosen = _LANG_VALUES.get(part)
            break  # the first `lang=` counts, as `provide_lang` reads it
    return chosen


def _cookie_language(headers: dict[bytes, bytes]) -> str | None:
    raw = headers.get(b"cookie")
    if not raw:
        return None
    for part in raw.decode("latin-1").split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == COOKIE_NAME:
            return value
    return None


def shed(state: Any) -> bool:
    """Whether more requests wait for a database thread than REGISTRY_DB_QUEUE allows."""
    waiting = anyio.to_thread.current_default_thread_limiter().statistics().tasks_waiting
    return bool(waiting >= state.settings.db_queue)


def pipeline_factory(trusted: TrustedProxies, allowed_hosts: list[str]) -> Any:
    """Wrap Litestar's ASGI handler (which has put the app in `scope["app"]`): its state
    holds the front cache and the settings that say when to shed."""
    any_host = "*" in allowed_hosts
    hosts = frozenset(host_name(h) for h in allowed_hosts)

    def wrap(app: ASGIApp) -> ASGIApp:
        async def pipeline(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            headers = dict(scope["headers"])
            if not any_host and host_name(headers.get(b"host", b"").decode("latin-1")) not in hosts:
                await refuse_host(send)
                return
            if trusted:
                _apply_proxy(scope, headers, trusted)
            secure = scope.get("scheme") == "https"
            incoming = headers.get(b"x-request-id", b"").decode("latin-1")
            request_id = incoming[:64] if incoming and incoming.isprintable() else new_request_id()
            extra = [*COMMON_HEADERS, (b"x-request-id", request_id.encode("latin-1"))]
            if secure:
                extra.append(HSTS)
            chosen = _chosen_language(scope.get("query_string", b""))
            if chosen is not None and chosen != _cookie_language(headers):
                extra.append((b"set-cookie", language_cookie(chosen)))

            async def send_with_headers(message: Any) -> None:
                if message["type"] == "http.response.start":
                    close_sessions(scope)
                    own = message.get("headers") or []
                    present = {name.lower() for name, _ in own}
                    message["headers"] = [
                        *own,
                        *(h for h in extra if h[0] == b"set-cookie" or h[0] not in present),
                    ]
                await send(message)

            if scope.get("method") == "GET":
                answer = scope["app"].state.front.answer(scope)
                if answer is not None:  # a cached public read: no router, no thread
                    await answer(scope, receive, send_with_headers)
                    return
            if shed(scope["app"].state) and not scope["path"].startswith(SHED_EXEMPT):
                await _overloaded(send_with_headers)
                return
            token = request_id_var.set(request_id)
            try:
                await app(scope, receive, send_with_headers)
            finally:
                request_id_var.reset(token)
                close_sessions(scope)

        return pipeline

    return wrap


def _apply_proxy(scope: Scope, headers: dict[bytes, bytes], trusted: TrustedProxies) -> None:
    peer = scope.get("client") or ("", 0)
    if not trusted.trusts(peer[0]):
        return
    proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").lower()
    if proto in ("http", "https"):
        scope["scheme"] = proto  # type: ignore[typeddict-unknown-key]
    address = client_address(peer[0], headers, trusted)
    if address != peer[0]:
        scope["client"] = (address, 0)


async def _overloaded(send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"application/json"), (b"retry-after", b"2")],
        }
    )
    await send({"type": "http.response.body", "body": OVERLOADED})
