"""#18: public reads against the framework's floor, measured in one run, as ratios.

The floor is a bare Litestar app on uvicorn returning the same bytes as `/`
(`floor_app.py`, started here). Against it: `/`, `/api/v1/registry`,
`/changes.atom`, a cached PDF and a conditional `GET /` answered 304, with one
server process and with `--workers 2` (the floor keeps one process: it is the
yardstick). Runs are interleaved, so drift on a shared machine hits all alike.

REGISTRY_BENCH_SECONDS (default 3) and REGISTRY_BENCH_ROUNDS (default 3) make
a quick run shorter.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.benchmarks.server import free_port, running_server, wait_until_serving, wrk_rate

GOALS = {"/": 0.8, "/api/v1/registry": 0.8, "/transfers.pdf": 0.6, "304 /": 0.9}
WORKERS_GOAL = 1.6
SECONDS = int(os.environ.get("REGISTRY_BENCH_SECONDS", "3"))
ROUNDS = int(os.environ.get("REGISTRY_BENCH_ROUNDS", "3"))


@contextmanager
def floor_server(body: bytes) -> Iterator[str]:
    folder = Path(tempfile.mkdtemp(prefix="registry-floor-"))
    (folder / "body.html").write_bytes(body)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.benchmarks.floor_app", str(folder / "body.html"), str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base + "/")
        yield base + "/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _measure(targets: dict[str, tuple[str, dict[str, str]]]) -> dict[str, float]:
    rates: dict[str, list[float]] = {name: [] for name in targets}
    for url, headers in targets.values():
        wrk_rate(url, 1, headers=headers)  # warm up
    for _ in range(ROUNDS):
        for name, (url, headers) in targets.items():
            rate, errors = wrk_rate(url, SECONDS, headers=headers)
            if errors and not name.startswith("304"):
                raise SystemExit(f"{name}: {errors} error responses during the benchmark")
            rates[name].append(rate)
    return {name: sorted(values)[len(values) // 2] for name, values in rates.items()}


def _targets(base: str) -> dict[str, tuple[str, dict[str, str]]]:
    with urllib.request.urlopen(base + "/", timeout=60) as response:  # noqa: S310
        etag = response.headers["ETag"]
    for path in ("/transfers.pdf", "/changes.atom", "/api/v1/registry"):
        urllib.request.urlopen(base + path, timeout=120).read()  # noqa: S310 (render, cache)
    return {
        "/": (base + "/", {}),
        "/api/v1/registry": (base + "/api/v1/registry", {}),
        "/changes.atom": (base + "/changes.atom", {}),
        "/transfers.pdf": (base + "/transfers.pdf", {}),
        "304 /": (base + "/", {"If-None-Match": etag}),
    }


def _report(label: str, rates: dict[str, float], floor: float) -> None:
    print(f"-- {label}: floor {floor:,.0f} req/s")
    for name, rate in rates.items():
        if name == "floor":
            continue
        ratio = rate / floor
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"(goal ≥ {goal}) {'ok' if ratio >= goal else 'BELOW'}"
        print(f"   {name:18} {rate:9,.0f} req/s  {ratio:5.2f}× floor {verdict}")


def main() -> None:
    results: dict[int, dict[str, float]] = {}
    for workers in (1, 2):
        with running_server(workers=workers) as (base, _env):
            targets = _targets(base)
            with urllib.request.urlopen(base + "/", timeout=60) as response:  # noqa: S310
                body = response.read()
            with floor_server(body) as floor_url:
                rates = _measure({"floor": (floor_url, {}), **targets})
        results[workers] = rates
        _report(f"registry serve --workers {workers}", rates, rates["floor"])
    one, two = results[1], results[2]
    # Each ratio against the floor measured in the same run, so machine drift cancels.
    scaling = (two["/"] / two["floor"]) / (one["/"] / one["floor"])
    verdict = "ok" if scaling >= WORKERS_GOAL else "BELOW"
    print(f"-- --workers 2 ÷ 1 process for /: {scaling:.2f}× (goal ≥ {WORKERS_GOAL}) {verdict}")


if __name__ == "__main__":
    main()
