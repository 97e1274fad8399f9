"""The document cache: one render per key, quick renders never stall it."""

from __future__ import annotations

import threading
from pathlib import Path

from registry.documents import DocumentCache


def test_instant_renders_and_disk_hits_never_stall_the_cache(tmp_path: Path) -> None:
    cache = DocumentCache(tmp_path, "fingerprint")
    results: list[bytes] = []

    def ask() -> None:
        for round_ in range(2):  # the second round reads every key back from disk
            cache.clear_memory()
            for index in range(200):
                key = cache.key_of("doc", index)
                body = cache.get(key, lambda i=index: f"{i}".encode(), "text/html", timeout=5).body
                results.append(body)
            assert round_ == 0 or cache.renders == 200

    worker = threading.Thread(target=ask, daemon=True)
    worker.start()
    worker.join(timeout=60)
    cache.close()
    assert not worker.is_alive(), "the cache stalled"
    assert len(results) == 400
