"""Warnings about the legal basis of each destination (GDPR Arts. 45-49), for the admin."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from registry.countries import pycountry_name
from registry.i18n import current_language
from registry.i18n import gettext as _
from registry.models import AdequacyDecision, DataCategory

# The EEA's members are a treaty fact, not reference data that changes with decisions.
EEA = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
        "IS",
        "LI",
        "NO",
    ]
)
DPF_CHECK_MAX_AGE = timedelta(days=365)


def adequacy_by_country(session: Session) -> dict[str, AdequacyDecision]:
    rows = session.exec(select(AdequacyDecision).where(AdequacyDecision.country != None)).all()  # noqa: E711
    return {row.country: row for row in rows if row.country}


def vocabulary(session: Session) -> list[str]:
    statement = select(DataCategory).order_by(col(DataCategory.position), col(DataCategory.name))
    rows = session.exec(statement).all()
    return [row.name for row in rows]


def transfer_warnings(
    destinations: list[str],
    mechanisms: dict[str, Any],
    adequacy: dict[str, AdequacyDecision],
    today: date,
) -> dict[str, list[str]]:
    """{country code: [warning, ...]} for destinations whose legal basis is missing or stale."""
    warnings: dict[str, list[str]] = {}
    for code in destinations:
        entry = mechanisms.get(code) or {}
        mechanism = entry.get("mechanism", "none") or "none"
        decision = adequacy.get(code)
        name = pycountry_name(code, current_language())
        found: list[str] = []
        plain_adequacy = decision is not None and not decision.requires_dpf
        if code not in EEA and not plain_adequacy and mechanism in ("none", "eea", "adequacy"):
            found.append(
                _(
                    "%(country)s has no EU adequacy decision and no other transfer mechanism "
                    "is recorded: choose SCCs, BCRs, a derogation or (USA) the Data Privacy "
                    "Framework.",
                    country=name,
                )
            )
        if code == "US" and mechanism == "dpf":
            checked = entry.get("dpf_checked_on")
            if isinstance(checked, str) and checked:
                checked = date.fromisoformat(checked)
            if not checked:
                found.append(
                    _("Record the date the recipient's DPF certification was last checked.")
                )
            elif today - checked > DPF_CHECK_MAX_AGE:
                found.append(
                    _(
                        "The DPF certification was last checked on %(date)s, more than a year "
                        "ago: check the DPF list again.",
                        date=checked.isoformat(),
                    )
                )
        if found:
            warnings[code] = found
    return warnings
