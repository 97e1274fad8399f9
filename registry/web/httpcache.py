"""HTTP caching of rendered bodies: ETag, 304, Last-Modified, Cache-Control, Vary, gzip.

- `ETag`: the body's hash and the language (`"<hash>-<lang>"`); the gzip
  representation adds `-gzip`. `If-None-Match` naming either (weak or strong,
  or `*`) is answered 304 with no body.
- `Cache-Control: public, max-age=N`: N never reaches past the next upcoming
  effective date (midnight UTC that day), when the page changes by itself, and
  is at most REGISTRY_PUBLIC_MAX_AGE_SECONDS (a publication can add a banner at
  any time). A personalised document is `private, no-store`.
- `Vary: Accept-Encoding` whenever the body could be compressed, plus
  `Accept-Language, Cookie` where the language was negotiated.
- gzip is computed once per body (per ETag) and kept beside the cache, never
  per request; only text types over 1 kB are compressed.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import Any

from litestar import Request, Response

from registry.pages import Rendered

COMPRESSIBLE = ("text/", "application/json", "application/atom+xml", "application/xml")
MIN_COMPRESS = 1024
VARY_LANGUAGE = "Accept-Language, Cookie"


class Compressed:
    """gzip bodies by ETag: a bounded LRU, filled once per body."""

    def __init__(self, max_entries: int = 256) -> None:
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def gzip(self, rendered: Rendered) -> bytes:
        with self._lock:
            hit = self._entries.get(rendered.etag)
        if hit is not None:
            return hit
        body = gzip.compress(rendered.body, compresslevel=6, mtime=0)
        with self._lock:
            self._entries[rendered.etag] = body
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return body


_compressed = Compressed()


def compressible(rendered: Rendered) -> bool:
    return len(rendered.body) >= MIN_COMPRESS and rendered.media_type.startswith(COMPRESSIBLE)


def accepts_gzip(request: Request[Any, Any, Any]) -> bool:
    accept = request.headers.get("accept-encoding", "")
    if "gzip" not in accept:
        return False
    for part in accept.split(","):
        coding, _sep, params = part.strip().partition(";")
        if coding.strip().lower() == "gzip":
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _opaque(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"').removesuffix("-gzip")


def not_modified(request: Request[Any, Any, Any], base: str) -> bool:
    """Whether If-None-Match names this body (in any of its encodings)."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    return any(tag.strip() == "*" or _opaque(tag) == base for tag in header.split(","))


def max_age(upcoming: tuple[tuple[int, date], ...], cap: int, now: datetime | None = None) -> int:
    """Seconds until the next upcoming effective date begins (UTC), at most `cap`."""
    if not upcoming:
        return cap
    now = now or datetime.now(UTC)
    first = min(day for _number, day in upcoming)
    until = datetime.combine(first, time.min, tzinfo=UTC) - now
    return max(0, min(cap, int(until.total_seconds())))


def cached_response(
    request: Request[Any, Any, Any],
    rendered: Rendered,
    *,
    lang: str = "",
    negotiated: bool = True,
    cache_control: str = "no-cache",
    last_modified: datetime | None = None,
    headers: dict[str, str] | None = None,
) -> Response[bytes]:
    """The bytes (gzip when asked and worth it), or 304 when the caller holds them."""
    base = rendered.etag.strip('"') + (f"-{lang}" if lang else "")
    vary = []
    if negotiated:
        vary.append(VARY_LANGUAGE)
    gzipped = compressible(rendered)
    if gzipped:
        vary.append("Accept-Encoding")
    use_gzip = gzipped and accepts_gzip(request)
    common = {
        "ETag": f'"{base}-gzip"' if use_gzip else f'"{base}"',
        "Cache-Control": cache_control,
    }
    if vary:
        common["Vary"] = ", ".join(vary)
    if last_modified is not None:
        moment = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        common["Last-Modified"] = format_datetime(moment.astimezone(UTC), usegmt=True)
    if headers:
        common |= headers
    if not_modified(request, base):
        return Response(b"", status_code=304, headers=common)
    if use_gzip:
        common["Content-Encoding"] = "gzip"
        return Response(_compressed.gzip(rendered), media_type=rendered.media_type, headers=common)
    return Response(rendered.body, media_type=rendered.media_type, headers=common)
