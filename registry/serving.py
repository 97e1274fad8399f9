"""uvicorn's configuration for `registry serve --workers N`, with one fix.

asyncio sets TCP_NODELAY on an accepted connection only when the listening socket's
`proto` is IPPROTO_TCP. With several workers uvicorn (0.54) binds the socket itself
with proto 0, and its processes inherit it as such: every response with a body then
waited for the client's delayed ACK (Nagle), ~40 ms a request on a kept-alive
connection (347 req/s instead of ~2,000 with wrk's 16 connections). The same socket,
marked as TCP, restores it.
"""

from __future__ import annotations

import socket

import uvicorn


class TcpConfig(uvicorn.Config):
    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        if bound.family not in (socket.AF_INET, socket.AF_INET6):
            return bound
        return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
