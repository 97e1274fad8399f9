"""Webhooks: registering an endpoint (proven by a challenge), signing and posting bodies.

Every POST carries `X-Registry-Signature: t=<unix seconds>,v1=<hex>` where v1 is
HMAC-SHA256 with the endpoint's secret over `f"{t}.{body}"` (body as sent, in
bytes). Receivers recompute it, compare in constant time, and refuse a `t` older
than a few minutes. Redirects are not followed; only 2xx counts as delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session

from registry.enums import WebhookStatus
from registry.errors import InvalidInput, NotFound
from registry.models import WebhookEndpoint
from registry.models.base import utcnow

SIGNATURE_HEADER = "X-Registry-Signature"
TIMEOUT_SECONDS = 10
USER_AGENT = "registry-webhooks/1"


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def check_url(url: str, *, allow_insecure_loopback: bool) -> None:
    """https to a public address; http only to loopback when the setting allows it."""
    parts = urlsplit(url)
    if len(url) > 2000 or not parts.hostname or parts.username or parts.password:
        raise InvalidInput("url", "must be an absolute https URL without credentials")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise InvalidInput("url", "the host name does not resolve") from None
    addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    loopback = all(address.is_loopback for address in addresses)
    if loopback and allow_insecure_loopback:
        if parts.scheme not in ("https", "http"):
            raise InvalidInput("url", "must be an http(s) URL")
        return
    if parts.scheme != "https":
        raise InvalidInput("url", "must be an https URL")
    if any(not address.is_global for address in addresses):
        raise InvalidInput("url", "must point at a public address")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked by check_url)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT} | headers,
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status, response.read(4096).decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        text = error.read(500).decode("utf-8", "replace") if error.fp else ""
        raise DeliveryError(
            f"HTTP {error.code}: {text}".strip(), permanent=error.code in (404, 410)
        ) from None
    except (OSError, urllib.error.URLError) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from None


def deliver(endpoint_url: str, secret: str, body: bytes, delivery_id: str) -> str:
    return deliver_signed(endpoint_url, body, signed_headers(secret, body, delivery_id))


def signed_headers(secret: str, body: bytes, delivery_id: str) -> dict[str, str]:
    """The headers of one delivery, signature included (kept as evidence with the body)."""
    return {
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
        "X-Registry-Event": "publication",
        "X-Registry-Delivery": delivery_id,
    }


def deliver_signed(endpoint_url: str, body: bytes, headers: dict[str, str]) -> str:
    status, text = post(endpoint_url, body, headers)
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}: {text[:300]}")
    return f"HTTP {status}"


def prove(url: str, *, allow_insecure_loopback: bool) -> str:
    """Challenge the URL (it must echo our token); returns the secret for the new endpoint.

    Called before any database work, so no transaction waits on someone else's server.
    """
    check_url(url, allow_insecure_loopback=allow_insecure_loopback)
    secret = secrets.token_urlsafe(32)
    challenge = secrets.token_urlsafe(24)
    body = json.dumps({"event": "challenge", "challenge": challenge}).encode()
    try:
        status, text = post(
            url, body, {SIGNATURE_HEADER: signature(secret, int(time.time()), body)}
        )
    except DeliveryError as error:
        raise InvalidInput("url", f"the challenge failed: {error.reason}") from None
    if not 200 <= status < 300 or challenge not in text:
        raise InvalidInput("url", "the endpoint did not echo the challenge")
    return secret


def store(session: Session, *, url: str, secret: str, description: str) -> WebhookEndpoint:
    endpoint = WebhookEndpoint(
        url=url,
        secret=secret,
        description=description[:200],
        status=WebhookStatus.ACTIVE,
        challenge_passed_at=utcnow(),
    )
    session.add(endpoint)
    session.flush()
    return endpoint


def remove(session: Session, endpoint_id: int, secret: str) -> None:
    """The owner (who holds the secret) stops deliveries to its endpoint."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or not hmac.compare_digest(endpoint.secret, secret):
        raise NotFound(f"Webhook {endpoint_id} does not exist")
    endpoint.status = WebhookStatus.DISABLED
