"""Plain-text legal phrases shared by notices and pages: a recipient's transfer basis,
its roles, and the company's own words on objecting (with defaults)."""

from __future__ import annotations

from typing import Any

from registry.enums import Mechanism, RecipientRole, SccModule
from registry.i18n import current_language
from registry.i18n import gettext as _
from registry.presentation import country_name, translated
from registry.schemas import OTHER_LOCATIONS
from registry.services.roles import roles_of


def _label(enum_class: type[Any], value: Any) -> str:
    try:
        return str(enum_class(value).label)
    except ValueError:
        return str(value)


def transfer_basis(
    record: dict[str, Any],
    countries: dict[str, dict[str, str]],
    adequacy: dict[str, Any] | None = None,
) -> str:
    """ "USA: Standard Contractual Clauses (Module 3: …); Japan: EU adequacy decision (…)"."""
    mechanisms = record.get("mechanisms") or {}
    places = list(record.get("destinations") or [])
    if mechanisms.get(OTHER_LOCATIONS):
        places.append(OTHER_LOCATIONS)
    parts = []
    for code in places:
        entry = mechanisms.get(code) or {}
        name = (
            translated(record, "destination_note")
            if code == OTHER_LOCATIONS
            else country_name(code, countries)
        )
        chosen = entry.get("mechanism") or ""
        decision = (adequacy or {}).get(code)
        if not chosen and decision:
            text = f"{Mechanism.ADEQUACY.label} ({translated(decision, 'decision')})"
        elif not chosen:
            continue  # unknown: say nothing rather than "none"
        else:
            text = _label(Mechanism, chosen)
            if entry.get("scc_module"):
                text += f" ({_label(SccModule, entry['scc_module'])})"
        parts.append(f"{name}: {text}")
    return "; ".join(parts)


def roles_text(record: dict[str, Any]) -> str:
    return ", ".join(_label(RecipientRole, role) for role in roles_of(record))


def objection_text(company: dict[str, Any], effective: str) -> str:
    """The company's words on objecting, or the default: grounds and deadline."""
    lang = current_language()
    words = (company.get("translations") or {}).get(lang, {}).get("notices", {})
    own = words.get("objection") if lang != "en" else None
    text = own or (company.get("notices") or {}).get("objection")
    return text or _(
        "You may object to this change on reasonable grounds relating to data protection "
        "until %(date)s, when it takes effect.",
        date=effective,
    )


def after_effective_text(company: dict[str, Any]) -> str:
    """The company's words on what happens at the effective date, or the default."""
    lang = current_language()
    words = (company.get("translations") or {}).get(lang, {}).get("notices", {})
    own = words.get("after_effective") if lang != "en" else None
    text = own or (company.get("notices") or {}).get("after_effective")
    return text or _(
        "On that date the change takes effect as published, unless it is withdrawn. If an "
        "objection cannot be resolved by then, what follows is governed by your agreement "
        "with %(company)s.",
        company=company.get("name", ""),
    )
