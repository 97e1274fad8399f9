"""`/` against `/health`: requests per second as a ratio, measured in one run (goal ≥ 0.8)."""

from __future__ import annotations

from tests.benchmarks.server import interleaved, running_server

GOAL = 0.8


def main() -> None:
    with running_server() as (base, _env):
        for path in ("/", "/health"):
            interleaved({path: base + path}, rounds=1, seconds=1)  # warm up
        rates = interleaved({"home": base + "/", "health": base + "/health"})
    ratio = rates["home"] / rates["health"]
    print(f"GET /        {rates['home']:9.0f} req/s")
    print(f"GET /health  {rates['health']:9.0f} req/s")
    print(
        f"ratio / ÷ /health = {ratio:.2f} (goal ≥ {GOAL}) {'ok' if ratio >= GOAL else 'BELOW GOAL'}"
    )


if __name__ == "__main__":
    main()
