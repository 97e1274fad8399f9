"""`/` under load while editors save and publish on SQLite, against `/` idle (goal ≥ 0.8).

wrk hammers `/` twice, once idle and once while two editors PATCH recipients
and publish every fifth save through the API, each as fast as a busy person
clicking save (one write every EDIT_PAUSE seconds); both in one run.
"""

from __future__ import annotations

import subprocess
import sys
import threading

from tests.benchmarks.server import running_server, wrk_rate
from tests.test_faults import SLUGS, call

GOAL = 0.8
EDIT_PAUSE = 0.2


def _token(env: dict[str, str]) -> str:
    command = [sys.executable, "-m", "registry"]
    subprocess.run(
        [*command, "create-admin", "load@example.com", "--role", "editor"],
        env=env | {"REGISTRY_ADMIN_PASSWORD": "password-password"},
        check=True,
        capture_output=True,
    )
    return subprocess.run(
        [*command, "create-token", "load@example.com"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main() -> None:
    with running_server() as (base, env):
        token = _token(env)
        wrk_rate(base + "/", 1)  # warm up
        idle, idle_errors = wrk_rate(base + "/", 5)
        stop = threading.Event()
        codes: list[int] = []

        def edit(worker: int) -> None:
            n = 0
            while not stop.wait(EDIT_PAUSE):
                n += 1
                slug = SLUGS[(worker + n) % len(SLUGS)]
                body = {"retention": f"load {worker}-{n}"}
                codes.append(call(base, "PATCH", f"/api/v1/draft/recipients/{slug}", token, body))
                if n % 5 == 0:
                    summary = {"summary": f"load {worker}-{n}"}
                    codes.append(call(base, "POST", "/api/v1/publications", token, summary))

        editors = [threading.Thread(target=edit, args=(i,)) for i in range(2)]
        for thread in editors:
            thread.start()
        busy, busy_errors = wrk_rate(base + "/", 5)
        stop.set()
        for thread in editors:
            thread.join()
    failures = [c for c in codes if c not in (200, 201, 409)]
    ratio = busy / idle
    print(f"GET / idle              {idle:9.0f} req/s ({idle_errors} errors)")
    print(f"GET / while editing     {busy:9.0f} req/s ({busy_errors} errors)")
    print(
        f"editor writes           {len(codes):9d} ({len(failures)} failed: {sorted(set(failures))})"
    )
    verdict = "ok" if ratio >= GOAL and not failures and not busy_errors else "BELOW GOAL"
    print(f"ratio busy ÷ idle = {ratio:.2f} (goal ≥ {GOAL}) {verdict}")


if __name__ == "__main__":
    main()
