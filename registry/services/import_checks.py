"""What `registry import` checks before a row reaches the database.

An export is a file anyone may have edited. So:
- it carries a manifest (rows per table, SHA-256 of its canonical `tables`) and
  a file that does not match it is refused;
- sign-in sessions and login attempts are never imported (they are state of
  one running registry, not content), users and API tokens only when asked;
- every row passes its table model's validation, and the rows users can write
  pass the same schemas and address rule the app applies to that input;
- every version's hash is recomputed from its snapshot, which must be the
  canonical JSON the hash covers: an edited snapshot is refused.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from pydantic import ValidationError
from sqlmodel import SQLModel

import registry.models
from registry.addresses import header_safe, is_address
from registry.errors import InvalidInput
from registry.i18n import LANGUAGES
from registry.models.base import utcnow
from registry.services import company as company_service
from registry.services import draft
from registry.services.snapshot import canonical_json, content_hash

NEVER_IMPORTED = frozenset({"admin_session", "login_attempt"})
ACCOUNT_TABLES = frozenset({"user_account", "api_token"})


def tables_digest(tables: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(tables).encode("utf-8")).hexdigest()


def manifest(tables: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "rows": {name: len(rows) for name, rows in tables.items()},
        "sha256": tables_digest(tables),
    }


def check_manifest(data: dict[str, Any], tables: dict[str, Any]) -> None:
    """The file is whole and unedited since `registry export` wrote it."""
    written = data.get("manifest")
    if not isinstance(written, dict) or not isinstance(written.get("rows"), dict):
        raise InvalidInput("manifest", "missing: export the registry again with this version")
    counts = {name: len(rows) if isinstance(rows, list) else -1 for name, rows in tables.items()}
    if written["rows"] != counts:
        changed = sorted(set(written["rows"].items()) ^ set(counts.items()))
        names = sorted({name for name, _count in changed})
        raise InvalidInput("manifest.rows", f"row counts do not match in {', '.join(names)}")
    if written.get("sha256") != tables_digest(tables):
        raise InvalidInput("manifest.sha256", "the file was changed after it was exported")


def selected_tables(
    tables: dict[str, list[dict[str, Any]]], *, with_accounts: bool
) -> dict[str, list[dict[str, Any]]]:
    skipped = NEVER_IMPORTED | (frozenset() if with_accounts else ACCOUNT_TABLES)
    return {name: rows for name, rows in tables.items() if name not in skipped}


def _models() -> dict[str, type[SQLModel]]:
    found: dict[str, type[SQLModel]] = {}
    for name in registry.models.__all__:
        model = getattr(registry.models, name)
        found[model.__tablename__] = model
    return found


def check_row(table: str, index: int, row: dict[str, Any]) -> None:
    """InvalidInput naming `tables.TABLE[INDEX].FIELD` for the first thing wrong."""
    where = f"tables.{table}[{index}]"
    model = _models().get(table)
    if model is not None:
        try:
            model.model_validate(row)
        except ValidationError as error:
            first = error.errors()[0]
            field = ".".join(str(part) for part in first["loc"])
            raise InvalidInput(f"{where}.{field}", first["msg"]) from None
    check = ROW_CHECKS.get(table)
    if check is not None:
        try:
            check(row)
        except InvalidInput as error:
            raise InvalidInput(f"{where}.{error.field}", error.message) from None


def _address(value: Any, field: str) -> None:
    if not isinstance(value, str) or not is_address(value):
        raise InvalidInput(field, "is not an email address")


def _lang(row: dict[str, Any]) -> None:
    if row.get("lang", "en") not in LANGUAGES:
        raise InvalidInput("lang", "is not a language of the registry")


def _subscriber(row: dict[str, Any]) -> None:
    _address(row.get("email"), "email")
    _lang(row)


def _user(row: dict[str, Any]) -> None:
    _address(row.get("email"), "email")


def _objection(row: dict[str, Any]) -> None:
    _address(row.get("contact_email"), "contact_email")


def _outbox(row: dict[str, Any]) -> None:
    _lang(row)
    if row.get("kind") != "webhook":
        _address(row.get("recipient"), "recipient")
    for name in ("subject", "message_id"):
        if not header_safe(str(row.get(name) or "")):
            raise InvalidInput(name, "holds a line break or control character")


def _webhook(row: dict[str, Any]) -> None:
    url = str(row.get("url") or "")
    if not url.startswith(("https://", "http://")) or not header_safe(url):
        raise InvalidInput("url", "must be an http(s) URL")


def _recipient(row: dict[str, Any]) -> None:
    fields = draft.RecipientIn.model_fields
    draft.validate({k: v for k, v in row.items() if k in fields and k != "version_id"})


def _company(row: dict[str, Any]) -> None:
    fields = company_service.CompanyIn.model_fields
    if not row.get("name"):
        return  # the row exists before anyone fills it in
    company_service.validate_company({k: v for k, v in row.items() if k in fields})


def _version(row: dict[str, Any]) -> None:
    snapshot = row.get("snapshot")
    if not isinstance(snapshot, str):
        raise InvalidInput("snapshot", "missing")
    try:
        canonical = canonical_json(json.loads(snapshot))
    except ValueError:
        raise InvalidInput("snapshot", "is not JSON") from None
    if canonical != snapshot or content_hash(snapshot) != row.get("content_hash"):
        raise InvalidInput("content_hash", "does not match the snapshot: the version was edited")
    published = row.get("published_at")
    if published is not None and published > utcnow() + timedelta(days=1):
        raise InvalidInput("published_at", "is in the future")


ROW_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "subscriber": _subscriber,
    "user_account": _user,
    "objection": _objection,
    "outbox_message": _outbox,
    "webhook_endpoint": _webhook,
    "recipient": _recipient,
    "company": _company,
    "registry_version": _version,
}
