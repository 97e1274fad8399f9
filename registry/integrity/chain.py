"""Checking the chain of versions: each hash recomputed, each `previous` followed.

Works on `VersionRecord`s, whoever read them (the database or the API), so
`registry verify` says the same thing about both. A version holds when its
stored text hashes to its `content_hash`, that text is the canonical form its
scheme names, its `previous` names the newest earlier version that was not
withdrawn (versions between were all withdrawn) with that version's recomputed
hash, and the version it links to holds too: so editing one version breaks it
and every version after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from registry.integrity.hashing import JCS, LEGACY, SCHEMES, jcs_and_data, sha256_hex


@dataclass(frozen=True)
class VersionRecord:
    number: int
    content_hash: str
    hash_scheme: str
    snapshot: bytes  # the text exactly as stored or served
    withdrawn: bool = False
    published_at: datetime | None = None
    withdrawn_at: datetime | None = None


@dataclass(frozen=True)
class Problem:
    version: int
    what: str

    def __str__(self) -> str:
        return f"version {self.version}: {self.what}"


@dataclass
class ChainReport:
    checked: int
    problems: list[Problem]
    hashes: dict[int, str]  # recomputed, for checking files against

    @property
    def ok(self) -> bool:
        return not self.problems


def _own_problem(record: VersionRecord) -> tuple[str | None, str | None, Any]:
    """(what is wrong with the version on its own or None, its recomputed hash, its data)."""
    if record.hash_scheme not in SCHEMES:
        return f"unknown hash scheme {record.hash_scheme!r}", None, None
    served = sha256_hex(record.snapshot)
    try:
        if record.hash_scheme == JCS:
            canonical, data = jcs_and_data(record.snapshot)
        else:
            canonical, data = _legacy(record.snapshot), None
    except ValueError as error:
        return f"its snapshot is not JSON: {error}", served, None
    recomputed = sha256_hex(canonical)
    if recomputed != record.content_hash:
        return (
            f"content hash {record.content_hash} but its snapshot hashes to {recomputed} "
            f"({record.hash_scheme})",
            recomputed,
            data,
        )
    if served != recomputed:
        return (
            f"its stored snapshot is not the canonical {record.hash_scheme} text",
            recomputed,
            data,
        )
    return None, recomputed, data


def _legacy(text: bytes) -> bytes:
    data = json.loads(text)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def expected_previous(records: list[VersionRecord], index: int) -> VersionRecord | None:
    """The newest earlier version not withdrawn when `records[index]` was published."""
    current = records[index]
    for earlier in reversed(records[:index]):
        if not earlier.withdrawn:
            return earlier
        if (
            earlier.withdrawn_at is not None
            and current.published_at is not None
            and earlier.withdrawn_at > current.published_at
        ):
            return earlier  # withdrawn only after this version linked to it
    return None


def _gone_by(earlier: VersionRecord, later: VersionRecord) -> bool:
    """Whether `earlier` was withdrawn when `later` was published (as far as is known:
    through the API only the fact of the withdrawal is)."""
    if not earlier.withdrawn:
        return False
    if earlier.withdrawn_at is None or later.published_at is None:
        return True
    return earlier.withdrawn_at <= later.published_at


def _link_problem(
    records: list[VersionRecord], index: int, previous: Any, hashes: dict[int, str | None]
) -> str | None:
    record = records[index]
    if previous is None:
        expected = expected_previous(records, index)
        if expected is not None:
            return f"previous is null, but version {expected.number} comes before it"
        return None
    if not isinstance(previous, dict) or set(previous) != {"version", "content_hash"}:
        return f"previous is not {{version, content_hash}}: {previous!r}"
    number, claimed = previous["version"], previous["content_hash"]
    by_number = {r.number: r for r in records[:index]}  # earlier versions only
    target = by_number.get(number) if isinstance(number, int) else None
    if target is None or number >= record.number:
        return f"previous names version {number!r}, which is not an earlier version"
    between = (by_number.get(n) for n in range(number + 1, record.number))
    skipped = [r.number for r in between if r is not None and not _gone_by(r, record)]
    if skipped:
        return f"previous names version {number}, skipping version {skipped[-1]} (not withdrawn)"
    if claimed != hashes.get(number):
        return (
            f"previous says version {number} has hash {claimed}, "
            f"but version {number} hashes to {hashes.get(number)}"
        )
    return None


def check_chain(records: list[VersionRecord]) -> ChainReport:
    """Every version checked, oldest first; problems in version order."""
    records = sorted(records, key=lambda r: r.number)
    problems: list[Problem] = []
    hashes: dict[int, str | None] = {}
    broken: set[int] = set()
    chain_began = False
    for index, record in enumerate(records):
        own, recomputed, snapshot = _own_problem(record)
        hashes[record.number] = recomputed
        what = own
        if what is None and record.hash_scheme == LEGACY and chain_began:
            what = "published after the chain began, but not under jcs-sha256"
        if what is None and record.hash_scheme == JCS:
            chain_began = True
            if not isinstance(snapshot, dict) or "previous" not in snapshot:
                what = "its snapshot has no previous link"
            else:
                previous = snapshot["previous"]
                what = _link_problem(records, index, previous, hashes)
                if what is None and isinstance(previous, dict) and previous["version"] in broken:
                    what = f"it links to version {previous['version']}, which does not hold"
        if what is not None:
            broken.add(record.number)
            problems.append(Problem(record.number, what))
    good = {n: h for n, h in hashes.items() if h is not None and n not in broken}
    return ChainReport(len(records), problems, good)
