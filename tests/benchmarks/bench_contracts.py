"""Deciding who is told of a publication, against enqueueing everyone.

Database A: 10,000 unscoped confirmed subscribers; we time writing their notices
(`enqueue_publication`). Database B: 10,000 confirmed subscribers of whom half
follow one to three random countries, and 500 organisations with 3 contacts each
(a third of them scoped to one recipient); we time deciding who is told and
writing it (`notice_periods.plan` with the diff, the scoped `enqueue_publication`,
`enqueue_contracts`). Same change in both (Datadog adds India, OpenAI is added,
IPinfo leaves). Best of five runs each; goal: ratio B / A <= 1.5.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select
from sqlmodel import Session

from registry.db import make_engine, transaction
from registry.migrate import upgrade
from registry.models import (
    ContractNotice,
    NoticeScope,
    Organisation,
    OrganisationContact,
    OutboxMessage,
    RegistryVersion,
    Subscriber,
)
from registry.notices.outbox import enqueue_publication
from registry.services import notice_periods, versions
from registry.services.seed import load_seed
from tests.support.notices import add_confirmed, publish_change

SUBSCRIBERS = 10_000
ORGANISATIONS = 500
POOL = ["US", "JP", "DE", "FR", "KR", "IN", "BR", "GB", "IE", "NL", "SG", "AU", "CA", "CH"]


def fresh(workdir: Path, name: str) -> Engine:
    engine = make_engine(f"sqlite:///{workdir / name}")
    upgrade(engine)
    with transaction(engine) as session:
        load_seed(session)
    add_confirmed(engine, SUBSCRIBERS)
    return engine


def add_scopes_and_organisations(engine: Engine, rng: random.Random) -> None:
    with transaction(engine) as session:
        ids = list(session.exec(select(Subscriber.id)).scalars())  # type: ignore[call-overload]
        rows = []
        for subscriber_id in ids[: len(ids) // 2]:
            for code in rng.sample(POOL, rng.randint(1, 3)):
                rows.append({"subscriber_id": subscriber_id, "kind": "country", "value": code})
        session.execute(insert(NoticeScope), rows)
        session.execute(
            insert(Organisation),
            [
                {
                    "name": f"Customer {i}",
                    "notice_days": rng.choice([30, 45, 60]),
                    "note": "",
                    "version_id": 1,
                    "lang": rng.choice(["en", "ko"]),
                }
                for i in range(ORGANISATIONS)
            ],
        )
        orgs = list(session.exec(select(Organisation.id)).scalars())  # type: ignore[call-overload]
        session.execute(
            insert(OrganisationContact),
            [
                {"organisation_id": o, "email": f"dpo{k}@org{o}.example"}
                for o in orgs
                for k in range(3)
            ],
        )
        session.execute(
            insert(NoticeScope),
            [
                {"organisation_id": o, "kind": "recipient", "value": rng.choice(["aws", "stripe"])}
                for o in orgs[::3]
            ],
        )


def best_of(engine: Engine, number: int, run: Callable[[Session, RegistryVersion], None]) -> float:
    times = []
    for _ in range(5):
        with transaction(engine) as session:
            session.execute(delete(OutboxMessage).where(OutboxMessage.version_number == number))  # type: ignore[arg-type]
            session.execute(delete(ContractNotice).where(ContractNotice.version_number == number))  # type: ignore[arg-type]
        with transaction(engine) as session:
            version = versions.get_version(session, number)
            started = time.perf_counter()
            run(session, version)
            session.flush()
            times.append(time.perf_counter() - started)
    return min(times)


def decide(session: Session, version: RegistryVersion) -> None:
    previous = versions.previous_of(session, version)
    told = notice_periods.plan(
        session,
        versions.snapshot_of(previous) if previous else None,
        versions.snapshot_of(version),
        effective=version.effective_at,
        today=versions.today(),
        short_notice_reason="bench",
        require_reason=False,
    )
    enqueue_publication(session, version, audience=told.subscribers())
    notice_periods.enqueue_contracts(session, version, told)


def main() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-contracts-"))
    rng = random.Random(17)
    try:
        plain = fresh(workdir, "plain.db")
        number = publish_change(plain)
        unscoped = best_of(plain, number, lambda s, v: enqueue_publication(s, v))
        plain.dispose()
        scoped = fresh(workdir, "scoped.db")
        add_scopes_and_organisations(scoped, rng)
        number = publish_change(scoped)
        deciding = best_of(scoped, number, decide)
        with Session(scoped) as session:
            owed = session.exec(
                select(OutboxMessage.kind).where(OutboxMessage.version_number == number)  # type: ignore[arg-type]
            ).all()
        scoped.dispose()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"enqueue {SUBSCRIBERS} unscoped notices: {unscoped * 1000:.0f} ms")
    print(
        f"decide and enqueue ({SUBSCRIBERS} subscribers, half scoped; {ORGANISATIONS} "
        f"organisations x 3 contacts): {deciding * 1000:.0f} ms, {len(owed)} messages owed"
    )
    print(f"ratio: {deciding / unscoped:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
