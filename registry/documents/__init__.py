"""The documents: the transfer table and the SCC Annexes I–III, as HTML and as PDF.

`render_html` and `render_pdf` work on any snapshot (a published version's, or
the draft's for the admin preview) and a `DocumentMeta` stamp. The web layer
(`registry/web/documents.py`) adds versions, personalisation and the cache.
"""

from __future__ import annotations

import functools
import hashlib
from typing import Any

from jinja2 import Environment

from registry import __version__
from registry.documents.cache import DocumentCache, RenderTimeout
from registry.documents.context import (
    EXPORTER_LIMITS,
    TEMPLATES,
    DocumentMeta,
    Exporter,
    build_context,
)
from registry.documents.pdf import STATIC_DIR, html_to_pdf
from registry.enums import DocumentKind
from registry.i18n import language
from registry.integrity.embedded import snapshot_attachments
from registry.templating import TEMPLATES_DIR, build_environment

__all__ = [
    "EXPORTER_LIMITS",
    "DocumentCache",
    "DocumentKind",
    "DocumentMeta",
    "Exporter",
    "RenderTimeout",
    "fingerprint",
    "render_html",
    "render_pdf",
]


@functools.cache
def _default_environment() -> Environment:
    return build_environment()


def render_html(
    kind: DocumentKind | str,
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    lang: str,
    exporter: Exporter | None = None,
    *,
    env: Environment | None = None,
) -> str:
    """The document as a standalone HTML page (the same page WeasyPrint prints)."""
    kind = DocumentKind(kind)
    env = env or _default_environment()
    with language(lang):
        context = build_context(kind, snapshot, meta, lang, exporter)
        return env.get_template(TEMPLATES[kind]).render(**context)


def render_pdf(
    kind: DocumentKind | str,
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    lang: str,
    exporter: Exporter | None = None,
    *,
    env: Environment | None = None,
) -> bytes:
    """The document as PDF: the same bytes every time for the same inputs."""
    html = render_html(kind, snapshot, meta, lang, exporter, env=env)
    identity = "|".join(
        [str(kind), str(meta.number), meta.content_hash, lang, *(exporter or Exporter()).key()]
    )
    return html_to_pdf(html, identity, snapshot_attachments(snapshot, meta))


@functools.cache
def fingerprint() -> str:
    """A hash of what shapes a document (templates, styles, code version): part of cache keys."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(b"pdf/a-3b with registry-vN.json")  # PDFs cached before lack the attachment
    sources = sorted((TEMPLATES_DIR / "documents").rglob("*.html"))
    sources += sorted((TEMPLATES_DIR / "_macros").glob("*.html"))
    sources.append(STATIC_DIR / "documents.css")
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
