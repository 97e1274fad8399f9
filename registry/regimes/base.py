"""A transfer regime as a small declared unit (datasette's output renderers are the model).

A `Regime` says what its document is (slug, title, legal instrument, template),
what it needs from the data (company fields, recipient fields, reference data,
legal's settings) and, from that declaration, what a snapshot still lacks:
`regime.missing(snapshot)` lists each gap as `{"recipient", "field", "message"}`.
A regime with needs the declaration cannot express adds a `check` of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from registry.i18n import gettext as _

Snapshot = dict[str, Any]
Record = dict[str, Any]


@dataclass(frozen=True)
class Gap:
    """One thing a regime's document needs and the data does not say."""

    recipient: str | None
    field: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"recipient": self.recipient, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class Need:
    """One field a regime needs: `path` as the API names it, `label` as legal reads it.

    Company paths start with `company.` (`company.processing.duration`); a
    recipient need names the recipient's field (`retention`); `settings.KEY`
    is a value legal chooses for this regime in the admin.
    """

    path: str
    label: Any  # a lazy string: translated when the message is built


@dataclass(frozen=True)
class Setting:
    """A value legal chooses for one regime's document (Table 4's party, the PIA date...)."""

    key: str
    label: Any
    hint: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()
    required: bool = True
    kind: str = "text"  # "text", "choice", "country" (ISO 3166-1 alpha-2) or "date" (YYYY-MM-DD)

    def label_of(self, value: str) -> str:
        """The chosen value as the document prints it (a choice's label, else the value)."""
        return next((str(label) for key, label in self.choices if key == value), value)


def value_at(record: Record, path: str) -> Any:
    """`record["a"]["b"]` for "a.b"; None where any step is absent (never a KeyError)."""
    current: Any = record
    for part in path.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(part)
    return current


def is_blank(value: Any) -> bool:
    """Nothing written: None, "", [] or {} (False and 0 are values someone chose)."""
    if isinstance(value, str):
        return not value.strip()
    return value is None or value == [] or value == {}


@dataclass(frozen=True)
class Regime:
    slug: str
    title: Any
    instrument: Any
    template: str
    short: Any = ""  # the regime in a word or two, for narrow places (a table's column head)
    summary: Any = ""
    company: tuple[Need, ...] = ()
    recipient: tuple[Need, ...] = ()
    reference: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()
    scope: Callable[[Snapshot], list[Record]] | None = None
    check: Callable[[Snapshot], Iterable[Gap]] | None = None
    context: Callable[[Snapshot, str], dict[str, Any]] | None = None
    languages: tuple[str, ...] = ("en", "ko")
    exporter: bool = False
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)

    def recipients(self, snapshot: Snapshot) -> list[Record]:
        """The recipients this regime's document lists (all of them, unless it narrows)."""
        if self.scope is None:
            return list(snapshot.get("recipients", []))
        return self.scope(snapshot)

    def setting(self, snapshot: Snapshot, key: str) -> str:
        return str((snapshot.get("regime_settings") or {}).get(self.slug, {}).get(key) or "")

    def missing(self, snapshot: Snapshot) -> list[Gap]:
        """Every gap, company-wide ones first, then by recipient in the document's order."""
        gaps: list[Gap] = []
        company = snapshot.get("company") or {}
        for need in self.company:
            if is_blank(value_at({"company": company}, need.path)):
                gaps.append(
                    Gap(None, need.path, _("Not recorded: %(what)s.", what=str(need.label)))
                )
        for setting in self.settings:
            if setting.required and not self.setting(snapshot, setting.key).strip():
                gaps.append(
                    Gap(
                        None,
                        f"settings.{self.slug}.{setting.key}",
                        _(
                            "Choose “%(what)s” for this regime in the admin.",
                            what=str(setting.label),
                        ),
                    )
                )
        for record in self.recipients(snapshot):
            for need in self.recipient:
                if is_blank(value_at(record, need.path)):
                    gaps.append(
                        Gap(
                            record.get("slug"),
                            need.path,
                            _(
                                "Not recorded for %(name)s: %(what)s.",
                                what=str(need.label),
                                name=record.get("name") or record.get("slug") or "?",
                            ),
                        )
                    )
        if self.check is not None:
            gaps.extend(self.check(snapshot))
        return gaps

    def report(self, snapshot: Snapshot) -> dict[str, Any]:
        """What `GET /api/v1/versions/{n}/regimes` says of this regime."""
        gaps = self.missing(snapshot)
        return {
            "regime": self.slug,
            "title": str(self.title),
            "instrument": str(self.instrument),
            "complete": not gaps,
            "missing": [gap.as_json() for gap in gaps],
        }
