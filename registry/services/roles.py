"""Whose data each entry concerns: a vendor's services narrowed to one role.

A recipient record names its vendor once. `role` is the vendor's role when all
its services play the same one; `service_roles` ({service: role}) says more
where they differ (Google Cloud hosts customers' data, Google Analytics
measures the company's own site), and `service_details` ({service: {purposes,
data_categories, data_subjects, processing_nature, onward_recipients,
translations}}) what each service does where it differs from the row's words.

`entries(snapshot, role)` gives the recipient-shaped records of the services
acting in that role: Annex III and Annex I.B's onward transfers read
`entries(snapshot, "sub_processor")`; the PIPA disclosure every role.
"""

from __future__ import annotations

import copy
from typing import Any

from registry.enums import RecipientRole

#: What a narrowed entry takes only from its services' details (a blank stays blank:
#: the row's words describe the other services too).
OWN_FIELDS = ("purposes", "data_categories", "processing_nature")
#: The fields a service's own details may set, over the recipient's.
SERVICE_FIELDS = (
    "purposes",
    "data_categories",
    "data_subjects",
    "processing_nature",
    "onward_recipients",
)


def role_of(record: dict[str, Any], service: str) -> str:
    """The role one service of this recipient plays."""
    return str((record.get("service_roles") or {}).get(service) or record.get("role") or "")


def roles_of(record: dict[str, Any]) -> list[str]:
    """Every role the recipient plays, in RecipientRole's order."""
    services = record.get("services") or []
    played = {role_of(record, s) for s in services} if services else {str(record.get("role"))}
    return [str(role) for role in RecipientRole if str(role) in played]


def narrowed(record: dict[str, Any], role: str) -> dict[str, Any] | None:
    """The record as it concerns `role` only, or None when no service plays it."""
    services = record.get("services") or []
    if not services:
        return copy.deepcopy(record) if str(record.get("role")) == role else None
    chosen = [s for s in services if role_of(record, s) == role]
    if not chosen:
        return None
    entry = copy.deepcopy(record)
    entry["role"] = role
    if len(chosen) == len(services):
        return entry
    entry["services"] = chosen
    entry["service_roles"] = {s: role for s in chosen}
    details = record.get("service_details") or {}
    own = [details.get(s) or {} for s in chosen]
    translations = entry.setdefault("translations", {})
    for field in SERVICE_FIELDS:
        values = [d.get(field) for d in own if d.get(field)]
        if values:
            entry[field] = _joined(values)
        elif field in OWN_FIELDS:
            entry[field] = [] if isinstance(record.get(field), list) else ""
        for lang, words in translations.items():
            local = [(d.get("translations") or {}).get(lang, {}).get(field) for d in own]
            local = [v for v in local if v]
            if local:
                words[field] = _joined(local)
            elif values or field in OWN_FIELDS:
                words.pop(field, None)  # the row's translation no longer matches
    services_ko = {lang: words.get("services") for lang, words in translations.items()}
    for lang, names in services_ko.items():
        if isinstance(names, list) and len(names) == len(services):
            translations[lang]["services"] = [names[services.index(s)] for s in chosen]
    return entry


def _joined(values: list[Any]) -> Any:
    if isinstance(values[0], list):
        seen: dict[str, None] = {}
        for items in values:
            for item in items:
                seen.setdefault(item, None)
        return list(seen)
    return "; ".join(values)


def entries(snapshot: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """The recipients narrowed to the services acting in `role`, in the table's order."""
    found = (narrowed(record, role) for record in snapshot.get("recipients", []))
    return [entry for entry in found if entry is not None]
