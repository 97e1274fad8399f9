"""A real `registry serve` on a free loopback port, on a fresh seeded SQLite file, and wrk."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_server(
    extra_env: dict[str, str] | None = None, workers: int = 1
) -> Iterator[tuple[str, dict[str, str]]]:
    """Yield (base URL, environment) of a seeded registry served by uvicorn."""
    folder = Path(tempfile.mkdtemp(prefix="registry-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")} | {
        "REGISTRY_DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
        "REGISTRY_VAR_DIR": str(folder / "var"),
        "REGISTRY_PASSWORD_HASH_PROFILE": "cheap",
        **(extra_env or {}),
    }
    command = [sys.executable, "-m", "registry"]
    subprocess.run([*command, "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([*command, "seed"], env=env, check=True, capture_output=True)
    # What legal would confirm, so that publishing through the API passes the checklist.
    subprocess.run(
        [sys.executable, "-m", "tests.support.legal", env["REGISTRY_DATABASE_URL"]],
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--no-worker", "--workers", str(workers), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/health")
        yield base, env
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_serving(url: str, limit_seconds: float = 300) -> None:
    """Until `url` answers (a loaded shared machine can take a minute to start a server)."""
    deadline = time.monotonic() + limit_seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()  # noqa: S310
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer within {limit_seconds:.0f} s") from None
            time.sleep(0.1)


def wrk_rate(
    url: str, seconds: float = 3, connections: int = 16, headers: dict[str, str] | None = None
) -> tuple[float, int]:
    """Requests per second and non-2xx/3xx count, measured by wrk (or a Python loop without it)."""
    if shutil.which("wrk"):
        extra = [
            arg for name, value in (headers or {}).items() for arg in ("-H", f"{name}: {value}")
        ]
        out = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", *extra, url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: .*?timeout (\d+)", out)
        return rate, int(errors.group(1)) if errors else 0 + (
            int(socket_errors.group(1)) if socket_errors else 0
        )
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        urllib.request.urlopen(url, timeout=5).read()  # noqa: S310
        count += 1
    return count / (time.perf_counter() - start), 0


def interleaved(urls: dict[str, str], rounds: int = 3, seconds: int = 3) -> dict[str, float]:
    """Median rate per URL, runs interleaved so drift on a shared machine hits all alike."""
    rates: dict[str, list[float]] = {name: [] for name in urls}
    for _ in range(rounds):
        for name, url in urls.items():
            rate, errors = wrk_rate(url, seconds)
            if errors:
                raise SystemExit(f"{name}: {errors} error responses during the benchmark")
            rates[name].append(rate)
    return {name: sorted(values)[len(values) // 2] for name, values in rates.items()}
