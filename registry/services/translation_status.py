"""Translations bound to the English they translate: current, stale or missing.

Every translated value (a leaf of a record's `translations[lang]`: a text, or a
list of texts) records, in `translation_sources[lang][path]`, a fingerprint of
the English value at the same path when the translation was written. When the
English changes, the fingerprints differ and the translation is *stale*: the
admin marks it, the draft checklist names it (`translations.ko.retention`), and
the snapshot a version freezes leaves it out, so no document prints it as if
it were current.

The mechanism is generic over field paths: a field is translatable as soon as
the translation schema declares it (a nested field such as the company's
`measures.encryption` is the path `measures.encryption`). `REQUIRED` lists the
top-level fields the Korean documents print, whose Korean is "missing" when
the English has text and the Korean has none.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from registry.enums import RecipientStatus
from registry.models import Company, Recipient
from registry.services.checklist import ChecklistItem, check

# The fields each kind of record must have in Korean whenever the English has
# text (the Korean documents print them). Others (names, addresses) may stay in
# English. Add a field here to have the checklist ask for its Korean.
REQUIRED: dict[str, dict[str, frozenset[str]]] = {
    "recipient": {
        "ko": frozenset(
            {
                "destination_note",
                "purposes",
                "data_categories",
                "data_subjects",
                "sensitive_data",
                "sensitive_safeguards",
                "retention",
                "retention_law",
                "transfer_timing",
                "transfer_method",
                "frequency",
                "processing_nature",
                "refusal_procedure",
                "refusal_consequences",
            }
        )
    },
    "company": {
        "ko": frozenset(
            {
                "contact_person",
                "activities",
                "role",
                "data_subjects",
                "authority_name",
                "authority_reason",
                "measures",
                "processing",
                "scc.governing_law",
                "scc.courts",
            }
        )
    },
}


def fingerprint(value: Any) -> str:
    """SHA-256 (hex, first 16 characters) of the value's canonical JSON."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def is_text(value: Any) -> bool:
    """A text, or a list of texts, with something in it: what a translation can render.

    Numbers, booleans and lists of them (the SCC modules, the notice days) are
    the same in every language and have no translation.
    """
    if isinstance(value, str):
        return value != ""
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def leaves(words: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, value) for every text or list of texts in a nested mapping."""
    if isinstance(words, dict):
        for key, value in words.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif prefix and is_text(words):
        yield prefix, words


def value_at(record: Any, path: str) -> Any:
    """The value at a dotted path, or None where the path does not exist."""
    for part in path.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _drop(words: dict[str, Any], path: str) -> None:
    parts = path.split(".")
    holder: Any = words
    for part in parts[:-1]:
        holder = holder.get(part) if isinstance(holder, dict) else None
    if isinstance(holder, dict):
        holder.pop(parts[-1], None)


def bind(
    before: dict[str, Any] | None,
    after: dict[str, Any],
    sources: dict[str, Any] | None,
    confirmed: Iterable[str] = (),
) -> dict[str, dict[str, str]]:
    """The sources after a write from `before` to `after` (records with `translations`).

    A translation written or changed by this write is bound to the English it
    now stands beside; one left as it was keeps its old binding (and so goes
    stale when only the English changed); `confirmed` ("ko.retention") rebinds
    a translation that legal checked against the new English and kept.
    """
    sources = sources or {}
    confirmed = set(confirmed)
    old_words = (before or {}).get("translations") or {}
    bound: dict[str, dict[str, str]] = {}
    for lang, words in (after.get("translations") or {}).items():
        for path, value in leaves(words):
            old = sources.get(lang, {}).get(path)
            unchanged = value_at(old_words.get(lang, {}), path) == value
            if old and unchanged and f"{lang}.{path}" not in confirmed:
                bound.setdefault(lang, {})[path] = old
            else:
                bound.setdefault(lang, {})[path] = fingerprint(value_at(after, path))
    return bound


@dataclass(frozen=True)
class FieldStatus:
    """One translatable field of one record in one language."""

    lang: str
    path: str
    problem: str  # "stale" or "missing"


def stale_paths(record: dict[str, Any], sources: dict[str, Any] | None) -> set[tuple[str, str]]:
    """(lang, path) of every translation whose English changed since it was written."""
    sources = sources or {}
    stale = set()
    for lang, words in (record.get("translations") or {}).items():
        for path, _value in leaves(words):
            if sources.get(lang, {}).get(path) != fingerprint(value_at(record, path)):
                stale.add((lang, path))
    return stale


def missing_paths(record: dict[str, Any], kind: str) -> set[tuple[str, str]]:
    """(lang, path) of every required field whose English has text and Korean has none."""
    missing = set()
    for lang, fields in REQUIRED[kind].items():
        words = (record.get("translations") or {}).get(lang, {})
        for field in fields:  # a field, or a dotted path into one
            for path, _value in leaves(value_at(record, field), field):
                if value_at(words, path) in (None, "", []):
                    missing.add((lang, path))
    return missing


def field_status(
    record: dict[str, Any], sources: dict[str, Any] | None, kind: str
) -> list[FieldStatus]:
    """Every stale or missing translation of a record, in path order."""
    found = [FieldStatus(lang, path, "stale") for lang, path in stale_paths(record, sources)]
    found += [FieldStatus(lang, path, "missing") for lang, path in missing_paths(record, kind)]
    return sorted(found, key=lambda s: (s.lang, s.path, s.problem))


def current_only(record: dict[str, Any], sources: dict[str, Any] | None) -> dict[str, Any]:
    """The record with its stale translations left out (what a version may freeze)."""
    stale = stale_paths(record, sources)
    if not stale:
        return record
    words = copy.deepcopy(record.get("translations") or {})
    for lang, path in stale:
        _drop(words.get(lang, {}), path)
    words = {lang: _pruned(w) for lang, w in words.items()}
    return record | {"translations": {lang: w for lang, w in words.items() if w}}


def _pruned(words: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (_pruned(value) if isinstance(value, dict) else value)
        for key, value in words.items()
        if not (isinstance(value, dict) and not _pruned(value))
    }


def status_map(record: dict[str, Any], sources: dict[str, Any] | None, kind: str) -> dict[str, Any]:
    """{lang: {path: "stale" | "missing"}}: what the API and the admin show beside a field."""
    shown: dict[str, dict[str, str]] = {}
    for item in field_status(record, sources, kind):
        shown.setdefault(item.lang, {})[item.path] = item.problem
    return shown


_MESSAGES = {
    "stale": "The English of {what} changed after its {lang} translation was written: "
    "update the translation, or confirm that it still says the same.",
    "missing": "{what} has English text but no {lang} translation, and the {lang} "
    "documents print it: write the translation.",
}
_LANGUAGE_NAMES = {"ko": "Korean"}


def _item(recipient: str | None, status: FieldStatus) -> ChecklistItem:
    what = f"the field {status.path}" if recipient is None else f"{recipient}'s {status.path}"
    lang = _LANGUAGE_NAMES.get(status.lang, status.lang)
    message = _MESSAGES[status.problem].format(what=what, lang=lang)
    return ChecklistItem(
        recipient=recipient,
        field=f"translations.{status.lang}.{status.path}",
        problem=status.problem,
        message=message[:1].upper() + message[1:],
    )


@check
def translations_check(session: Session, snapshot: dict[str, Any]) -> Iterator[ChecklistItem]:
    """Stale and missing translations of the company and of every active recipient."""
    from registry.services.snapshot import company_record, recipient_record

    company = session.get(Company, 1)
    if company is not None:
        for status in field_status(company_record(company), company.translation_sources, "company"):
            yield _item(None, status)
    recipients = session.exec(
        select(Recipient)
        .where(Recipient.status == RecipientStatus.ACTIVE)
        .order_by(col(Recipient.position), col(Recipient.slug))
    ).all()
    for recipient in recipients:
        record = recipient_record(recipient)
        for status in field_status(record, recipient.translation_sources, "recipient"):
            yield _item(recipient.slug, status)
