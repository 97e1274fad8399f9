"""Telling subscribers that a version they were notified of has been withdrawn.

Notices for that version still waiting in the outbox are cancelled (their
subscribers were never told, so there is nothing to take back); everyone whose
notice was sent gets a withdrawal email in their language, owed in the same
transaction as the withdrawal.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus
from registry.i18n import language
from registry.models import Company, OutboxMessage, RegistryVersion, Subscriber
from registry.notices.outbox import enqueue_message
from registry.services.objection_mail import Mailer


def notify_withdrawal(
    session: Session, mailer: Mailer, version: RegistryVersion, reason: str
) -> int:
    """Cancel unsent notices of `version`; owe a withdrawal email to each one notified."""
    session.execute(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.version_number) == version.number,
            col(OutboxMessage.kind) == OutboxKind.NOTICE,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .values(status=OutboxStatus.FAILED, last_error="not sent: the version was withdrawn")
    )
    notified = session.exec(
        select(Subscriber)
        .join(OutboxMessage, col(OutboxMessage.subscriber_id) == col(Subscriber.id))
        .where(
            col(OutboxMessage.version_number) == version.number,
            col(OutboxMessage.kind) == OutboxKind.NOTICE,
            col(OutboxMessage.status) == OutboxStatus.SENT,
            col(Subscriber.status) == SubscriberStatus.CONFIRMED,
        )
    ).all()
    company = session.get(Company, 1)
    rendered: dict[str, tuple[str, str, str]] = {}
    for subscriber in notified:
        if subscriber.lang not in rendered:
            context = {
                "version": version,
                "reason": reason,
                "company": company.name if company else "",
                "changes_url": f"{mailer.base_url}/changes",
                "lang": subscriber.lang,
            }
            with language(subscriber.lang):
                rendered[subscriber.lang] = tuple(  # type: ignore[assignment]
                    mailer.env.get_template(f"email/withdrawal{part}").render(context)
                    for part in ("_subject.txt", ".txt", ".html")
                )
        subject, text, html = rendered[subscriber.lang]
        enqueue_message(
            session,
            to=subscriber.email,
            lang=subscriber.lang,
            subject=" ".join(subject.split()),
            text=text,
            html=html,
            key=f"withdrawal:{version.number}:{subscriber.id}",
        )
    from registry.notices.contract_mail import notify_withdrawal as notify_contracts

    return len(notified) + notify_contracts(session, mailer, version, reason)
