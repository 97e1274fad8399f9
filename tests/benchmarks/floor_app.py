"""The floor: a bare Litestar app answering GET / with fixed bytes (the benchmark's yardstick).

`python -m tests.benchmarks.floor_app FILE PORT [WORKERS]` serves FILE's bytes
as text/html on 127.0.0.1:PORT through uvicorn, configured as `registry serve`
configures it (same HTTP and loop implementations, no access log).
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn
from litestar import Litestar, Response, get


def create_floor_app() -> Litestar:
    body = Path(sys.argv[1]).read_bytes()

    @get("/", sync_to_thread=False)
    def home() -> Response[bytes]:
        return Response(body, media_type="text/html; charset=utf-8")

    return Litestar(route_handlers=[home])


if __name__ == "__main__":
    uvicorn.run(
        "tests.benchmarks.floor_app:create_floor_app",
        factory=True,
        host="127.0.0.1",
        port=int(sys.argv[2]),
        workers=int(sys.argv[3]) if len(sys.argv) > 3 else 1,
        access_log=False,
        log_level="warning",
    )
