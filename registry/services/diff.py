"""What changed between two snapshots: recipients added, removed, and field by field."""

from __future__ import annotations

from typing import Any

from registry.services.dictdiff import entries, same_content
from registry.services.onward import onward_diff
from registry.services.snapshot import COMPANY_FIELDS, RECIPIENT_FIELDS


def diff_snapshots(old: dict[str, Any] | None, new: dict[str, Any]) -> dict[str, Any]:
    """The changes from `old` (None before the first version) to `new`."""
    old_recipients = {r["slug"]: r for r in (old or {}).get("recipients", [])}
    new_recipients = {r["slug"]: r for r in new.get("recipients", [])}
    added = [r for slug, r in new_recipients.items() if slug not in old_recipients]
    removed = [r for slug, r in old_recipients.items() if slug not in new_recipients]
    changed = []
    for slug, after in new_recipients.items():
        before = old_recipients.get(slug)
        if before is None:
            continue
        fields = field_changes(before, after, RECIPIENT_FIELDS)
        if fields:
            old_dest, new_dest = before["destinations"], after["destinations"]
            changed.append(
                {
                    "slug": slug,
                    "name": after["name"],
                    "fields": fields,
                    "added_destinations": [c for c in new_dest if c not in old_dest],
                    "removed_destinations": [c for c in old_dest if c not in new_dest],
                }
                | onward_diff(before, after)
            )
    # A new destination country matters most: those changes come first.
    changed.sort(key=lambda change: not change["added_destinations"])
    old_codes = {c for r in old_recipients.values() for c in r["destinations"]}
    new_codes: list[str] = []
    for record in new_recipients.values():
        for code in record["destinations"]:
            if code not in old_codes and code not in new_codes:
                new_codes.append(code)
    company = (
        field_changes(old["company"], new["company"], COMPANY_FIELDS) if old is not None else []
    )
    if old is not None:
        from registry.regimes.compare import settings_changes

        company += settings_changes(old, new)
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "company_changes": company,
        "new_destinations": new_codes if old is not None else [],
    }


def field_changes(
    before: dict[str, Any], after: dict[str, Any], names: tuple[str, ...]
) -> list[dict[str, Any]]:
    changes = [
        {"field": name, "old": before.get(name), "new": after.get(name)}
        for name in names
        if before.get(name) != after.get(name)
        and not same_content(name, before.get(name), after.get(name))
    ]
    for change in changes:
        # A dict-valued field also says what changed inside it, entry by entry.
        if isinstance(change["old"], dict) or isinstance(change["new"], dict):
            change["entries"] = entries(str(change["field"]), change["old"], change["new"])
    return changes


def is_empty(diff: dict[str, Any]) -> bool:
    return not (diff["added"] or diff["removed"] or diff["changed"] or diff["company_changes"])
