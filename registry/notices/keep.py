"""Keeping what was sent: storing each message's exact bytes compactly, reading
them back (checked against their SHA-256), and pruning them after the retention
period (`REGISTRY_KEPT_RETENTION_YEARS`).

See `registry.models.kept` for the layout. Per notice the store costs the
per-message delta (a few hundred bytes) plus one row; the bench and
`tests/test_kept_bytes.py` measure it for 10,000 subscribers.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from registry.models import KeptBase, KeptMessage
from registry.models.base import utcnow

LEVEL = 9


class KeptBytesDamaged(Exception):
    pass


@dataclass
class Handed:
    """One message as handed over: its bytes, and what the server said."""

    channel: str  # email or webhook
    raw: bytes
    reply: str
    handed_at: datetime
    replied_at: datetime
    base_key: str = ""  # messages that share a base compress against it
    message_id: str = ""
    recipient: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def _base(
    session: Session, key: str, raw: bytes, cache: dict[str, tuple[int, bytes]]
) -> tuple[int, bytes]:
    """The base for `key` (created from `raw` when it is the first): (id, its bytes)."""
    if key in cache:
        return cache[key]
    row = session.exec(select(KeptBase).where(KeptBase.key == key)).first()
    if row is None:
        # Two workers may keep the first message of one notice at once: the base is written
        # in a savepoint, and the one that loses the race reads the winner's.
        try:
            with session.begin_nested():
                row = KeptBase(key=key, data=zlib.compress(raw, LEVEL))
                session.add(row)
                session.flush()
        except IntegrityError:
            row = session.exec(select(KeptBase).where(KeptBase.key == key)).one()
    assert row.id is not None  # noqa: S101 (flushed)
    cache[key] = (row.id, zlib.decompress(row.data))
    return cache[key]


def _delta(raw: bytes, base: bytes) -> bytes:
    if raw == base:
        return b""
    packer = zlib.compressobj(LEVEL, zdict=base)
    return packer.compress(raw) + packer.flush()


def store(
    session: Session, handed: list[tuple[int | None, int | None, Handed]]
) -> list[KeptMessage]:
    """Keep each (outbox id, version, message), in the caller's transaction."""
    cache: dict[str, tuple[int, bytes]] = {}
    rows = []
    for outbox_id, version, item in handed:
        key = item.base_key or f"body:{item.sha256}"
        base_id, base = _base(session, key, item.raw, cache)
        rows.append(
            KeptMessage(
                outbox_id=outbox_id,
                version_number=version,
                channel=item.channel,
                recipient=item.recipient[:2000],
                message_id=item.message_id[:300],
                sha256=item.sha256,
                size=len(item.raw),
                base_id=base_id,
                delta=_delta(item.raw, base),
                headers=json.dumps(item.headers, sort_keys=True) if item.headers else "",
                reply=item.reply,
                handed_at=item.handed_at,
                replied_at=item.replied_at,
            )
        )
    session.add_all(rows)
    session.flush()
    return rows


def raw_bytes(session: Session, kept: KeptMessage) -> bytes:
    """The exact bytes that were sent; raises if they no longer match their SHA-256."""
    base_row = session.get(KeptBase, kept.base_id)
    if base_row is None:
        raise KeptBytesDamaged(f"kept message {kept.id}: its base is missing")
    base = zlib.decompress(base_row.data)
    if kept.delta:
        unpacker = zlib.decompressobj(zdict=base)
        raw = unpacker.decompress(kept.delta) + unpacker.flush()
    else:
        raw = base
    if hashlib.sha256(raw).hexdigest() != kept.sha256:
        raise KeptBytesDamaged(f"kept message {kept.id}: bytes do not match their SHA-256")
    return raw


def kept_for_version(session: Session, number: int) -> dict[int, list[KeptMessage]]:
    """{outbox id: the kept sends of that message, oldest first} for one publication."""
    rows = session.exec(
        select(KeptMessage)
        .where(KeptMessage.version_number == number)
        .order_by(col(KeptMessage.id))
    ).all()
    found: dict[int, list[KeptMessage]] = {}
    for row in rows:
        found.setdefault(row.outbox_id or 0, []).append(row)
    return found


def kept_out(kept: KeptMessage) -> dict[str, Any]:
    return {
        "id": kept.id,
        "message_id": kept.message_id,
        "sha256": kept.sha256,
        "bytes": kept.size,
        "handed_at": kept.handed_at.isoformat(),
        "server_reply": kept.reply,
        "replied_at": kept.replied_at.isoformat(),
        "headers": json.loads(kept.headers) if kept.headers else {},
    }


def storage_bytes(session: Session) -> int:
    """What the kept bytes take in the tables' byte columns (rows' other columns aside)."""
    deltas = session.exec(select(func.coalesce(func.sum(func.length(KeptMessage.delta)), 0))).one()
    bases = session.exec(select(func.coalesce(func.sum(func.length(KeptBase.data)), 0))).one()
    return int(deltas) + int(bases)


def prune(
    session: Session, *, years: int, now: datetime | None = None, dry_run: bool = False
) -> int:
    """Delete kept messages handed over more than `years` ago, and bases no longer used."""
    cutoff = (now or utcnow()) - timedelta(days=365 * years + years // 4)
    old = col(KeptMessage.handed_at) < cutoff
    count = int(session.exec(select(func.count()).select_from(KeptMessage).where(old)).one())
    if dry_run or not count:
        return count
    session.execute(delete(KeptMessage).where(old))
    used = select(col(KeptMessage.base_id))
    session.execute(delete(KeptBase).where(col(KeptBase.id).not_in(used)))
    return count
