"""Objections: a customer objects to a published change before it takes effect; legal answers.

The window is open from publication until the effective date. An objection
made from a notice link counts at once (the link proves the address); one
made on the web counts only once its emailed confirmation link is followed.
Every state change is written to the change log with the objection.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from registry.enums import ObjectionStatus
from registry.errors import Conflict, InvalidInput, NotFound
from registry.i18n import LANGUAGES
from registry.models import Objection, ObjectionEntry, Organisation, RegistryVersion
from registry.models.base import utcnow
from registry.services import objection_mail, versions
from registry.services.audit import record_change
from registry.services.objection_mail import Mailer
from registry.services.users import normalise_email
from registry.services.versions import snapshot_of, today

MAX_REASON = 10_000


@dataclass(frozen=True)
class Window:
    open: bool
    closes_on: date
    why: str


def window(version: RegistryVersion, on: date | None = None, withdrawn: bool = False) -> Window:
    """Whether `version` can still be objected to, and if not, why."""
    day = on or today()
    if withdrawn:
        return Window(False, version.effective_at, "withdrawn")
    if day >= version.effective_at:
        return Window(False, version.effective_at, "took_effect")
    return Window(True, version.effective_at, "")


def notice_token(secret: str, version: int, email: str) -> str:
    """The token an emailed notice carries, proving the objector received it."""
    payload = f"{version}:{email.lower()}".encode()
    mac = hmac.new(secret.encode(), b"objection:" + payload, hashlib.sha256).digest()[:18]
    return (
        base64.urlsafe_b64encode(payload).decode().rstrip("=")
        + "."
        + base64.urlsafe_b64encode(mac).decode().rstrip("=")
    )


def _token_email(secret: str, version: int, token: str) -> str | None:
    try:
        encoded, _sep, _mac = token.partition(".")
        payload = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
        number, _sep, email = payload.partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    if str(version) != number or not hmac.compare_digest(
        notice_token(secret, version, email), token
    ):
        return None
    return email


def token_email(secret: str, version: int, token: str) -> str:
    """The address a notice's objection link was sent to, or "" when the token is not valid."""
    return (_token_email(secret, version, token) or "") if token else ""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Submitted:
    objection: Objection
    confirm_token: str | None  # to email, when the objection needs confirming


def submit(
    session: Session,
    *,
    secret: str,
    version_number: int,
    reason: str,
    contact_email: str,
    contact_name: str = "",
    organisation: str = "",
    recipient_slug: str = "",
    token: str = "",
    lang: str = "en",
    mailer: Mailer | None = None,
) -> Submitted:
    version = session.get(RegistryVersion, version_number)
    if version is None:
        raise NotFound(f"Version {version_number} does not exist")
    state = window(version, withdrawn=version_number in versions.withdrawals(session))
    if not state.open:
        raise Conflict(
            f"Objections to version {version_number} are closed: it was withdrawn"
            if state.why == "withdrawn"
            else f"Objections to version {version_number} closed on "
            f"{state.closes_on.isoformat()}, when it took effect",
            extra=[{"key": "version", "message": "the objection window has closed"}],
        )
    email = normalise_email(contact_email)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("reason", "say why you object")
    if len(reason) > MAX_REASON:
        raise InvalidInput("reason", f"must be at most {MAX_REASON} characters")
    if len(contact_name) > 200:
        raise InvalidInput("contact_name", "must be at most 200 characters")
    if len(organisation) > 200:
        raise InvalidInput("organisation", "must be at most 200 characters")
    slugs = {r["slug"] for r in snapshot_of(version)["recipients"]}
    if recipient_slug and recipient_slug not in slugs:
        raise InvalidInput("recipient", f"{recipient_slug!r} is not a recipient in this version")
    from_notice = bool(token) and _token_email(secret, version_number, token) == email
    confirm = None if from_notice else secrets.token_urlsafe(24)
    objection = Objection(
        reference=_new_reference(session),
        version_number=version_number,
        recipient_slug=recipient_slug,
        reason=reason,
        contact_email=email,
        contact_name=contact_name.strip(),
        organisation=organisation.strip(),
        source="notice" if from_notice else "web",
        status=ObjectionStatus.OPEN if from_notice else ObjectionStatus.PENDING_CONFIRMATION,
        confirm_token_hash=_digest(confirm) if confirm else "",
        confirmed_at=utcnow() if from_notice else None,
        lang=lang if lang in LANGUAGES else "en",
    )
    session.add(objection)
    session.flush()
    _log(session, objection, "create", None, actor=email, message="objection received")
    if mailer is not None:
        if confirm:
            objection_mail.queue(
                session, mailer, objection, "confirm", key="confirm", token=confirm
            )
        else:
            objection_mail.queue(session, mailer, objection, "ack", key="ack")
    return Submitted(objection, confirm)


