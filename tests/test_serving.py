"""`registry serve --workers N` binds its listening sockets as TCP, so every connection
gets TCP_NODELAY and a kept-alive response is not held back for the client's ACK, and
shares the port, so each process can listen on a socket of its own."""

from __future__ import annotations

import asyncio
import socket

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


def test_several_sockets_bind_the_same_port() -> None:
    config = TcpConfig("registry.app:create_app", factory=True, host="127.0.0.1", port=free_port())
    first, second = config.bind_socket(), config.bind_socket()
    assert first.getsockname() == second.getsockname()
    first.close()
    second.close()
