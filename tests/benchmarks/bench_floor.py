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
import resource
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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


def _cpu_times() -> tuple[int, int]:
    """(idle, all) jiffies of the whole machine, from /proc/stat (Linux; else zeros)."""
    try:
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return 0, 0
    return fields[3] + fields[4], sum(fields)  # idle + iowait


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (each wrk run)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


@dataclass
class CpuUse:
    """Where the machine's CPU went while `/` was measured."""

    idle: int = 0  # jiffies
    total: int = 0
    wrk: float = 0.0  # seconds
    requests: float = 0.0

    def add(
        self, before: tuple[int, int, float], after: tuple[int, int, float], rate: float
    ) -> None:
        self.idle += after[0] - before[0]
        self.total += after[1] - before[1]
        self.wrk += after[2] - before[2]
        self.requests += rate * SECONDS

    @property
    def idle_share(self) -> float:
        return self.idle / self.total if self.total else float("nan")

    @property
    def server_microseconds(self) -> float:
        """CPU per request of everything but wrk (the server processes and the kernel)."""
        busy = (self.total - self.idle) / os.sysconf("SC_CLK_TCK")
        return (busy - self.wrk) / self.requests * 1e6 if self.requests else float("nan")


def _snapshot() -> tuple[int, int, float]:
    return (*_cpu_times(), _children_cpu())


def _measure(targets: dict[str, tuple[str, dict[str, str]]]) -> tuple[dict[str, float], CpuUse]:
    """Median rate per target, and where the CPU went while `/` was measured."""
    rates: dict[str, list[float]] = {name: [] for name in targets}
    use = CpuUse()
    for url, headers in targets.values():
        wrk_rate(url, 1, headers=headers)  # warm up
    for _ in range(ROUNDS):
        for name, (url, headers) in targets.items():
            before = _snapshot()
            rate, errors = wrk_rate(url, SECONDS, headers=headers)
            if name == "/":
                use.add(before, _snapshot(), rate)
            if errors and not name.startswith("304"):
                raise SystemExit(f"{name}: {errors} error responses during the benchmark")
            rates[name].append(rate)
    medians = {name: sorted(values)[len(values) // 2] for name, values in rates.items()}
    return medians, use


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


def _report(label: str, rates: dict[str, float], floor: float, use: CpuUse) -> None:
    print(
        f"-- {label}: floor {floor:,.0f} req/s; while / ran the machine was "
        f"{use.idle_share:.0%} idle; server and kernel used"
        f" {use.server_microseconds:.0f} µs of CPU a request"
    )
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
                rates, use = _measure({"floor": (floor_url, {}), **targets})
        results[workers] = rates
        _report(f"registry serve --workers {workers}", rates, rates["floor"], use)
    one, two = results[1], results[2]
    # Each ratio against the floor measured in the same run, so machine drift cancels.
    scaling = (two["/"] / two["floor"]) / (one["/"] / one["floor"])
    verdict = "ok" if scaling >= WORKERS_GOAL else "BELOW"
    print(f"-- --workers 2 ÷ 1 process for /: {scaling:.2f}× (goal ≥ {WORKERS_GOAL}) {verdict}")
    print(
        f"   (wrk runs on the same {os.cpu_count()} cores: when the machine has no idle left"
        " with two processes, the ratio measures the cores wrk and the kernel's loopback"
        " leave over, not the server: equal CPU a request with 1 and 2 processes is what"
        " scaling with the cores looks like)"
    )


if __name__ == "__main__":
    main()
