"""`registry serve --workers N` binds its listening socket as TCP, so every connection
gets TCP_NODELAY and a kept-alive response is not held back for the client's ACK."""

from __future__ import annotations

import asyncio
import socket

import pytest

from registry.serving import TcpConfig
from tests.support.browser import free_port


def _nodelay_of_an_accepted_connection(listening: socket.socket) -> int:
    async def run() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            raw = writer.get_extra_info("socket")
            accepted.set_result(raw.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(connected, sock=listening)
        _reader, writer = await asyncio.open_connection(*listening.getsockname()[:2])
        value = await asyncio.wait_for(accepted, timeout=10)
        writer.close()
        server.close()
        await server.wait_closed()
        return value

    return asyncio.run(run())


def test_the_workers_socket_gives_every_connection_tcp_nodelay() -> None:
    config = TcpConfig("registry.app:create_app", factory=True, host="127.0.0.1", port=free_port())
    listening = config.bind_socket()
    assert listening.proto == socket.IPPROTO_TCP
    assert _nodelay_of_an_accepted_connection(listening) == 1


def test_uvicorns_own_socket_did_not() -> None:
    """Why TcpConfig exists: the socket uvicorn binds for several workers (proto 0)."""
    from uvicorn import Config

    config = Config("registry.app:create_app", factory=True, host="127.0.0.1", port=free_port())
    listening = config.bind_socket()
    if _nodelay_of_an_accepted_connection(listening) == 1:
        pytest.skip("uvicorn now binds its workers' socket as TCP: registry.serving can go")
    assert listening.proto != socket.IPPROTO_TCP
