"""The snapshot inside every PDF (`registry-v{n}.json`), and checking files
(PDFs, snapshots, API answers) against the chain."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from registry.integrity.chain import ChainReport
from registry.integrity.hashing import JCS, LEGACY, canonical_bytes, jcs_of_text, sha256_hex

ATTACHMENT = re.compile(r"^registry-v(\d+)\.json$")


def attachment_name(number: int) -> str:
    return f"registry-v{number}.json"


def snapshot_bytes(snapshot: dict[str, Any], content_hash: str) -> bytes | None:
    """The snapshot exactly as its version stores and serves it (whichever scheme gave
    `content_hash`), or None when no scheme does (a draft's preview)."""
    for scheme in (JCS, LEGACY):
        data = canonical_bytes(snapshot, scheme) if scheme == LEGACY else _fast_jcs(snapshot)
        if sha256_hex(data) == content_hash:
            return data
    return None


def _fast_jcs(snapshot: dict[str, Any]) -> bytes:
    return jcs_of_text(json.dumps(snapshot, ensure_ascii=False))


def snapshot_attachments(snapshot: dict[str, Any], meta: Any) -> list[Any]:
    """What a version's PDF embeds: its snapshot as `registry-v{n}.json` (none for a draft)."""
    from registry.documents.pdf import json_attachment

    data = snapshot_bytes(snapshot, meta.content_hash) if not meta.is_draft else None
    if data is None:
        return []
    effective = meta.effective_at
    if isinstance(effective, str):
        effective = date.fromisoformat(effective)
    when = datetime(effective.year, effective.month, effective.day, tzinfo=UTC)
    description = f"Registry version {meta.number}: its snapshot, SHA-256 {meta.content_hash}"
    return [json_attachment(attachment_name(meta.number), data, description, when)]


def pdf_attachments(data: bytes) -> dict[str, bytes]:
    """Every embedded file of a PDF, by name (the first copy of each name)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        found = reader.attachments
        return {name: contents[0] for name, contents in found.items() if contents}
    except (PdfReadError, ValueError, KeyError) as error:
        raise ValueError(f"not a readable PDF: {error}") from None


def _check_snapshot(number: int, snapshot: bytes, report: ChainReport) -> str | None:
    expected = report.hashes.get(number)
    if expected is None:
        return f"claims version {number}, which is not a version that holds in the chain"
    actual = sha256_hex(snapshot)
    if actual != expected:
        return f"claims version {number} (hash {expected}) but its snapshot hashes to {actual}"
    return None


def check_file(path: Path, report: ChainReport) -> str | None:
    """None when the file is (or carries) a version of the chain; else what differs."""
    data = path.read_bytes()
    if data.startswith(b"%PDF"):
        return _check_pdf(data, report)
    return _check_json(path.name, data, report)


def _check_pdf(data: bytes, report: ChainReport) -> str | None:
    attachments = pdf_attachments(data)
    named = [(ATTACHMENT.match(name), body) for name, body in attachments.items()]
    snapshots = [(int(m.group(1)), body) for m, body in named if m]
    if len(snapshots) != 1:
        return f"has {len(snapshots)} registry-vN.json attachments (expected exactly one)"
    number, body = snapshots[0]
    return _check_snapshot(number, body, report)


def _check_json(name: str, data: bytes, report: ChainReport) -> str | None:
    try:
        parsed: Any = json.loads(data)
    except ValueError:
        return "is neither a PDF nor JSON"
    if isinstance(parsed, dict) and "recipients" in parsed and "content_hash" in parsed:
        number = parsed.get("version")  # an API answer: /api/v1/versions/{n}
        if not isinstance(number, int) or report.hashes.get(number) != parsed["content_hash"]:
            return f"says version {number!r} has hash {parsed['content_hash']}, the chain disagrees"
        return None
    match = ATTACHMENT.match(name)
    if match:
        return _check_snapshot(int(match.group(1)), data, report)
    digest = sha256_hex(data)
    if digest in report.hashes.values():
        return None  # a snapshot as served: it is one of the chain's versions
    return f"hashes to {digest}, which is no version of the chain"
