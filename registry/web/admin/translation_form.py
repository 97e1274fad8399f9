"""The Korean beside the English in the admin forms: rows to show, and the posted Korean back.

A form posts each Korean field as `ko-PATH` (`ko-retention`, `ko-measures.event_logging`;
list fields one item a line) and each "still says the same" box as
`confirm-ko-PATH`. `ko-present` marks a form that carries the Korean fields,
so a form without them (an older page, a script) leaves the Korean as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from registry.company_schemas import CompanyTranslation
from registry.labels import field_label
from registry.schemas import RecipientTranslation
from registry.services.translation_status import status_map, value_at
from registry.web.admin.common import lines, one

LANG = "ko"


@dataclass(frozen=True)
class TranslationRow:
    """One field: its English as stored, the Korean to edit, and what is wrong with it."""

    path: str
    english: str
    korean: str
    multiline: bool
    is_list: bool
    status: str  # "", "stale" or "missing"

    @property
    def name(self) -> str:
        return f"{LANG}-{self.path}"

    @property
    def label(self) -> str:
        """The field's name in the page's language (read when the page is rendered)."""
        return field_label(self.path.rsplit(".", 1)[-1])


def _list_fields(model: type[Any], prefix: str = "") -> set[str]:
    """The list fields, nested ones by their dotted path ("processing.data_subjects")."""
    found: set[str] = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if (
            getattr(annotation, "__origin__", None) is list
            or str(annotation).startswith("list")
            or "list[" in str(annotation)
        ):
            found.add(prefix + name)
        elif isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            found |= _list_fields(annotation, f"{prefix}{name}.")
    return found


RECIPIENT_LISTS = _list_fields(RecipientTranslation)
COMPANY_LISTS = _list_fields(CompanyTranslation)
SINGLE_LINE = {"name", "display_name", "destination_note", "retention"}


def _paths(record: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    """Each translatable path: a field, or each key of a keyed field (the company's measures)."""
    words = (record.get("translations") or {}).get(LANG, {})
    paths: list[str] = []
    for name in names:
        value, korean = record.get(name), words.get(name)
        if isinstance(value, dict) or isinstance(korean, dict):
            keys = [k for k, v in (value or {}).items() if v]
            keys += [k for k in (korean or {}) if k not in keys]
            paths += [f"{name}.{key}" for key in keys]
        else:
            paths.append(name)
    return paths


def _text(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    return "" if value is None else str(value)


def rows(
    record: dict[str, Any],
    sources: dict[str, Any] | None,
    kind: str,
    names: tuple[str, ...],
    list_fields: set[str],
) -> list[TranslationRow]:
    """The rows of the Korean column, for the fields whose English has text or Korean exists."""
    status = status_map(record, sources, kind).get(LANG, {})
    words = (record.get("translations") or {}).get(LANG, {})
    found = []
    for path in _paths(record, names):
        english, korean = value_at(record, path), value_at(words, path)
        top = path.split(".", 1)[0]
        found.append(
            TranslationRow(
                path=path,
                english=_text(english),
                korean=_text(korean),
                multiline=top not in SINGLE_LINE,
                is_list=top in list_fields or path in list_fields,
                status=status.get(path, ""),
            )
        )
    return found


def recipient_rows(record: dict[str, Any], sources: dict[str, Any] | None) -> list[TranslationRow]:
    names = tuple(RecipientTranslation.model_fields)
    return rows(record, sources, "recipient", names, RECIPIENT_LISTS)


def company_rows(record: dict[str, Any], sources: dict[str, Any] | None) -> list[TranslationRow]:
    names = tuple(CompanyTranslation.model_fields)
    return rows(record, sources, "company", names, COMPANY_LISTS)


def posted(data: dict[str, Any], list_fields: set[str]) -> dict[str, Any] | None:
    """The Korean the form posted, as `translations` ({"ko": {...}}); None without the fields."""
    if not one(data, f"{LANG}-present"):
        return None
    words: dict[str, Any] = {}
    prefix = f"{LANG}-"
    for key in sorted(data):
        if not key.startswith(prefix) or key == f"{LANG}-present":
            continue
        path = key[len(prefix) :]
        if "-" in path:  # "ko-processing-…": the legal fields' Korean (company_legal.py)
            continue
        parts = path.split(".")
        is_list = parts[0] in list_fields or path in list_fields
        value: Any = lines(data.get(key)) if is_list else one(data, key).strip()
        if value in ("", []):
            continue
        holder = words
        for part in parts[:-1]:
            holder = holder.setdefault(part, {})
        holder[parts[-1]] = value
    return {LANG: words} if words else {}


def confirmed(data: dict[str, Any]) -> list[str]:
    """The "still says the same" boxes ticked: ["ko.retention", ...]."""
    prefix = f"confirm-{LANG}-"
    return [f"{LANG}.{key[len(prefix) :]}" for key in data if key.startswith(prefix)]
