"""What a document shows: its version stamp, the customer's details, and the template context.

Everything here is pure: a snapshot (published or draft) in, plain data out.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from registry.documents.exporter import legal_context
from registry.enums import DocumentKind, RecipientRole
from registry.errors import InvalidInput

#: The longest value each personalisation field accepts, in characters.
EXPORTER_LIMITS = {"exporter_name": 200, "exporter_address": 500, "exporter_contact": 300}

TEMPLATES = {
    DocumentKind.TRANSFERS: "documents/transfers.html",
    DocumentKind.ANNEXES: "documents/annexes.html",
}


@dataclass(frozen=True)
class DocumentMeta:
    """The stamp every document carries: which version, in force from when, its hash.

    The admin preview passes a draft's values (`number="draft"`, today, the draft's hash).
    """

    number: int | str
    effective_at: date | str
    content_hash: str

    @property
    def is_draft(self) -> bool:
        return not isinstance(self.number, int)


@dataclass(frozen=True)
class Exporter:
    """The data exporter of Annex I.A, filled in for one customer (or blank)."""

    name: str = ""
    address: str = ""
    contact: str = ""
    role: str = ""  # "processor" (Module Three) or "" / "controller" (Module Two)
    country: str = ""  # ISO 3166-1 alpha-2: Annex I.C names its authority
    region: str = ""  # Germany's Land (ISO 3166-2 code without "DE-")

    @property
    def is_blank(self) -> bool:
        return not (
            self.name or self.address or self.contact or self.role or self.country or self.region
        )

    def key(self) -> tuple[str, ...]:
        return (self.name, self.address, self.contact, self.role, self.country, self.region)

    @classmethod
    def from_params(cls, params: Mapping[str, str | None]) -> Exporter:
        """Read `exporter_*` query parameters: 400 naming the field when too long or unprintable."""
        values: dict[str, str] = {}
        for field, limit in EXPORTER_LIMITS.items():
            value = (params.get(field) or "").strip()
            if len(value) > limit:
                raise InvalidInput(field, f"must be at most {limit} characters")
            if any(unicodedata.category(char) in ("Cc", "Cf", "Cs") for char in value):
                raise InvalidInput(field, "must not contain control characters")
            values[field.removeprefix("exporter_")] = value
        from registry.documents.exporter import read_legal_params

        return cls(**values, **read_legal_params(params))


def _sub_processors(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    from registry.services.roles import entries

    return entries(snapshot, RecipientRole.SUB_PROCESSOR)


def _union(lists: list[list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    for items in lists:
        for item in items:
            seen.setdefault(item, None)
    return list(seen)


def build_context(
    kind: DocumentKind,
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    lang: str,
    exporter: Exporter | None = None,
) -> dict[str, Any]:
    """The variables the document templates read."""
    from registry.presentation import translated

    recipients: list[dict[str, Any]] = snapshot["recipients"]
    company: dict[str, Any] = snapshot["company"]
    return {
        "kind": kind,
        "snapshot": snapshot,
        "company": company,
        "recipients": recipients,
        "countries": snapshot["countries"],
        "meta": meta,
        "lang": lang,
        "exporter": exporter or Exporter(),
        "sub_processors": _sub_processors(snapshot),
        "data_subjects": _union(
            [translated(company, "data_subjects", lang) or []]
            + [translated(r, "data_subjects", lang) or [] for r in recipients]
        ),
        "data_categories": _union(
            [translated(r, "data_categories", lang) or [] for r in recipients]
        ),
        "sensitive": [r for r in recipients if r.get("sensitive_data")],
        "measures": translated(company, "measures", lang) or {},
        "created": _created(meta),
    } | legal_context(snapshot, exporter or Exporter(), lang)


def _created(meta: DocumentMeta) -> str:
    """The PDF's creation date: the version's effective date, so its bytes never change."""
    day = meta.effective_at if isinstance(meta.effective_at, str) else meta.effective_at.isoformat()
    return f"{day[:10]}T00:00:00Z"
