"""Finished answers to the hottest public reads, served by the pipeline before routing.

`/`, `/api/v1/registry`, `/changes`, `/changes.atom` and the public PDFs are
the same bytes for everyone until the timeline changes. Their handlers answer
through `httpcache.respond(..., front=timeline)`, which leaves the prepared
answers here, keyed by what the handler read from the request: path, query and
language. The pipeline answers a later GET with that key from here, without
Litestar's routing, request objects, parameter parsing or the handler (a
profile of one process under wrk put half of each request's time there), as
long as the timeline it was made under is still the one in force.

`TimelineCache` hands out one Timeline object for its second and forgets it
when this process writes, so "the same object" means "still in force": an
entry lives at most a second, the handler runs again, and Cache-Control's
max-age never counts down by more than a second late. Personal documents
(`private`) are never kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from registry.web.deps import request_language

if TYPE_CHECKING:
    from registry.services.versions import Timeline
    from registry.web.deps import TimelineCache
    from registry.web.httpcache import Prepared, RawResponse


def front_key(scope: Any) -> tuple[str, bytes, str]:
    return (scope["path"], scope.get("query_string", b""), request_language(scope))


class FrontCache:
    """Prepared answers by (path, query, language), each with the timeline it was made under."""

    def __init__(self, timelines: TimelineCache, max_entries: int = 256) -> None:
        self._timelines = timelines
        self._entries: OrderedDict[tuple[str, bytes, str], tuple[Timeline, Prepared]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()
        self._max = max_entries

    def remember(self, scope: Any, timeline: Timeline, prepared: Prepared) -> None:
        if scope.get("method") != "GET":
            return
        key = front_key(scope)
        with self._lock:
            self._entries[key] = (timeline, prepared)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def answer(self, scope: Any) -> RawResponse | None:
        """The finished answer to this GET, or None (the router and the handler then run)."""
        entry = self._entries.get(front_key(scope))
        if entry is None:
            return None
        timeline, prepared = entry
        if self._timelines.peek() is not timeline:
            return None
        return prepared.choose(scope)

    def __len__(self) -> int:
        return len(self._entries)
