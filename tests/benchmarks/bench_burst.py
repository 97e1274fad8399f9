"""#11: a burst of 1,000 concurrent connections per public route while /health is polled.

Per route (wrk, -c1000 for REGISTRY_BENCH_BURST_SECONDS, default 20, on
loopback): requests answered, timeouts (goal 0), answers other than 2xx and
503 (goal 0), and /health's p99 during the burst as a multiple of its idle p99.
Then the throughput of /api/v1/registry as a ratio of /health's (goal ≥ 0.5)
and the time /health takes to answer again after each burst (goal < 1 s).
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from tests.benchmarks.server import running_server, wrk_rate

SECONDS = int(os.environ.get("REGISTRY_BENCH_BURST_SECONDS", "20"))
CONNECTIONS = int(os.environ.get("REGISTRY_BENCH_BURST_CONNECTIONS", "1000"))
ROUTES = [
    "/",
    "/api/v1/registry",
    "/annexes",
    "/annexes.pdf",
    "/annexes.pdf?exporter_name=Customer",  # the script makes each one distinct
    "/changes.atom",
]
WRK = ["wrk", "-t2", "--timeout", "10s"]
STATUS_SCRIPT = """
local threads = {}
local counter = 0
function setup(thread) table.insert(threads, thread) end
function init(args) codes = {} end
function request()
  local path = wrk.path
  if string.find(path, "exporter_name=") then
    counter = counter + 1
    path = path .. "+" .. tostring(counter) .. "-" .. tostring(math.random(1, 1000000000))
  end
  return wrk.format(nil, path)
end
function response(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("codes")) do total[k] = (total[k] or 0) + v end
  end
  for k, v in pairs(total) do io.write(string.format("status %d %d\\n", k, v)) end
end
"""


def _poll(url: str, stop: threading.Event, samples: list[float], failures: list[str]) -> None:
    while not stop.is_set():
        start = time.perf_counter()
        try:
            urllib.request.urlopen(url, timeout=10).read()  # noqa: S310
            samples.append(time.perf_counter() - start)
        except OSError as error:
            failures.append(str(error))
        stop.wait(0.02)


def _p99(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")


def _back_after(url: str) -> float:
    start = time.perf_counter()
    while True:
        try:
            urllib.request.urlopen(url, timeout=10).read()  # noqa: S310
            return time.perf_counter() - start
        except OSError:
            time.sleep(0.01)


def _burst(base: str, route: str, script: Path) -> dict[str, float]:
    stop = threading.Event()
    samples: list[float] = []
    failures: list[str] = []
    poller = threading.Thread(target=_poll, args=(base + "/health", stop, samples, failures))
    poller.start()
    out = subprocess.run(
        [*WRK, f"-c{CONNECTIONS}", f"-d{SECONDS}s", "-s", str(script), base + route],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stop.set()
    poller.join()
    back = _back_after(base + "/health")
    codes = {int(c): int(n) for c, n in re.findall(r"status (\d+) (\d+)", out)}
    timeouts = re.search(r"Socket errors: .*?timeout (\d+)", out)
    return {
        "answered": sum(codes.values()),
        "timeouts": int(timeouts.group(1)) if timeouts else 0,
        "other": sum(n for c, n in codes.items() if not (200 <= c < 300 or c == 503)),
        "503": codes.get(503, 0),
        "health_p99": _p99(samples),
        "health_failures": len(failures),
        "back": back,
    }


def main() -> None:
    script = Path(tempfile.mkdtemp(prefix="registry-burst-")) / "status.lua"
    script.write_text(STATUS_SCRIPT, encoding="utf-8")
    with running_server() as (base, _env):
        for route in ("/", "/api/v1/registry", "/annexes", "/annexes.pdf", "/changes.atom"):
            urllib.request.urlopen(base + route, timeout=120).read()  # noqa: S310 (warm caches)
        idle: list[float] = []
        for _ in range(200):
            start = time.perf_counter()
            urllib.request.urlopen(base + "/health", timeout=10).read()  # noqa: S310
            idle.append(time.perf_counter() - start)
        idle_p99 = _p99(idle)
        print(
            f"{CONNECTIONS} connections, {SECONDS} s per route; /health idle p99 "
            f"{idle_p99 * 1000:.1f} ms"
        )
        print(
            f"   {'route':38} {'answered':>9} {'503':>7} {'timeouts':>8} {'other':>6} "
            f"{'health p99':>11} {'back':>7}"
        )
        worst_back = 0.0
        for route in ROUTES:
            r = _burst(base, route, script)
            worst_back = max(worst_back, r["back"])
            print(
                f"   {route:38} {r['answered']:9.0f} {r['503']:7.0f} {r['timeouts']:8.0f} "
                f"{r['other']:6.0f} {r['health_p99'] / idle_p99:10.1f}× {r['back'] * 1000:5.0f}ms"
                + (f"  ({r['health_failures']:.0f} /health failed)" if r["health_failures"] else "")
            )
        api, _ = wrk_rate(base + "/api/v1/registry", 3)
        health, _ = wrk_rate(base + "/health", 3)
    ratio = api / health
    print(
        f"/api/v1/registry ÷ /health throughput = {ratio:.2f} (goal ≥ 0.5) "
        f"{'ok' if ratio >= 0.5 else 'BELOW'}"
    )
    print(
        f"/health back after a burst: worst {worst_back * 1000:.0f} ms (goal < 1000 ms) "
        f"{'ok' if worst_back < 1 else 'BELOW'}"
    )


if __name__ == "__main__":
    main()
