"""The links in emails: a subscriber's random public id and an HMAC of it, per purpose.

Nothing secret is stored: the database alone cannot forge a link, and each
purpose (confirm, manage) has its own MAC. A confirmation link also covers the
nonce of the request that sent it, so it stops working once the address is
confirmed or unsubscribed and subscribed again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from registry.errors import NotFound

CONFIRM = "confirm"
MANAGE = "manage"


def new_public_id() -> str:
    return secrets.token_hex(12)


def new_nonce() -> str:
    return secrets.token_hex(8)


def _mac(secret_key: str, purpose: str, public_id: str, extra: str) -> str:
    digest = hmac.new(
        secret_key.encode(), f"{purpose}:{public_id}:{extra}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode().rstrip("=")


def make_token(secret_key: str, purpose: str, public_id: str, extra: str = "") -> str:
    return f"{public_id}.{_mac(secret_key, purpose, public_id, extra)}"


def public_id_of(token: str) -> str:
    public_id, _sep, mac = token.partition(".")
    if not public_id or not mac or len(token) > 80:
        raise NotFound("This link is not valid")
    return public_id


def check_token(secret_key: str, purpose: str, token: str, extra: str = "") -> str:
    """The public id the token names, or NotFound when the MAC does not match."""
    public_id = public_id_of(token)
    expected = make_token(secret_key, purpose, public_id, extra)
    if not hmac.compare_digest(expected.encode(), token.encode()):
        raise NotFound("This link is not valid, or has been replaced by a newer one")
    return public_id
