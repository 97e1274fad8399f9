"""Documents personalised for one customer (Annex I.A's exporter): limits and the form.

A personalised document holds personal data (a name, an address, a contact), so
it is never written to disk, is served `private, no-store`, and each client may
have only so many rendered (a cache miss costs a render; a hit costs nothing).
The documents page posts the details (POST /documents), so they stay out of
URLs, access logs and browser history; the GET parameters keep working for
links already sent.
"""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.exceptions import HTTPException

from registry.documents import DocumentCache
from registry.documents.cache import RenderQueueFull
from registry.errors import InvalidInput
from registry.i18n import LANGUAGES

RENDER_WINDOW_SECONDS = 600
FORMATS = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}
FORM_FIELDS = ("version", "as_of", "exporter_name", "exporter_address", "exporter_contact")


def admit(request: Request[Any, Any, Any], cache: DocumentCache) -> None:
    """429 when this client has had its share of personalised renders in the window."""
    client = request.client.host if request.client else ""
    if not cache.personal_renders.allow(client):
        raise HTTPException(
            status_code=429,
            detail="Too many personalised documents from this address; try again later",
            headers={"Retry-After": str(RENDER_WINDOW_SECONDS)},
        )


def queue_full() -> HTTPException:
    return HTTPException(
        status_code=503,
        detail="Many documents are being prepared; try again in a moment",
        headers={"Retry-After": "5"},
    )


def form_params(data: Any, lang: str) -> tuple[str, str, dict[str, str]]:
    """The media type, the language and the document parameters of the POSTed form."""
    fields = data if isinstance(data, dict) else {}
    chosen = str(fields.get("format") or "pdf")
    if chosen not in FORMATS:
        raise InvalidInput("format", "must be pdf or html")
    asked = str(fields.get("lang") or lang)
    if asked not in LANGUAGES:
        raise InvalidInput("lang", f"must be one of {', '.join(LANGUAGES)}")
    params = {name: str(fields.get(name) or "")[:2000] for name in FORM_FIELDS}
    return FORMATS[chosen], asked, params


__all__ = ["FORMATS", "RenderQueueFull", "admit", "form_params", "queue_full"]
