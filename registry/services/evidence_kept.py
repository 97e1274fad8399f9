"""The evidence read from what was kept: the notice as the mail server received it,
each message's Message-ID and SHA-256, each webhook's body, signature and answer;
and the evidence's own SHA-256.

Nothing here renders a template: if a template changes after sending, the
evidence of what was sent does not.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
from typing import Any

import rfc8785
from sqlmodel import Session, col, select

from registry.models import KeptBase, KeptMessage, OutboxMessage
from registry.notices import keep


def _text_of(raw: bytes) -> dict[str, str]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    return {
        "subject": str(message.get("Subject", "")),
        "text": body.get_content() if body is not None else "",
    }


def notices_as_sent(session: Session, number: int) -> dict[str, dict[str, Any]]:
    """Per language, the first notice the server accepted, read back from its kept bytes."""
    found: dict[str, dict[str, Any]] = {}
    prefix = f"notice:{number}:"
    bases = session.exec(select(KeptBase).where(col(KeptBase.key).startswith(prefix))).all()
    for base in sorted(bases, key=lambda b: b.key):
        first = session.exec(
            select(KeptMessage)
            .where(KeptMessage.base_id == base.id)
            .order_by(col(KeptMessage.id))
            .limit(1)
        ).first()
        if first is None:
            continue
        raw = keep.raw_bytes(session, first)
        found[base.key.removeprefix(prefix)] = _text_of(raw) | {
            "source": "kept",
            "to": first.recipient,
            "message_id": first.message_id,
            "sha256": first.sha256,
        }
    return found


def attach_kept(
    session: Session, number: int, deliveries: list[dict[str, Any]], rows: list[OutboxMessage]
) -> list[dict[str, Any]]:
    """Adds to each delivery what was handed over for it; returns every email sent as
    {message_id, sha256, to, bytes, handed_at, server_reply}."""
    kept = keep.kept_for_version(session, number)
    messages: list[dict[str, Any]] = []
    by_id = {row.id: row for row in rows}
    for delivery, row_id in zip(deliveries, [d.pop("_outbox_id") for d in deliveries], strict=True):
        sends = [keep.kept_out(k) for k in kept.get(row_id or 0, [])]
        delivery["sent"] = sends
        delivery["sha256"] = sends[-1]["sha256"] if sends else ""
        row = by_id.get(row_id)
        for sent in sends:
            if sent["headers"]:
                continue  # a webhook's
            messages.append(
                {
                    "message_id": sent["message_id"],
                    "sha256": sent["sha256"],
                    "to": row.recipient if row else "",
                    "bytes": sent["bytes"],
                    "handed_at": sent["handed_at"],
                    "server_reply": sent["server_reply"],
                }
            )
    return messages


def with_own_hash(data: dict[str, Any]) -> dict[str, Any]:
    """`evidence_sha256`: SHA-256 of the RFC 8785 form of the evidence without that key."""
    body = {k: v for k, v in data.items() if k != "evidence_sha256"}
    digest = hashlib.sha256(rfc8785.dumps(body)).hexdigest()
    return data | {"evidence_sha256": digest}
