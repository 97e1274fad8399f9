"""The emails an objection owes its author, rendered now and queued in the outbox.

They are written in the objector's language, in the same transaction as the
change that owes them, and the worker sends them after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment
from sqlmodel import Session

from registry.i18n import language
from registry.models import Company, Objection, RegistryVersion
from registry.notices.outbox import enqueue_message

KINDS = ("confirm", "ack", "reply", "resolved")


@dataclass(frozen=True)
class Mailer:
    env: Environment
    base_url: str


def queue(
    session: Session,
    mailer: Mailer,
    objection: Objection,
    kind: str,
    *,
    key: str,
    token: str = "",
    body: str = "",
) -> None:
    """Render the `kind` email for this objection and owe it (once per `key`)."""
    assert kind in KINDS  # noqa: S101 (a programming error, not input)
    version = session.get(RegistryVersion, objection.version_number)
    company = session.get(Company, 1)
    context: dict[str, Any] = {
        "objection": objection,
        "version": version,
        "company": company.name if company else "",
        "contact_email": company.contact_email if company else "",
        "confirm_url": f"{mailer.base_url}/objections/confirm/{token}" if token else "",
        "changes_url": f"{mailer.base_url}/changes#version-{objection.version_number}",
        "body": body,
        "lang": objection.lang,
    }
    with language(objection.lang):
        subject = mailer.env.get_template(f"email/objection_{kind}_subject.txt").render(context)
        text = mailer.env.get_template(f"email/objection_{kind}.txt").render(context)
        html = mailer.env.get_template(f"email/objection_{kind}.html").render(context)
    enqueue_message(
        session,
        to=objection.contact_email,
        lang=objection.lang,
        subject=" ".join(subject.split()),
        text=text,
        html=html,
        key=f"objection:{objection.reference}:{key}",
    )
