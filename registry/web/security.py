"""Security headers on every response, and the scheme as a trusted proxy reports it.

- Content-Security-Policy without inline script (or inline style), framing
  refused, no MIME sniffing, a strict Referrer-Policy; HSTS over https.
- `X-Forwarded-Proto` is believed only from the addresses in
  REGISTRY_TRUSTED_PROXIES, so cookies are marked Secure behind an https
  proxy and nobody else can claim https.
"""

from __future__ import annotations

from typing import Any

from litestar.types import ASGIApp, Receive, Scope, Send

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
COMMON_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


INVALID_HOST = (
    b'{"status_code": 400, "detail": "Invalid Host header", '
    b'"extra": [{"key": "Host", "message": "not a host this registry answers to"}]}'
)


def host_name(header: str) -> str:
    """The host without its port: "127.0.0.1:8000" -> "127.0.0.1", "[::1]:80" -> "::1"."""
    if header.startswith("["):
        return header[1:].split("]", 1)[0].lower()
    return header.rsplit(":", 1)[0].lower() if header.count(":") == 1 else header.lower()


def security_middleware_factory(trusted_proxies: frozenset[str], allowed_hosts: list[str]) -> Any:
    any_host = "*" in allowed_hosts
    hosts = frozenset(host_name(h) for h in allowed_hosts)

    def security_middleware(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            host = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
            if not any_host and host_name(host) not in hosts:
                await _refuse_host(send)
                return
            client = scope.get("client") or ("", 0)
            if client[0] in trusted_proxies:
                headers = dict(scope["headers"])
                proto = headers.get(b"x-forwarded-proto", b"").decode("latin-1").lower()
                if proto in ("http", "https"):
                    scope["scheme"] = proto  # type: ignore[typeddict-unknown-key]
            secure = scope.get("scheme") == "https"

            async def send_with_headers(message: Any) -> None:
                if message["type"] == "http.response.start":
                    present = {name.lower() for name, _ in message.get("headers", [])}
                    extra = [h for h in COMMON_HEADERS if h[0] not in present]
                    if secure:
                        extra.append(HSTS)
                    message["headers"] = [*message.get("headers", []), *extra]
                await send(message)

            await app(scope, receive, send_with_headers)

        return middleware

    return security_middleware


async def _refuse_host(send: Send) -> None:
    start: Any = {
        "type": "http.response.start",
        "status": 400,
        "headers": [(b"content-type", b"application/json"), *COMMON_HEADERS],
    }
    body: Any = {"type": "http.response.body", "body": INVALID_HOST}
    await send(start)
    await send(body)
