"""The recipient form's legal fields: roles per service, the PIPA ground, the law behind
retention, explicit "none"/"not applicable", and the mechanism of a note's other places."""

from __future__ import annotations

from typing import Any, get_args

from registry.enums import ExplicitValue, PipaBasis, RecipientRole
from registry.schemas import OTHER_LOCATIONS, ExplicitField
from registry.web.admin.common import one

EXPLICIT_FIELDS: tuple[str, ...] = get_args(ExplicitField)


def legal_from_form(data: dict[str, Any], values: dict[str, Any]) -> None:
    """Add the legal fields of the posted form to `values` (RecipientIn's shape)."""
    values["pipa_basis"] = one(data, "pipa_basis")
    values["retention_law"] = one(data, "retention_law")
    explicit: dict[str, Any] = {}
    for field in EXPLICIT_FIELDS:
        chosen = one(data, f"explicit-{field}")
        if chosen in {e.value for e in ExplicitValue} and not values.get(field):
            explicit[field] = {"value": chosen}
    values["explicit_values"] = explicit
    roles: dict[str, str] = {}
    for service in values.get("services", []):
        role = one(data, f"service_role-{service}")
        if role in {r.value for r in RecipientRole} and role != values.get("role"):
            roles[service] = role
    values["service_roles"] = roles
    other = one(data, f"mechanism-{OTHER_LOCATIONS}")
    if values.get("destination_note") and other and other != "none":
        entry: dict[str, Any] = {"mechanism": other}
        if one(data, f"scc_module-{OTHER_LOCATIONS}"):
            entry["scc_module"] = one(data, f"scc_module-{OTHER_LOCATIONS}")
        values["mechanisms"][OTHER_LOCATIONS] = entry


def legal_blank() -> dict[str, Any]:
    return {
        "pipa_basis": "",
        "retention_law": "",
        "explicit_values": {},
        "service_roles": {},
        "service_details": {},
    }


def legal_choices() -> dict[str, Any]:
    return {
        "pipa_bases": list(PipaBasis),
        "explicit_fields": EXPLICIT_FIELDS,
        "explicit_choices": list(ExplicitValue),
    }
