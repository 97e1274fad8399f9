"""Sign-in timing: an address with no account against a real one (goal: ratio 0.8–1.25).

Before issue 11.5 an unknown address answered in ~9 ms and a known one in
~261 ms, telling anyone which accounts exist. Measured on the service with
the production hash profile, interleaved, median of each.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from registry.db import make_engine, transaction
from registry.enums import UserRole
from registry.migrate import upgrade
from registry.services import sessions
from registry.services.sessions import SessionPolicy
from registry.services.users import create_user

ROUNDS = 15
POLICY = SessionPolicy(
    idle=timedelta(minutes=30),
    absolute=timedelta(hours=12),
    max_failures=10_000,
    max_failures_per_ip=10_000,
    window=timedelta(minutes=15),
)


def main() -> None:
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{Path(directory) / 'bench.db'}")
        upgrade(engine)
        with transaction(engine) as session:
            create_user(session, "known@example.com", "a long real passphrase", UserRole.EDITOR)
        timings: dict[str, list[float]] = {"known": [], "unknown": []}
        for i in range(ROUNDS):
            for kind in ("known", "unknown"):
                started = time.perf_counter()
                with transaction(engine) as session:
                    sessions.authenticate(
                        session, f"{kind}@example.com", "wrong", ip=f"10.0.{i}.1", policy=POLICY
                    )
                timings[kind].append(time.perf_counter() - started)
        engine.dispose()
    known, unknown = (statistics.median(timings[k]) * 1000 for k in ("known", "unknown"))
    ratio = unknown / known
    ok = 0.8 <= ratio <= 1.25
    print(f"wrong password, real account   {known:7.1f} ms (median)")
    print(f"wrong password, no such account {unknown:6.1f} ms (median)")
    print(f"ratio unknown ÷ known = {ratio:.2f} (goal 0.8–1.25) {'ok' if ok else 'OUTSIDE GOAL'}")


if __name__ == "__main__":
    main()
