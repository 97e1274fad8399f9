"""`registry verify` over 1,000 versions of 50 recipients, against reading them.

The ratio is the time to check every version (read them from the database,
recompute each hash, follow each link) over the time to read them alone.
The versions are built as publishing builds them (JCS, each linked to the one
before) and written in one transaction. Goal: verify under a few seconds.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from registry.db import make_engine, transaction
from registry.integrity.chain import check_chain
from registry.integrity.hashing import JCS, freeze, previous_link
from registry.integrity.sources import records_from_database
from registry.migrate import upgrade
from registry.models import RegistryVersion
from registry.models.base import utcnow
from registry.services.seed import load_seed
from registry.services.snapshot import build_snapshot

VERSIONS = 1000
RECIPIENTS = 50


def _snapshots(base: dict[str, Any]) -> list[dict[str, Any]]:
    template = base["recipients"]
    recipients = [
        copy.deepcopy(template[i % len(template)]) | {"slug": f"vendor-{i}"}
        for i in range(RECIPIENTS)
    ]
    out = []
    for n in range(VERSIONS):
        recipients[n % RECIPIENTS]["retention"] = f"{n + 1} months"
        out.append(base | {"recipients": copy.deepcopy(recipients)})
    return out


def build(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as session:
        load_seed(session)
        base = build_snapshot(session)
        session.execute(RegistryVersion.__table__.delete())  # type: ignore[attr-defined]
    rows, previous = [], None
    start = date(2020, 1, 1)
    for n, snapshot in enumerate(_snapshots(base), start=1):
        text, digest = freeze(snapshot, previous)
        rows.append(
            {
                "number": n,
                "summary": f"v{n}",
                "published_at": utcnow(),
                "effective_at": start + timedelta(days=n),
                "content_hash": digest,
                "hash_scheme": JCS,
                "snapshot": text,
                "published_by": "bench",
                "short_notice_reason": "",
            }
        )
        previous = previous_link(n, digest)
    with transaction(engine) as session:
        session.execute(insert(RegistryVersion), rows)
    engine.dispose()


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-verify-"))
    try:
        url = f"sqlite:///{workdir / 'registry.db'}"
        started = time.perf_counter()
        build(url)
        built = time.perf_counter() - started
        engine = make_engine(url)
        with engine.connect() as connection:
            started = time.perf_counter()
            records = records_from_database(connection)
            read = time.perf_counter() - started
        with engine.connect() as connection:
            started = time.perf_counter()
            report = check_chain(records_from_database(connection))
            verified = time.perf_counter() - started
        engine.dispose()
        assert report.ok and report.checked == VERSIONS, report.problems[:3]
        size = sum(len(r.snapshot) for r in records) / len(records)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    each = f"{size / 1000:.0f} kB each"
    print(f"built {VERSIONS} versions of {RECIPIENTS} recipients ({each}) in {built:.1f} s")
    print(f"read them: {read:.2f} s; verify (read, hash, chain): {verified:.2f} s")
    print(f"ratio verify/read: {verified / read:.1f} (goal: verify under a few seconds)")


if __name__ == "__main__":
    main()
