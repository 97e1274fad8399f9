"""A vendor's own sub-processors (its `onward` list): reading, comparing, importing, staleness.

Each entry is `{"name", "countries": [ISO codes], "purpose", "list_url"}`. Legal
types them in the admin one per line (`name | countries | purpose | list URL`),
or `registry import-onward SLUG FILE` replaces them from the vendor's own list
(CSV with a header row `name,countries,purpose,list_url`, or a JSON array of
such objects; countries separated by spaces or semicolons in CSV).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, or_, select

from registry.enums import RecipientStatus
from registry.errors import InvalidInput
from registry.models import Recipient
from registry.schemas import OnwardIn

CSV_COLUMNS = ("name", "countries", "purpose", "list_url")
STALE_AFTER_DAYS = 180


def _split_countries(text: str) -> list[str]:
    return [c for c in text.replace(";", " ").replace(",", " ").split() if c]


def from_lines(text: str) -> list[dict[str, Any]]:
    """The admin's textarea, one entry a line: `name | countries | purpose | list URL`."""
    entries = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")] + ["", "", ""]
        entries.append(
            {
                "name": parts[0],
                "countries": _split_countries(parts[1].upper()),
                "purpose": parts[2],
                "list_url": parts[3],
            }
        )
    return entries


def to_lines(entries: list[dict[str, Any]]) -> str:
    return "\n".join(
        " | ".join(
            [e.get("name", ""), " ".join(e.get("countries", [])), e.get("purpose", "")]
            + ([e["list_url"]] if e.get("list_url") else [])
        )
        for e in entries
    )


def _checked(entry: Any, where: str) -> dict[str, Any]:
    try:
        return OnwardIn.model_validate(entry).model_dump()
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "entry"
        raise InvalidInput(
            where, f"{field}: {first['msg'].removeprefix('Value error, ')}"
        ) from None


def parse_file(name: str, content: str) -> list[dict[str, Any]]:
    """A vendor's list from a file (JSON or CSV by its name); InvalidInput naming the line."""
    if name.lower().endswith(".json"):
        return _parse_json(content)
    return _parse_csv(content)


def _parse_json(content: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"line {error.lineno}", f"is not JSON: {error.msg}") from None
    if not isinstance(data, list):
        raise InvalidInput("line 1", "the file must hold a JSON array of entries")
    lines = _json_entry_lines(content, len(data))
    return [_checked(entry, f"line {lines[i]}") for i, entry in enumerate(data)]


def _json_entry_lines(content: str, count: int) -> list[int]:
    """The line each top-level entry starts on (for error messages), best effort."""
    decoder, lines, index = json.JSONDecoder(), [], content.index("[") + 1
    for _ in range(count):
        while content[index] in " \t\r\n,":
            index += 1
        lines.append(content.count("\n", 0, index) + 1)
        _, index = decoder.raw_decode(content, index)
    return lines


def _parse_csv(content: str) -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(content))
    rows = list(reader)
    header = [h.strip().lower() for h in rows[0]] if rows else []
    if (
        "name" not in header
        or not set(header) <= set(CSV_COLUMNS)
        or len(set(header)) < len(header)
    ):
        raise InvalidInput(
            "line 1", f"the header must name its columns, among: {','.join(CSV_COLUMNS)}"
        )
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InvalidInput(
                f"line {number}", f"has {len(row)} columns, the header {len(header)}"
            )
        cells = [c.strip() for c in row] + [""] * (len(header) - len(row))
        raw = dict(zip(header, cells, strict=True))
        entry = raw | {"countries": _split_countries(raw.get("countries", ""))}
        entries.append(_checked(entry, f"line {number}"))
    return entries


# Comparing ------------------------------------------------------------------


def onward_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Entries added, removed and changed between two records of one recipient, by name."""
    old = {e["name"]: e for e in before.get("onward") or []}
    new = {e["name"]: e for e in after.get("onward") or []}
    changed = []
    for name, entry in new.items():
        if name in old and old[name] != entry:
            was = old[name]
            changed.append(
                {
                    "name": name,
                    "old": was,
                    "new": entry,
                    "added_countries": [c for c in entry["countries"] if c not in was["countries"]],
                    "removed_countries": [
                        c for c in was["countries"] if c not in entry["countries"]
                    ],
                }
            )
    return {
        "onward_added": [e for n, e in new.items() if n not in old],
        "onward_removed": [e for n, e in old.items() if n not in new],
        "onward_changed": changed,
    }


def onward_countries(change: dict[str, Any]) -> set[str]:
    """Countries an onward change adds or removes (for scopes by country)."""
    codes: set[str] = set()
    for entry in change.get("onward_added", []) + change.get("onward_removed", []):
        codes.update(entry.get("countries", []))
    for entry in change.get("onward_changed", []):
        codes.update(entry["added_countries"], entry["removed_countries"])
    return codes


# Upstream lists -------------------------------------------------------------


@dataclass(frozen=True)
class StaleVendor:
    slug: str
    name: str
    list_url: str
    checked_on: date | None
    entries: int


def stale_vendors(session: Session, today: date, days: int = STALE_AFTER_DAYS) -> list[StaleVendor]:
    """Active vendors with a published list not checked for more than `days` (or never)."""
    cutoff = today - timedelta(days=days)
    rows = session.exec(
        select(Recipient)
        .where(
            Recipient.status == RecipientStatus.ACTIVE,
            Recipient.onward_list_url != "",
            or_(
                col(Recipient.onward_checked_on).is_(None),
                col(Recipient.onward_checked_on) < cutoff,
            ),
        )
        .order_by(col(Recipient.onward_checked_on).is_not(None), col(Recipient.onward_checked_on))
    ).all()
    return [
        StaleVendor(
            r.slug, r.display_name or r.name, r.onward_list_url, r.onward_checked_on, len(r.onward)
        )
        for r in rows
    ]


def import_onward(
    session: Session, slug: str, entries: list[dict[str, Any]], *, actor: str, today: date
) -> dict[str, Any]:
    """Replace a vendor's onward list in the draft (checked today); what changed."""
    from registry.services import draft
    from registry.services.snapshot import recipient_record

    recipient = draft.get_recipient(session, slug)
    before = recipient_record(recipient)
    draft.patch_recipient(
        session,
        slug,
        {"onward": entries, "onward_checked_on": today.isoformat()},
        actor=actor,
    )
    return onward_diff(before, recipient_record(recipient))
