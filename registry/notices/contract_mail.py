"""Delivering a contractual notice: a change notice to an address an organisation's contract
names. No opt-in and no one-click unsubscribe (the contract is the consent; changing
the addresses goes to legal); its objection link identifies the address like any notice's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.enums import OutboxKind, OutboxStatus
from registry.i18n import language
from registry.models import Company, OutboxMessage, RegistryVersion
from registry.notices import outbox, render
from registry.notices.outbox import enqueue_message
from registry.services.objections import notice_token

if TYPE_CHECKING:
    from registry.notices.worker import Worker
    from registry.services.objection_mail import Mailer


def deliver(worker: Worker, message: OutboxMessage) -> outbox.Result:
    """Render (once per version and language) and send one contractual notice."""
    number = message.version_number or 0
    key = (number, message.lang)
    if key not in worker._contract_notices:
        context = worker._contexts[number] | {"contract": True}
        worker._contract_notices[key] = render.render_notice(worker.env, context, message.lang)
    base = worker.settings.base_url
    links = render.SubscriberLinks(
        confirm="",
        manage="",
        unsubscribe="",
        objection=f"{base}/objections/new?version={number}&lang={message.lang}&t="
        + notice_token(worker.secret_key, number, message.recipient),
    )
    parts = render.personalise(worker._contract_notices[key], links)
    contact_id = message.dedupe_key.rsplit(":", 1)[-1]
    msg_id = render.message_id(f"contract.v{number}", contact_id, worker.settings.mail_from)
    email = render.build_email(
        parts, to=message.recipient, mail_from=worker.settings.mail_from, msg_id=msg_id
    )
    return worker._send(message, email, message.recipient, msg_id)


def notify_withdrawal(
    session: Session, mailer: Mailer, version: RegistryVersion, reason: str
) -> int:
    """Contractual notices of a withdrawn version: unsent ones are cancelled; every address
    that was sent one is told of the withdrawal, in its organisation's language."""
    session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.version_number) == version.number,
            col(OutboxMessage.kind) == OutboxKind.CONTRACT,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.FAILED, last_error="not sent: the version was withdrawn")
    )
    told = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.version_number == version.number,
            OutboxMessage.kind == OutboxKind.CONTRACT,
            OutboxMessage.status == OutboxStatus.SENT,
        )
    ).all()
    company = session.get(Company, 1)
    rendered: dict[str, list[str]] = {}
    for message in told:
        if message.lang not in rendered:
            context = {
                "version": version,
                "reason": reason,
                "company": company.name if company else "",
                "changes_url": f"{mailer.base_url}/changes",
                "lang": message.lang,
            }
            with language(message.lang):
                rendered[message.lang] = [
                    mailer.env.get_template(f"email/withdrawal{part}").render(context)
                    for part in ("_subject.txt", ".txt", ".html")
                ]
        subject, text, html = rendered[message.lang]
        enqueue_message(
            session,
            to=message.recipient,
            lang=message.lang,
            subject=" ".join(subject.split()),
            text=text,
            html=html,
            key=f"withdrawal:{version.number}:{message.dedupe_key}",
        )
    return len(told)
