"""How `registry serve` runs uvicorn: one process, or several (each with its own listening
socket), and the notice worker beside them.

Several processes: uvicorn's supervisor shares one listening socket among them, and
the kernel wakes whichever process waits in accept() — under load mostly the same one
(with wrk's 16 connections one process got 13: two processes answered 1.2× one).
Here each process listens on its own socket, all bound to the port with SO_REUSEPORT,
so the kernel spreads new connections across them by their address hash. The
supervisor keeps each socket: a process that dies is replaced on the same socket, and
the connections queued on it meanwhile are answered, not dropped.

Every socket is made as IPPROTO_TCP: asyncio sets TCP_NODELAY on an accepted
connection only when the listening socket's `proto` says TCP (uvicorn 0.3x bound it
with proto 0; every kept-alive response then waited ~40 ms for the client's ACK).
"""

from __future__ import annotations

import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process

from registry.settings import Settings

logger = logging.getLogger("uvicorn.error")
SHARES_PORTS = hasattr(socket, "SO_REUSEPORT")


class TcpConfig(uvicorn.Config):
    """uvicorn's configuration whose sockets are TCP ones, bound to share their port."""

    def bind_socket(self) -> socket.socket:
        if self.uds is not None or self.fd is not None:
            return super().bind_socket()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if SHARES_PORTS:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError as exc:
            logger.error(exc)
            sys.exit(STARTUP_FAILURE)
        sock.set_inheritable(True)
        return sock


class SocketPerProcess(Multiprocess):
    """uvicorn's supervisor, with one listening socket per server process (see above)."""

    def __init__(self, config: TcpConfig) -> None:
        super().__init__(config, sockets=[])
        self.slots = [config.bind_socket() for _ in range(config.workers)]
        host, port = self.slots[0].getsockname()[:2]
        logger.info("Uvicorn running on http://%s:%d (%d processes)", host, port, len(self.slots))

    def _start(self, slot: int) -> Process:
        process = Process(self.config, [self.slots[slot]])
        process.start()
        return process

    def init_processes(self) -> None:
        self.processes = [self._start(slot) for slot in range(len(self.slots))]

    def keep_subprocess_alive(self) -> None:
        for slot, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()  # hung or gone
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # would fail the same way again
                logger.error("Child process [%s] failed to start, stopping.", process.pid)
                self.should_exit.set()
                return
            logger.info("Child process [%s] died", process.pid)
            self.processes[slot] = self._start(slot)

    def restart_all(self) -> None:
        """SIGHUP: each process replaced on its socket, the new one serving before the old goes."""
        for slot, old in enumerate(self.processes):
            new = self._start(slot)
            if not new.wait_until_ready(self.config.timeout_worker_healthcheck, self.should_exit):
                new.kill()
                new.join()
                return
            old.terminate()
            old.join()
            self.processes[slot] = new

    def handle_ttin(self) -> None:
        logger.info("SIGTTIN ignored: restart with another --workers to change the count.")

    def handle_ttou(self) -> None:
        logger.info("SIGTTOU ignored: restart with another --workers to change the count.")


def run_uvicorn(options: dict[str, Any]) -> None:
    """`uvicorn.run` of the app factory; several processes each get their own socket."""
    if options.get("workers", 1) <= 1:
        uvicorn.run("registry.app:create_app", **options)
        return
    config = TcpConfig("registry.app:create_app", **options)
    if SHARES_PORTS:
        SocketPerProcess(config).run()
    else:  # no SO_REUSEPORT: one socket shared by every process
        Multiprocess(config, sockets=[config.bind_socket()]).run()


def start_notice_worker(settings: Settings) -> Any:
    """The notice worker as a thread of the supervising process (several server processes)."""
    from registry.db import make_engine
    from registry.notices.worker import start_thread
    from registry.templating import build_environment

    engine = make_engine(settings.database_url)
    return start_thread(engine, settings, settings.resolved_secret_key(), build_environment())
