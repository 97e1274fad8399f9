"""A burst does not take the app down, and `registry serve --workers N` runs N processes with
the notice worker in exactly one, on a real server."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from tests.benchmarks.server import free_port, running_server, wait_until_serving

BURST = 200


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_200_concurrent_requests_are_all_answered_and_health_answers_after() -> None:
    with running_server() as (base, _env):
        paths = [
            "/api/v1/registry",
            "/api/v1/versions",  # a database session per request
            "/annexes",
            "/changes",
        ]
        urls = [base + paths[i % len(paths)] for i in range(BURST)]
        # Personalised PDFs: each one a render, more than the render queue holds.
        urls += [f"{base}/annexes.pdf?exporter_name=Customer+{i}" for i in range(40)]
        with ThreadPoolExecutor(max_workers=len(urls)) as pool:
            codes = list(pool.map(_status, urls))
        with urllib.request.urlopen(base + "/health", timeout=5) as health:  # noqa: S310
            assert health.status == 200
        with urllib.request.urlopen(base + "/health/ready", timeout=5) as ready:  # noqa: S310
            assert ready.status == 200
    # A personalised render is shed (503) or refused to a client past its share (429).
    unexpected = sorted(
        {
            code
            for url, code in zip(urls, codes, strict=True)
            if not (200 <= code < 300 or code == 503 or (code == 429 and "exporter_name" in url))
        }
    )
    assert unexpected == [] and len(codes) == BURST + 40
    api = [code for url, code in zip(urls, codes, strict=True) if "/api/v1/" in url]
    assert set(api) == {200}  # reads that need no render were all served, none shed


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(child) for child in text]
    return found


def _environment(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


@contextmanager
def _serving_with_two_workers() -> Iterator[tuple[subprocess.Popen[str], int, list[str]]]:
    """`registry serve --workers 2` on a new database: (supervisor, port, its stderr lines)."""
    folder = Path(tempfile.mkdtemp(prefix="registry-workers-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")} | {
        "REGISTRY_DATABASE_URL": f"sqlite:///{folder / 'r.db'}",
        "REGISTRY_VAR_DIR": str(folder / "var"),
    }
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/health")
        yield server, port, lines
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            _out, err = server.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            server.kill()
            _out, err = server.communicate()
        lines += err.splitlines()
        shutil.rmtree(folder, ignore_errors=True)


def _server_processes(supervisor: int) -> list[int]:
    return [
        pid
        for pid in _children(supervisor)
        if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]


def _listening_sockets(port: int) -> set[str]:
    """Inodes of the sockets listening on 127.0.0.1:port (state 0A in /proc/net/tcp)."""
    rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
    return {row[9] for row in rows if row[1] == f"0100007F:{port:04X}" and row[3] == "0A"}


def test_serve_with_two_workers_one_socket_each_a_dead_one_replaced_one_notice_worker() -> None:
    """Two server processes, neither delivering notices (the supervisor does); each listens
    on its own socket (SO_REUSEPORT), and when one dies, the connections its socket takes
    meanwhile are answered by its successor."""
    with _serving_with_two_workers() as (server, port, lines):
        servers = _server_processes(server.pid)
        assert len(servers) == 2
        assert all(_environment(pid).get("REGISTRY_NO_WORKER") == "1" for pid in servers)
        _until(lambda: len(_listening_sockets(port)) == 2)  # the second may start later
        first, second = servers
        os.kill(first, signal.SIGKILL)
        # Fresh connections (each a new source port, so both sockets get some) all answered.
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(_status, [f"http://127.0.0.1:{port}/health"] * 24))
        assert statuses == [200] * 24
        replaced = _server_processes(server.pid)
        assert second in replaced and first not in replaced and len(replaced) == 2
        assert len(_listening_sockets(port)) == 2
    assert sum("notice worker: in process" in line for line in lines) == 1
    assert f"notice worker: in process {server.pid}" in "\n".join(lines)


def _until(condition: Callable[[], bool], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(0.1)
