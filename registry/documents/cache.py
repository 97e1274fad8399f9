"""Rendered documents, kept in memory and on disk, rendered off the event loop with a time limit.

A document is rendered once per (document, version, language, personalisation,
format): the bytes go into a bounded in-memory LRU and, unless they hold personal
data (a customer's name and address), into `var/cache/documents/`, so a restart
or another process reuses them; a disk that cannot be written still serves them.
At most `max_queue` renders run or wait; past it the caller is told to come back. Renders run
in a small pool of their own; a caller waits at most `timeout` seconds and gets
`RenderTimeout`, while the render carries on and a later request picks up its
result (one render per key at a time, however many requests ask for it).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

from registry.notices.subscriptions import RateWindow
from registry.pages import Rendered

log = logging.getLogger("registry")


class RenderTimeout(Exception):
    """A render took longer than the time limit; it goes on in the background."""


class RenderQueueFull(Exception):
    """Too many different documents are waiting to be rendered: try again shortly."""


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


class DocumentCache:
    def __init__(
        self,
        directory: Path,
        fingerprint: str,
        max_entries: int = 256,
        workers: int = 2,
        max_queue: int = 32,
        personal_per_client: int = 20,
    ) -> None:
        self.directory = directory
        self.fingerprint = fingerprint
        self._memory: OrderedDict[str, Rendered] = OrderedDict()
        self._inflight: dict[str, Future[Rendered]] = {}
        self._lock = threading.Lock()
        self._max = max_entries
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="render")
        self.renders = 0  # how many renders actually ran (a cache miss on memory and disk)
        self.max_queue = max_queue  # renders running or waiting; past it, RenderQueueFull
        # Personalised renders (a customer's name in Annex I.A) per client, in memory.
        self.personal_renders = RateWindow(personal_per_client, seconds=600.0)
        self._write_failed = False

    def key_of(self, *parts: object) -> str:
        """A stable file-safe key: the parts, and the fingerprint of the templates and styles."""
        text = "\x1f".join([self.fingerprint, *(str(part) for part in parts)])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def cached(self, key: str) -> Rendered | None:
        """The bytes for `key` if they are in memory (no disk read, no render)."""
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
            return hit

    def get(
        self,
        key: str,
        render: Callable[[], bytes],
        media_type: str,
        timeout: float,
        *,
        persist: bool = True,
    ) -> Rendered:
        """The cached bytes for `key`, rendering them (at most once) if need be.

        `persist=False` (personal data) keeps the bytes in memory only, never on disk.
        """
        with self._lock:
            hit = self._memory.get(key)
            if hit is not None:
                self._memory.move_to_end(key)
                return hit
            future = self._inflight.get(key)
            started = future is None
            if future is None:
                if len(self._inflight) >= self.max_queue:
                    raise RenderQueueFull(key)
                future = self._pool.submit(self._load_or_render, key, render, media_type, persist)
                self._inflight[key] = future
        if started:
            # Outside the lock: a future already done runs the callback here, at once.
            future.add_done_callback(lambda done: self._settle(key, done))
        try:
            return future.result(timeout=timeout)
        except FutureTimeout as exc:
            raise RenderTimeout(key) from exc

    def _settle(self, key: str, future: Future[Rendered]) -> None:
        with self._lock:
            self._inflight.pop(key, None)
            if future.cancelled() or future.exception() is not None:
                return
            self._memory[key] = future.result()
            while len(self._memory) > self._max:
                self._memory.popitem(last=False)

    def _path(self, key: str, media_type: str) -> Path:
        suffix = ".pdf" if media_type == "application/pdf" else ".html"
        return self.directory / f"{key}{suffix}"

    def _load_or_render(
        self, key: str, render: Callable[[], bytes], media_type: str, persist: bool = True
    ) -> Rendered:
        if not persist:
            body = render()
            self.renders += 1
            return Rendered(body, _etag(body), media_type)
        path = self._path(key, media_type)
        try:
            body = path.read_bytes()
        except OSError:  # not there yet, or the disk cannot be read: render
            body = render()
            self.renders += 1
            self._keep(path, body)
        return Rendered(body, _etag(body), media_type)

    def _keep(self, path: Path, body: bytes) -> None:
        """Write to disk if it can; a full or read-only disk still serves the render."""
        try:
            self._write(path, body)
        except OSError as error:
            if not self._write_failed:  # once, not once per request
                log.warning("document cache: cannot write %s: %s", path.parent, error)
            self._write_failed = True
        else:
            self._write_failed = False

    def _write(self, path: Path, body: bytes) -> None:
        """Write atomically, so a reader in another process never sees half a file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def clear_memory(self) -> None:
        with self._lock:
            self._memory.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
