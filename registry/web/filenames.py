"""File names of downloaded documents: `annexes-v3-acme-gmbh-en.pdf` names the customer.

Sales send a personalised annex to one customer; the file on the customer's
disk (and in the deal's folder) should say whose it is. The name is ASCII (a
slug of the exporter's name); a name with no Latin letters falls back to a
short key, with the exact name in RFC 6266's `filename*` for clients that read it.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

#: The exporter's part of the name is cut here, at a hyphen where possible.
MAX_SLUG = 40


def exporter_slug(name: str) -> str:
    """`Acme GmbH & Co. KG` → `acme-gmbh-co-kg`; empty when nothing ASCII is left."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[:MAX_SLUG].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug


def content_disposition(kind: str, number: int, lang: str, exporter: str, key: str) -> str:
    """The header for a PDF download; `key` stands in for an exporter without Latin letters."""
    if not exporter and not key:
        return f'attachment; filename="{kind}-v{number}-{lang}.pdf"'
    slug = exporter_slug(exporter)
    header = f'attachment; filename="{kind}-v{number}-{slug or key}-{lang}.pdf"'
    if exporter and not slug:  # e.g. a Korean company name: keep it exact for those who can
        header += "; filename*=UTF-8''" + quote(f"{kind}-v{number}-{exporter}-{lang}.pdf", safe="")
    return header
