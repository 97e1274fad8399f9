"""Rendered bytes kept in memory, keyed by what they depend on.

A published version never changes, so a page rendered for (version, language,
banner) is rendered once and served from here after that.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Rendered:
    body: bytes
    etag: str
    media_type: str


class RenderCache:
    """A bounded LRU of rendered bodies; safe across threads."""

    def __init__(self, max_entries: int = 512) -> None:
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def cached(self, key: Hashable) -> Rendered | None:
        """The bytes for `key` if they are here (no render)."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
            return hit

    def get_or_render(
        self, key: Hashable, render: Callable[[], bytes], media_type: str
    ) -> Rendered:
        with self._lock:
            hit = self._entries.get(key)
            if hit is not None:
                self._entries.move_to_end(key)
                return hit
        body = render()
        rendered = Rendered(body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"', media_type)
        with self._lock:
            self._entries[key] = rendered
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        return rendered

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
