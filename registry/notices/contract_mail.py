"""Delivering a contractual notice: a change notice to an address an organisation's contract
names. No opt-in and no one-click unsubscribe (the contract is the consent; changing
the addresses goes to legal); its objection link identifies the address like any notice's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry.models import OutboxMessage
from registry.notices import outbox, render
from registry.services.objections import notice_token

if TYPE_CHECKING:
    from registry.notices.worker import Worker


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
        objection=f"{base}/objections/new?version={number}&t="
        + notice_token(worker.secret_key, number, message.recipient),
    )
    parts = render.personalise(worker._contract_notices[key], links)
    contact_id = message.dedupe_key.rsplit(":", 1)[-1]
    msg_id = render.message_id(f"contract.v{number}", contact_id, worker.settings.mail_from)
    email = render.build_email(
        parts, to=message.recipient, mail_from=worker.settings.mail_from, msg_id=msg_id
    )
    return worker._send(message, email, message.recipient, msg_id)
