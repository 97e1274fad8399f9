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
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any

from litestar import Request, Response

from registry.pages import Rendered

if TYPE_CHECKING:
    from registry.services.versions import Timeline

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


def _accepts_gzip(accept: str) -> bool:
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


def max_age(upcoming: tuple[tuple[int, date], ...], cap: int, now: datetime | None = None) -> int:
    """Seconds until the next upcoming effective date begins (UTC), at most `cap`."""
    if not upcoming:
        return cap
    now = now or datetime.now(UTC)
    first = min(day for _number, day in upcoming)
    until = datetime.combine(first, time.min, tzinfo=UTC) - now
    return max(0, min(cap, int(until.total_seconds())))


def _content_type(media_type: str) -> bytes:
    if media_type.startswith("text/") and "charset" not in media_type:
        media_type += "; charset=utf-8"  # as Litestar writes it
    return media_type.encode("latin-1")


class RawResponse:
    """A finished ASGI response: status, encoded headers and body, sent as they are."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


@dataclass(frozen=True)
class Prepared:
    """Every answer to one cached body, encoded once: identity, gzip, and their 304s."""

    base: str
    identity: RawResponse
    identity_304: RawResponse
    gzipped: RawResponse | None
    gzipped_304: RawResponse | None

    def choose(self, scope: Any) -> RawResponse:
        """The answer this request gets: gzip when asked and worth it, 304 when held."""
        if_none_match, accept_encoding = conditional_headers(scope)
        use_gzip = self.gzipped is not None and _accepts_gzip(accept_encoding)
        held = bool(if_none_match) and any(
            tag.strip() == "*" or _opaque(tag) == self.base for tag in if_none_match.split(",")
        )
        if use_gzip:
            return self.gzipped_304 if held else self.gzipped  # type: ignore[return-value]
        return self.identity_304 if held else self.identity


def _prepare(
    rendered: Rendered,
    lang: str,
    negotiated: bool,
    cache_control: str,
    last_modified: datetime | None,
    extra: tuple[tuple[str, str], ...],
) -> Prepared:
    base = rendered.etag.strip('"') + (f"-{lang}" if lang else "")
    gzipped = compressible(rendered)
    vary = [VARY_LANGUAGE] if negotiated else []
    if gzipped:
        vary.append("Accept-Encoding")
    common = [(b"cache-control", cache_control.encode("latin-1"))]
    if vary:
        common.append((b"vary", ", ".join(vary).encode("latin-1")))
    if last_modified is not None:
        moment = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        stamp = format_datetime(moment.astimezone(UTC), usegmt=True)
        common.append((b"last-modified", stamp.encode("latin-1")))
    common += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in extra]
    content_type = (b"content-type", _content_type(rendered.media_type))

    def variants(tag: str, body: bytes, encoding: list[tuple[bytes, bytes]]) -> Any:
        etag = (b"etag", f'"{tag}"'.encode("latin-1"))
        full = [content_type, (b"content-length", str(len(body)).encode()), etag, *encoding]
        return RawResponse(200, full + common, body), RawResponse(304, [etag, *common], b"")

    identity, identity_304 = variants(base, rendered.body, [])
    if not gzipped:
        return Prepared(base, identity, identity_304, None, None)
    zipped, zipped_304 = variants(
        base + "-gzip", _compressed.gzip(rendered), [(b"content-encoding", b"gzip")]
    )
    return Prepared(base, identity, identity_304, zipped, zipped_304)


class PreparedCache:
    """Prepared answers by everything that shapes their headers; a bounded LRU."""

    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[tuple[Any, ...], Prepared] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: tuple[Any, ...], make: Any) -> Prepared:
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None:
            return hit
        prepared: Prepared = make()
        with self._lock:
            self._entries[key] = prepared
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return prepared


_prepared = PreparedCache()


def conditional_headers(scope: Any) -> tuple[str, str]:
    """(If-None-Match, Accept-Encoding) from the raw headers, in one pass."""
    if_none_match = accept_encoding = ""
    for name, value in scope["headers"]:
        if name == b"if-none-match":
            if_none_match = value.decode("latin-1")
        elif name == b"accept-encoding":
            accept_encoding = value.decode("latin-1")
    return if_none_match, accept_encoding


def respond(
    request: Request[Any, Any, Any],
    rendered: Rendered,
    *,
    lang: str = "",
    negotiated: bool = True,
    cache_control: str = "no-cache",
    last_modified: datetime | None = None,
    headers: dict[str, str] | None = None,
    front: Timeline | None = None,
) -> RawResponse:
    """The cached body as a finished response: gzip when asked and worth it, 304 when held.

    Everything but the two request headers read here is encoded once per body. With
    `front` (the timeline the answer was made under), the answer also goes to the
    pipeline's front cache (`registry.web.frontcache`): the handler promises that it
    depends on nothing but the path, the query, the language and that timeline.
    """
    extra = tuple(sorted((headers or {}).items()))
    # The body's own hash in the key: an ETag names content, but what is served must be
    # the bytes in hand (a snapshot rewritten under its old content_hash is served as it
    # now is, for `verify` to name). Cheap: a bytes object keeps its hash once computed.
    key = (
        rendered.etag,
        hash(rendered.body),
        lang,
        negotiated,
        cache_control,
        last_modified,
        extra,
    )
    prepared = _prepared.get(
        key, lambda: _prepare(rendered, lang, negotiated, cache_control, last_modified, extra)
    )
    if front is not None and not cache_control.startswith("private"):
        request.app.state.front.remember(request.scope, front, prepared)
    return prepared.choose(request.scope)


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
    """As `respond`, as a Litestar Response (for handlers whose schema names their type)."""
    raw = respond(
        request,
        rendered,
        lang=lang,
        negotiated=negotiated,
        cache_control=cache_control,
        last_modified=last_modified,
        headers=headers,
    )
    kept = {
        name.decode("latin-1"): value.decode("latin-1")
        for name, value in raw.headers
        if name not in (b"content-type", b"content-length")
    }
    media_type = rendered.media_type
    return Response(raw.body, status_code=raw.status, media_type=media_type, headers=kept)
