"""Editing the draft: recipients created, replaced, changed and retired.

Every write checks `version_id` (a stale one is a Conflict and changes
nothing), bumps it, and records before and after in the change log, all in
the caller's transaction.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import ValidationError
from sqlalchemy import String, cast, func
from sqlmodel import Session, col, select

from registry.enums import RecipientRole, RecipientStatus
from registry.errors import Conflict, InvalidInput, NotFound
from registry.models import Recipient
from registry.models.base import utcnow
from registry.schemas import RecipientIn
from registry.services.audit import record_change
from registry.services.explicit import stamp_explicit_values
from registry.services.snapshot import recipient_record
from registry.services.translation_status import bind


def list_recipients(
    session: Session,
    *,
    status: RecipientStatus | None = RecipientStatus.ACTIVE,
    country: str | None = None,
    role: RecipientRole | None = None,
    query: str | None = None,
) -> list[Recipient]:
    statement = select(Recipient).order_by(col(Recipient.position), col(Recipient.slug))
    if status is not None:
        statement = statement.where(Recipient.status == status)
    if role is not None:
        statement = statement.where(Recipient.role == role)
    if country:
        statement = statement.where(
            cast(Recipient.destinations, String).like(f'%"{country.upper()}"%')
        )
    if query:
        needle = f"%{query.lower()}%"
        statement = statement.where(
            func.lower(Recipient.name).like(needle)
            | func.lower(Recipient.display_name).like(needle)
            | func.lower(Recipient.slug).like(needle)
        )
    return list(session.exec(statement).all())


def get_recipient(session: Session, slug: str, *, for_update: bool = False) -> Recipient:
    statement = select(Recipient).where(Recipient.slug == slug)
    if for_update:
        statement = statement.with_for_update()
    recipient = session.exec(statement).first()
    if recipient is None:
        raise NotFound(f"No recipient with slug {slug!r}")
    return recipient


def validate(data: dict[str, Any]) -> RecipientIn:
    """Check a whole recipient; the first error names its field."""
    try:
        return RecipientIn.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or _field_from(first["msg"])
        raise InvalidInput(field or "body", _message(first["msg"])) from None


def _field_from(message: str) -> str:
    match = re.search(r"Value error, (\w+):", message)
    return match.group(1) if match else ""


def _message(message: str) -> str:
    return re.sub(r"^Value error, (\w+: )?", "", message)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].strip("-") or "recipient"


def create_recipient(session: Session, data: RecipientIn, *, actor: str) -> Recipient:
    slug = data.slug or slugify(data.display_name or data.name)
    if session.exec(select(Recipient.id).where(Recipient.slug == slug)).first() is not None:
        raise Conflict(
            f"A recipient with slug {slug!r} already exists",
            extra=[{"key": "slug", "message": "already exists", "source": "body"}],
        )
    last = session.exec(select(func.max(Recipient.position))).first()
    recipient = Recipient(slug=slug, name=data.name, position=(last or 0) + 1, version_id=1)
    _apply(recipient, data)
    stamp_explicit_values(recipient, {}, actor)
    session.add(recipient)
    session.flush()
    record_change(
        session,
        actor=actor,
        action="create",
        object_type="recipient",
        object_key=slug,
        before=None,
        after=recipient_record(recipient) | {"status": str(recipient.status)},
    )
    return recipient


def replace_recipient(
    session: Session, slug: str, data: RecipientIn, *, actor: str, message: str = ""
) -> Recipient:
    recipient = get_recipient(session, slug, for_update=True)
    _check_version(recipient, data.version_id)
    if data.slug and data.slug != slug:
        raise InvalidInput("slug", "cannot be changed; create a new recipient instead")
    before = _logged(recipient)
    _apply(recipient, data)
    stamp_explicit_values(recipient, before.get("explicit_values") or {}, actor)
    after = _logged(recipient)
    if after != before:
        recipient.version_id += 1
        recipient.updated_at = utcnow()
        session.add(recipient)
        record_change(
            session,
            actor=actor,
            action="update",
            object_type="recipient",
            object_key=slug,
            before=before,
            after=after,
            message=message,
        )
    session.flush()
    return recipient


def patch_recipient(
    session: Session, slug: str, changes: dict[str, Any], *, actor: str
) -> Recipient:
    recipient = get_recipient(session, slug, for_update=True)
    if "version_id" in changes:
        _check_version(recipient, changes["version_id"])
    merged = recipient_record(recipient) | {"status": str(recipient.status)} | changes
    if isinstance(changes.get("translations"), dict):
        merged["translations"] = merged_translations(
            recipient.translations, changes["translations"]
        )
    merged["version_id"] = recipient.version_id
    return replace_recipient(session, slug, validate(merged), actor=actor)


def retire_recipient(
    session: Session, slug: str, *, actor: str, version_id: int | None = None
) -> Recipient:
    recipient = get_recipient(session, slug, for_update=True)
    _check_version(recipient, version_id)
    if recipient.status == RecipientStatus.RETIRED:
        raise NotFound(f"Recipient {slug!r} is already retired")
    before = recipient_record(recipient) | {"status": str(recipient.status)}
    recipient.status = RecipientStatus.RETIRED
    recipient.version_id += 1
    recipient.updated_at = utcnow()
    session.add(recipient)
    record_change(
        session,
        actor=actor,
        action="delete",
        object_type="recipient",
        object_key=slug,
        before=before,
        after=before | {"status": str(RecipientStatus.RETIRED)},
        message="retired",
    )
    session.flush()
    return recipient


def merged_translations(stored: dict[str, Any], changes: dict[str, Any]) -> Any:
    """A PATCH's `translations` laid over the stored ones, language by language, field by field.

    A field sent null or empty ("" or []) is removed; anything not a mapping is left for
    validation to refuse, naming the field.
    """
    merged: dict[str, Any] = {lang: dict(words) for lang, words in stored.items()}
    for lang, words in changes.items():
        if not isinstance(words, dict):
            return changes
        merged[lang] = merged.get(lang, {}) | words
        for field in [f for f, value in words.items() if value is None]:
            del merged[lang][field]  # JSON Merge Patch (RFC 7396): null removes
    return merged


def _logged(recipient: Recipient) -> dict[str, Any]:
    """What the change log keeps of a recipient: its record, status and translation sources."""
    return recipient_record(recipient) | {
        "status": str(recipient.status),
        "translation_sources": recipient.translation_sources,
    }


def _check_version(recipient: Recipient, version_id: Any) -> None:
    if version_id is None:
        return
    if not isinstance(version_id, int) or isinstance(version_id, bool):
        raise InvalidInput("version_id", "must be an integer")
    if version_id != recipient.version_id:
        raise Conflict(
            f"Recipient {recipient.slug!r} was changed meanwhile: your version_id is "
            f"{version_id}, the current one is {recipient.version_id}",
            extra=[{"key": "version_id", "message": "stale", "current": recipient.version_id}],
        )


def _apply(recipient: Recipient, data: RecipientIn) -> None:
    before = recipient_record(recipient) if recipient.id is not None else None
    values = data.model_dump(mode="json", exclude={"slug", "version_id", "confirm_translations"})
    for name, value in values.items():
        setattr(recipient, name, value)
    recipient.status = RecipientStatus(values["status"])
    recipient.translation_sources = bind(
        before,
        recipient_record(recipient),
        recipient.translation_sources,
        confirmed=data.confirm_translations,
    )
    recipient.onward_checked_on = data.onward_checked_on  # a date, not its JSON text
