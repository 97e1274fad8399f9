"""Webhooks: registering an endpoint (proven by a challenge), signing and posting bodies.

Every POST carries `X-Registry-Signature: t=<unix seconds>,v1=<hex>` where v1 is
HMAC-SHA256 with the endpoint's secret over `f"{t}.{body}"` (body as sent, in
bytes). Receivers recompute it, compare in constant time, and refuse a `t` older
than a few minutes. Redirects are not followed; only 2xx counts as delivered.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import time

from sqlmodel import Session

from registry.enums import WebhookStatus
from registry.errors import InvalidInput, NotFound
from registry.models import WebhookEndpoint
from registry.models.base import utcnow
from registry.notices import webhook_net

SIGNATURE_HEADER = "X-Registry-Signature"
TIMEOUT_SECONDS = 10.0  # for the whole delivery, not per socket read
USER_AGENT = "registry-webhooks/1"


class DeliveryError(Exception):
    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def check_url(url: str, *, allow_insecure_loopback: bool) -> webhook_net.Target:
    """https to a public address; http only to loopback when the setting allows it."""
    return webhook_net.resolve(url, allow_insecure_loopback=allow_insecure_loopback)


def post(
    url: str, body: bytes, headers: dict[str, str], *, allow_insecure_loopback: bool = False
) -> tuple[int, str]:
    """One POST to the address checked now (not to whatever DNS says next), in one deadline."""
    target = check_url(url, allow_insecure_loopback=allow_insecure_loopback)
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT} | headers
    try:
        status, text = webhook_net.post(target, body, headers, deadline=TIMEOUT_SECONDS)
    except (OSError, http.client.HTTPException) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}") from None
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}: {text[:500]}".strip(), permanent=status in (404, 410))
    return status, text


def deliver(
    endpoint_url: str,
    secret: str,
    body: bytes,
    delivery_id: str,
    *,
    allow_insecure_loopback: bool = False,
) -> str:
    headers = signed_headers(secret, body, delivery_id)
    return deliver_signed(
        endpoint_url, body, headers, allow_insecure_loopback=allow_insecure_loopback
    )


def signed_headers(secret: str, body: bytes, delivery_id: str) -> dict[str, str]:
    """The headers of one delivery, signature included (kept as evidence with the body)."""
    return {
        SIGNATURE_HEADER: signature(secret, int(time.time()), body),
        "X-Registry-Event": "publication",
        "X-Registry-Delivery": delivery_id,
    }


def deliver_signed(
    endpoint_url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_insecure_loopback: bool = False,
) -> str:
    status, text = post(
        endpoint_url, body, headers, allow_insecure_loopback=allow_insecure_loopback
    )
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
            url,
            body,
            {SIGNATURE_HEADER: signature(secret, int(time.time()), body)},
            allow_insecure_loopback=allow_insecure_loopback,
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
