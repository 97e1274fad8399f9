"""Hash schemes: how a version's `content_hash` is recomputed from its snapshot.

`jcs-sha256` (every version published from this scheme on): SHA-256 of the
RFC 8785 (JSON Canonicalization Scheme) serialisation of the snapshot, which
holds `previous: {version, content_hash}` (or null for the very first version).

`sorted-json-sha256` (versions published before): SHA-256 of Python's
`json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
in UTF-8. For snapshots of strings and integers whose keys are in the Basic
Multilingual Plane it is byte for byte the same as JCS; it differs for floats
and for keys outside the BMP (JCS sorts by UTF-16 code units). Those versions
have no `previous`; the first JCS version links to the last of them.

Whatever the scheme, the snapshot as served (`/api/v1/versions/{n}/snapshot`)
is the exact text hashed: `sha256sum` of those bytes is the `content_hash`.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import orjson
import rfc8785

JCS = "jcs-sha256"
LEGACY = "sorted-json-sha256"
SCHEMES = (JCS, LEGACY)


class UnknownScheme(ValueError):
    pass


def canonical_bytes(data: Any, scheme: str = JCS) -> bytes:
    """The bytes that `scheme` hashes for `data`."""
    if scheme == JCS:
        return rfc8785.dumps(data)
    if scheme == LEGACY:
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8")
    raise UnknownScheme(f"unknown hash scheme {scheme!r}")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recompute(snapshot_text: str | bytes, scheme: str) -> str:
    """The hash `scheme` gives the snapshot, recomputed from its parsed content
    (so a snapshot stored in any other serialisation does not pass)."""
    if scheme == JCS:
        return sha256_hex(jcs_of_text(snapshot_text))
    return sha256_hex(canonical_bytes(json.loads(snapshot_text), scheme))


_NON_BMP = (b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")  # lead bytes beyond U+FFFF
_ZEROED = bytes.maketrans(b"123456789", b"000000000")
_NUMBER_LEADS = (b":0", b"[0", b",0", b":-0", b"[-0", b",-0")


def _has_unusual_number(compact: bytes) -> bool:
    """Whether compact JSON holds a float or an integer of 16+ digits as a number token
    (one right after `:`, `[` or `,`); a string that merely looks so only costs speed.
    (Digits mapped to 0 first, so a handful of C-speed `find`s do the scan.)"""
    flat = compact.translate(_ZEROED)
    for lead in _NUMBER_LEADS:
        at = flat.find(lead)
        while at != -1:
            start = end = at + len(lead) - 1
            while end < len(flat) and flat[end] == 0x30:
                end += 1
            if (end < len(flat) and flat[end] in b".eE") or end - start >= 16:
                return True
            at = flat.find(lead, end)
    return False


def jcs_of_text(text: str | bytes) -> bytes:
    """RFC 8785 of a JSON text, quickly."""
    return jcs_and_data(text)[0]


def jcs_and_data(text: str | bytes) -> tuple[bytes, Any]:
    """RFC 8785 of a JSON text, and the parsed data.

    For data without floats, without integers beyond 2**53 and without keys
    outside the Basic Multilingual Plane, JCS is exactly orjson's sorted compact
    output (the same escapes, and UTF-8 byte order is UTF-16 order in the BMP),
    ~20x faster than the pure-Python `rfc8785`; where that output holds a float
    or a long integer, or a character outside the BMP, `rfc8785` serialises.
    `tests/integrity/test_jcs.py` holds them equal.
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise ValueError(f"not JSON (RFC 8259): {error}") from None
    fast = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    if not _has_unusual_number(fast) and not any(lead in fast for lead in _NON_BMP):
        return fast, data
    return rfc8785.dumps(json.loads(raw, parse_constant=_refuse)), data


def _refuse(literal: str) -> Any:
    raise ValueError(f"{literal} is not JSON (RFC 8259)")


def previous_link(number: int | None, content_hash: str | None) -> dict[str, Any] | None:
    """What a snapshot says about the version before it (None: it is the first)."""
    if number is None or content_hash is None:
        return None
    return {"version": number, "content_hash": content_hash}


def freeze(snapshot: dict[str, Any], previous: dict[str, Any] | None) -> tuple[str, str]:
    """A new version's stored text and hash: the snapshot with its link, under JCS."""
    data = dict(snapshot, previous=previous)
    canonical = canonical_bytes(data, JCS)
    return canonical.decode("utf-8"), sha256_hex(canonical)
