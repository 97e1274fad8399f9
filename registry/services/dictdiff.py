"""What changed inside a dict-valued field (mechanisms, translations, per-service roles
and details, explicit values, the company's measures): entry by entry.

A field's change is reported per key path, with empty leaves ignored, so a
mechanism that is the same on both sides is never shown as removed and added,
and a field whose content did not change is no change at all.
"""

from __future__ import annotations

from typing import Any

# How deep an entry goes: a country's mechanism and an explicit value read as one
# thing each ("Japan: EU adequacy decision"); the others go down to their leaves.
DEPTH = {"mechanisms": 1, "explicit_values": 1}
EMPTY: tuple[Any, ...] = (None, "", [], {})


def normalised(field: str, value: Any) -> Any:
    """The content of a value: empty leaves dropped; an explicit value's stamp ignored."""
    if isinstance(value, dict):
        if field == "explicit_values" and "value" in value:
            return value.get("value") or None
        kept = {key: normalised(field, item) for key, item in value.items()}
        return {key: item for key, item in kept.items() if item not in EMPTY} or None
    if isinstance(value, list):
        return [normalised(field, item) for item in value] or None
    return None if value in EMPTY else value


def same_content(field: str, old: Any, new: Any) -> bool:
    """True when two values of a dict-valued field say the same thing."""
    if not (isinstance(old, dict) or isinstance(new, dict)):
        return False
    return bool(normalised(field, old) == normalised(field, new))


def entries(field: str, old: Any, new: Any) -> list[dict[str, Any]]:
    """[{"path": [key, ...], "change": "added" | "removed" | "changed", "old", "new"}]."""
    found: list[dict[str, Any]] = []
    _walk(
        field, old if isinstance(old, dict) else {}, new if isinstance(new, dict) else {}, [], found
    )
    return found


def _walk(
    field: str,
    old: dict[str, Any],
    new: dict[str, Any],
    path: list[str],
    found: list[dict[str, Any]],
) -> None:
    keys = list(new) + [key for key in old if key not in new]
    for key in keys:
        before, after = old.get(key), new.get(key)
        if normalised(field, before) == normalised(field, after):
            continue
        here = [*path, str(key)]
        deeper = len(here) < DEPTH.get(field, 99)
        if deeper and isinstance(before or {}, dict) and isinstance(after or {}, dict):
            _walk(field, before or {}, after or {}, here, found)
            continue
        if normalised(field, before) is None:
            change = "added"
        elif normalised(field, after) is None:
            change = "removed"
        else:
            change = "changed"
        found.append({"path": here, "change": change, "old": before, "new": after})
