"""The evidence of one publication, generated from the records and never edited by hand.

For an auditor: the version and its hash, the diff, the notice as sent in each
language, every address notified with when the mail server accepted it and
the Message-ID, failures and retries, webhook deliveries, and every objection
with what became of it.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment
from sqlmodel import Session, col, select

from registry.enums import OutboxKind
from registry.i18n import LANGUAGES
from registry.models import Objection, OutboxMessage, Recipient
from registry.models.base import utcnow
from registry.notices import render
from registry.services import objections, versions
from registry.services.evidence_kept import attach_kept, notices_as_sent, with_own_hash
from registry.services.notice_periods import contract_evidence


def _delivery(message: OutboxMessage) -> dict[str, Any]:
    return {
        "kind": str(message.kind),
        "to": message.recipient,
        "lang": message.lang,
        "status": str(message.status),
        "attempts": message.attempts,
        "queued_at": message.created_at.isoformat(),
        "accepted_at": message.sent_at.isoformat() if message.sent_at else None,
        "message_id": message.message_id,
        "server_response": message.response,
        "last_error": message.last_error,
        "_outbox_id": message.id,
    }


def _recipient_name(session: Session, slug: str | None) -> str:
    """The objection's recipient as the report names it: "Auth0, Inc.", not "auth0"."""
    if not slug:
        return ""
    found = session.exec(select(Recipient).where(Recipient.slug == slug)).first()
    return found.name if found is not None else slug


def _objection(session: Session, objection: Objection) -> dict[str, Any]:
    return {
        "reference": objection.reference,
        "recipient": objection.recipient_slug,
        "recipient_name": _recipient_name(session, objection.recipient_slug),
        "organisation": objection.organisation,
        "contact_email": objection.contact_email,
        "source": objection.source,
        "status": str(objection.status),
        "received_at": objection.created_at.isoformat(),
        "confirmed_at": objection.confirmed_at.isoformat() if objection.confirmed_at else None,
        "resolution": objection.resolution,
        "history": [
            {"at": e.at.isoformat(), "by": e.author, "kind": e.kind, "text": e.body}
            for e in objections.entries(session, objection)
        ],
    }


def evidence(session: Session, number: int, env: Environment, base_url: str) -> dict[str, Any]:
    version = versions.get_version(session, number)
    context = render.version_context(session, version, base_url)
    notices = {}
    placeholders = render.SubscriberLinks(
        confirm="",
        manage="<the subscriber's own manage link>",
        unsubscribe="<the subscriber's own unsubscribe link>",
        objection="<the subscriber's own objection link>",
    )
    kept_notices = notices_as_sent(session, number)
    for lang in LANGUAGES:
        if lang in kept_notices:
            notices[lang] = kept_notices[lang]
            continue
        parts = render.personalise(render.render_notice(env, context, lang), placeholders)
        notices[lang] = {
            "subject": parts.subject,
            "text": parts.text,
            "source": "not sent yet",
            "sha256": "",
        }
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.version_number == number)
        .order_by(col(OutboxMessage.id))
    ).all()
    emails = [_delivery(m) for m in rows if m.kind == OutboxKind.NOTICE]
    hooks = [_delivery(m) for m in rows if m.kind == OutboxKind.WEBHOOK]
    messages = attach_kept(session, number, emails, list(rows))
    attach_kept(session, number, hooks, list(rows))
    objected = objections.list_objections(session, version=number)
    return with_own_hash(
        {
            "generated_at": utcnow().isoformat(),
            "company": versions.snapshot_of(version)["company"].get("name", ""),
            "version": version.number,
            "summary": version.summary,
            "published_at": version.published_at.isoformat(),
            "published_by": version.published_by,
            "effective_at": version.effective_at.isoformat(),
            "content_hash": version.content_hash,
            "short_notice_reason": version.short_notice_reason,
            "diff": context["diff"],
            "notice_as_sent": notices,
            "totals": {
                "notices": len(emails),
                "notices_accepted": sum(1 for d in emails if d["status"] == "sent"),
                "notices_failed": sum(1 for d in emails if d["status"] == "failed"),
                "notices_pending": sum(1 for d in emails if d["status"] in ("pending", "sending")),
                "webhooks": len(hooks),
                "objections": len(objected),
            },
            "notices": emails,
            "messages": messages,
            "webhooks": hooks,
            "objections": [
                _objection(session, o) for o in sorted(objected, key=lambda o: o.id or 0)
            ],
            "organisations": contract_evidence(session, number),
        }
    )


def evidence_pdf(data: dict[str, Any], env: Environment, lang: str) -> bytes:
    """The evidence as a PDF, printed from the same records as the JSON."""
    from registry.documents.context import DocumentMeta
    from registry.documents.pdf import html_to_pdf
    from registry.i18n import language

    meta = DocumentMeta(data["version"], data["effective_at"], data["content_hash"])
    with language(lang):
        html = env.get_template("documents/evidence.html").render(
            evidence=data,
            meta=meta,
            lang=lang,
            kind="evidence",
            company={"name": data.get("company", "")},
            created=data["generated_at"],
        )
    return html_to_pdf(
        html, f"evidence:{data['version']}:{data['generated_at']}", [evidence_attachment(data)]
    )


def evidence_attachment(data: dict[str, Any]) -> Any:
    """The evidence JSON the report was printed from, embedded in it (its SHA-256 is
    the `evidence_sha256` the report prints, recomputed over the RFC 8785 form)."""
    from datetime import datetime

    import rfc8785

    from registry.documents.pdf import json_attachment

    name = f"evidence-v{data['version']}.json"
    when = datetime.fromisoformat(data["generated_at"])
    description = f"Evidence of version {data['version']}, SHA-256 {data['evidence_sha256']}"
    return json_attachment(name, rfc8785.dumps(data), description, when)
