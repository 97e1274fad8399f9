"""How `registry serve` runs uvicorn: one process, or several (with one fix), and the
notice worker beside them.

asyncio sets TCP_NODELAY on an accepted connection only when the listening socket's
`proto` is IPPROTO_TCP. With several workers uvicorn (0.54) binds the socket itself
with proto 0, and its processes inherit it as such: every response with a body then
waited for the client's delayed ACK (Nagle), ~40 ms a request on a kept-alive
connection (347 req/s instead of ~2,000 with wrk's 16 connections). The same socket,
marked as TCP, restores it.
"""

from __future__ import annotations

import socket
from typing import Any

import uvicorn

from registry.settings import Settings


class TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6):
            return bound
        return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())


def run_uvicorn(options: dict[str, Any]) -> None:
    """`uvicorn.run` of the app factory; several processes bind their socket as TCP."""
    if options.get("workers", 1) <= 1:
        uvicorn.run("registry.app:create_app", **options)
        return
    from uvicorn.supervisors import Multiprocess

    config = TcpConfig("registry.app:create_app", **options)
    Multiprocess(config, sockets=[config.bind_socket()]).run()


def start_notice_worker(settings: Settings) -> Any:
    """The notice worker as a thread of the supervising process (several server processes)."""
    from registry.db import make_engine
    from registry.notices.worker import start_thread
    from registry.templating import build_environment

    engine = make_engine(settings.database_url)
    return start_thread(engine, settings, settings.resolved_secret_key(), build_environment())