def confirm(session: Session, token: str, mailer: Mailer | None = None) -> Objection:
    objection = session.exec(
        select(Objection).where(Objection.confirm_token_hash == _digest(token))
    ).first()
    if objection is None or not token:
        raise NotFound("This confirmation link is not valid")
    if objection.status == ObjectionStatus.PENDING_CONFIRMATION:
        before = _record(objection)
        objection.status = ObjectionStatus.OPEN
        objection.confirmed_at = utcnow()
        objection.updated_at = utcnow()
        session.add(objection)
        _log(
            session, objection, "update", before, actor=objection.contact_email, message="confirmed"
        )
        if mailer is not None:
            objection_mail.queue(session, mailer, objection, "ack", key="ack")
    return objection


def get(session: Session, reference: str) -> Objection:
    objection = session.exec(select(Objection).where(Objection.reference == reference)).first()
    if objection is None:
        raise NotFound(f"No objection {reference}")
    return objection


def list_objections(
    session: Session,
    *,
    version: int | None = None,
    status: ObjectionStatus | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Objection]:
    statement = select(Objection).order_by(col(Objection.created_at).desc(), col(Objection.id))
    if version is not None:
        statement = statement.where(Objection.version_number == version)
    if status is not None:
        statement = statement.where(Objection.status == status)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    return list(session.exec(statement))


def entries(session: Session, objection: Objection) -> list[ObjectionEntry]:
    return list(
        session.exec(
            select(ObjectionEntry)
            .where(ObjectionEntry.objection_id == objection.id)
            .order_by(col(ObjectionEntry.at), col(ObjectionEntry.id))
        )
    )


def change_status(
    session: Session,
    reference: str,
    status: ObjectionStatus,
    *,
    actor: str,
    note: str = "",
    version_id: int | None = None,
    mailer: Mailer | None = None,
) -> Objection:
    objection = get(session, reference)
    if version_id is not None and version_id != objection.version_id:
        raise Conflict(
            f"Objection {reference} was changed meanwhile",
            extra=[{"key": "version_id", "message": "stale", "current": objection.version_id}],
        )
    if status == ObjectionStatus.PENDING_CONFIRMATION:
        raise InvalidInput("status", "an objection cannot go back to awaiting confirmation")
    if objection.status == ObjectionStatus.PENDING_CONFIRMATION:
        raise Conflict(f"Objection {reference} has not been confirmed by its author yet")
    if status == ObjectionStatus.CHANGE_KEPT and not note.strip():
        raise InvalidInput("note", "keeping the change needs the reasons, written for the customer")
    before = _record(objection)
    objection.status = status
    if status.resolved:
        objection.resolution = note.strip()
    objection.version_id += 1
    objection.updated_at = utcnow()
    session.add(objection)
    session.add(
        ObjectionEntry(
            objection_id=objection.id or 0,
            author=actor,
            kind="status",
            body=f"{status.value}: {note.strip()}".rstrip(": "),
        )
    )
    _log(session, objection, "update", before, actor=actor, message=note)
    if mailer is not None and status.resolved:
        objection_mail.queue(
            session,
            mailer,
            objection,
            "resolved",
            key=f"resolved:{objection.version_id}",
            body=note,
        )
    return objection


def add_entry(
    session: Session,
    reference: str,
    *,
    actor: str,
    kind: str,
    body: str,
    mailer: Mailer | None = None,
) -> ObjectionEntry:
    """An internal note, or a reply that is emailed to the objector through the outbox."""
    if kind not in ("note", "reply"):
        raise InvalidInput("kind", "must be note or reply")
    if not body.strip():
        raise InvalidInput("body", "must not be empty")
    if len(body) > MAX_REASON:
        raise InvalidInput("body", f"must be at most {MAX_REASON} characters")
    objection = get(session, reference)
    entry = ObjectionEntry(
        objection_id=objection.id or 0, author=actor, kind=kind, body=body.strip()
    )
    session.add(entry)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        object_type="objection_entry",
        object_key=reference,
        before=None,
        after={"kind": kind, "body": entry.body},
        message=kind,
    )
    if kind == "reply" and mailer is not None:
        objection_mail.queue(
            session, mailer, objection, "reply", key=f"reply:{entry.id}", body=entry.body
        )
    return entry


def organisations_owed_more_notice(session: Session, effective_at: date) -> list[Organisation]:
    """Organisations whose contractual notice period the effective date would cut short."""
    gap = (effective_at - today()).days
    return list(
        session.exec(
            select(Organisation)
            .where(Organisation.notice_days > gap)
            .order_by(col(Organisation.notice_days).desc(), col(Organisation.name))
        )
    )


def _new_reference(session: Session) -> str:
    while True:
        reference = "OBJ-" + secrets.token_hex(4).upper()
        if (
            session.exec(select(Objection.id).where(Objection.reference == reference)).first()
            is None
        ):
            return reference


def _record(objection: Objection) -> dict[str, object]:
    return {
        "reference": objection.reference,
        "version": objection.version_number,
        "recipient": objection.recipient_slug,
        "status": str(objection.status),
        "contact_email": objection.contact_email,
        "organisation": objection.organisation,
        "resolution": objection.resolution,
    }


def _log(
    session: Session,
    objection: Objection,
    action: str,
    before: dict[str, object] | None,
    *,
    actor: str,
    message: str,
) -> None:
    record_change(
        session,
        actor=actor,
        action=action,
        object_type="objection",
        object_key=objection.reference,
        before=before,
        after=_record(objection),
        message=message,
    )
