"""One action on an objection: write a reply or a note and, if wanted, set its status.

Resolving statuses email the text as the resolution (one email, not a reply and
then a resolution); other status changes keep the text as a reply or a note.
Also: the days left until the objected version takes effect, for the list.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from registry.enums import ObjectionStatus
from registry.errors import InvalidInput
from registry.i18n import gettext as _
from registry.models import Objection
from registry.services import objections, versions
from registry.services.objection_mail import Mailer


def respond(
    session: Session,
    reference: str,
    form: dict[str, str],
    *,
    actor: str,
    version_id: int | None,
    mailer: Mailer,
) -> str:
    """Apply the form; returns the flash key. InvalidInput names a field of the form."""
    objection = objections.get(session, reference)
    kind, body = form.get("kind") or "reply", form.get("body", "")
    status = _chosen(form.get("status", ""), objection.status)
    if status is None and not body.strip():
        raise InvalidInput("body", _("Write the reply or note, or choose a new status."))
    if kind not in ("note", "reply"):
        raise InvalidInput("kind", _("Choose a reply or an internal note."))
    if status is None:
        objections.add_entry(session, reference, actor=actor, kind=kind, body=body, mailer=mailer)
        return "objection_reply" if kind == "reply" else "objection_note"
    if status.resolved and kind == "reply":
        _change(session, reference, status, actor, body, version_id, mailer)
        return "objection_status"
    _change(session, reference, status, actor, "", version_id, mailer)
    if body.strip():
        objections.add_entry(session, reference, actor=actor, kind=kind, body=body, mailer=mailer)
    return "objection_status"


def _chosen(value: str, current: ObjectionStatus) -> ObjectionStatus | None:
    if not value:
        return None
    try:
        status = ObjectionStatus(value)
    except ValueError:
        raise InvalidInput("status", _("Choose a status.")) from None
    return None if status == current else status


def _change(
    session: Session,
    reference: str,
    status: ObjectionStatus,
    actor: str,
    note: str,
    version_id: int | None,
    mailer: Mailer,
) -> None:
    try:
        objections.change_status(
            session, reference, status, actor=actor, note=note, version_id=version_id, mailer=mailer
        )
    except InvalidInput as error:
        if error.field == "note":  # the reasons for keeping the change: the text, as a reply
            raise InvalidInput(
                "body",
                _(
                    "Keeping the change needs the reasons, written for the customer: "
                    "write them as a reply."
                ),
            ) from error
        raise


def days_left(session: Session, rows: list[Objection], today: date) -> dict[str, int | None]:
    """{reference: days until its version takes effect} for open objections; None once resolved."""
    effective = {v.number: v.effective_at for v in versions.all_versions(session)}
    left: dict[str, int | None] = {}
    for row in rows:
        on = effective.get(row.version_number)
        left[row.reference] = None if row.status.resolved or on is None else (on - today).days
    return left
