"""HTML to PDF with WeasyPrint: only the package's own assets, no network, no files.

The PDF is deterministic: its dates come from the document (the version's
effective date) and its identifier from its content, so the same version
always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from registry.documents.wordbreak import keep_korean_words

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
#: The base URL documents are rendered under; `/static/…` resolves inside it.
ASSET_BASE_URL = "http://registry.invalid/"
_ASSET_HOST = "registry.invalid"

_local = threading.local()


class AssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves files of `registry/static` for `/static/…` URLs; refuses everything else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("http",), allow_redirects=False)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.netloc != _ASSET_HOST:
            raise ValueError(f"Refused to fetch {url!r}: only the package's assets are served")
        relative = unquote(parts.path).removeprefix("/static/")
        path = (STATIC_DIR / relative).resolve()
        if not parts.path.startswith("/static/") or not path.is_relative_to(STATIC_DIR):
            raise ValueError(f"Refused to fetch {url!r}: outside the package's assets")
        if not path.is_file():
            raise ValueError(f"No such asset: {url!r}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type})


def _font_config() -> FontConfiguration:
    """One FontConfiguration a thread: reused across renders, never shared between threads."""
    config: FontConfiguration | None = getattr(_local, "fonts", None)
    if config is None:
        config = _local.fonts = FontConfiguration()
    return config


def html_to_pdf(html: str, identity: str) -> bytes:
    """The PDF of `html`; `identity` (e.g. the cache key) fixes the PDF's /ID."""
    document = HTML(
        string=keep_korean_words(html), base_url=ASSET_BASE_URL, url_fetcher=AssetFetcher()
    )
    identifier = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32].encode("ascii")
    pdf: bytes = document.write_pdf(font_config=_font_config(), pdf_identifier=identifier)
    return pdf
