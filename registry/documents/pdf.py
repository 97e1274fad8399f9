"""HTML to PDF with WeasyPrint: only the package's own assets, no network, no files.

The PDF is deterministic: its dates come from the document (the version's
effective date) and its identifier from its content, so the same version
always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import mimetypes
import threading
from collections.abc import Sequence
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML, Attachment
from weasyprint.css import ColorProfile
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


#: Archival PDF (ISO 19005-3, level B): embedded fonts, an sRGB output intent,
#: XMP metadata, and attached files that say their relationship to the document.
PDF_VARIANT = "pdf/a-3b"
#: The output intent's colour profile, WeasyPrint's own sRGB ICC profile, loaded here
#: because WeasyPrint's `output_intent="srgb"` opens the file and never closes it.
OUTPUT_INTENT = "registry-srgb"


def _srgb_profile() -> ColorProfile:
    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as icc:
        return ColorProfile(icc, "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))


def html_to_pdf(html: str, identity: str, attachments: Sequence[Attachment] = ()) -> bytes:
    """The PDF/A-3b of `html`, with `attachments` embedded; `identity` (e.g. the cache
    key) fixes the PDF's /ID."""
    document = HTML(
        string=keep_korean_words(html), base_url=ASSET_BASE_URL, url_fetcher=AssetFetcher()
    )
    identifier = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32].encode("ascii")
    options: dict[str, Any] = {
        "pdf_identifier": identifier,
        "pdf_variant": PDF_VARIANT,
        "attachments": list(attachments),
        "output_intent": OUTPUT_INTENT,
    }
    rendered = document.render(font_config=_font_config(), **options)
    rendered.color_profiles[OUTPUT_INTENT] = _srgb_profile()
    pdf: bytes = rendered.write_pdf(**options)
    return pdf


def json_attachment(name: str, data: bytes, description: str, when: datetime) -> Attachment:
    """A JSON file to embed: dated `when` (not now) so the PDF stays deterministic;
    its relationship to the document is Data (PDF/A-3 /AFRelationship)."""
    return Attachment(
        string=data,
        base_url=None,
        name=name,
        description=description,
        created=when,
        modified=when,
        relationship="Data",
    )
