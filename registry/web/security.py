"""Security headers for every response, and the answer to a Host the registry does not serve.

- Content-Security-Policy without inline script (or inline style), framing
  refused, no MIME sniffing, a strict Referrer-Policy; HSTS over https.
- `X-Forwarded-Proto` is believed only from REGISTRY_TRUSTED_PROXIES (see
  `registry.web.pipeline`, which applies all of this to every response).
"""

from __future__ import annotations

from typing import Any

from litestar.types import Send

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


async def refuse_host(send: Send) -> None:
    """400 for a Host this registry does not answer to (DNS rebinding, cache poisoning)."""
    start: Any = {
        "type": "http.response.start",
        "status": 400,
        "headers": [(b"content-type", b"application/json"), *COMMON_HEADERS],
    }
    body: Any = {"type": "http.response.body", "body": INVALID_HOST}
    await send(start)
    await send(body)
