"""Freezing the draft: the snapshot of a version, its canonical JSON and its hash."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlmodel import Session, col, select

from registry.enums import RecipientStatus
from registry.models import Company, CountryName, Recipient

SNAPSHOT_SCHEMA = 1
RECIPIENT_FIELDS = (
    "slug",
    "name",
    "display_name",
    "services",
    "corporate_country",
    "address",
    "contact",
    "website",
    "role",
    "pipa_relationship",
    "destinations",
    "destination_note",
    "mechanisms",
    "purposes",
    "data_categories",
    "data_subjects",
    "sensitive_data",
    "sensitive_safeguards",
    "retention",
    "transfer_timing",
    "transfer_method",
    "frequency",
    "processing_nature",
    "onward",
    "onward_list_url",
    "onward_checked_on",
    "refusal_procedure",
    "refusal_consequences",
    "list_style",
    "translations",
    "service_roles",
    "service_details",
    "pipa_basis",
    "retention_law",
    "explicit_values",
)
COMPANY_FIELDS = (
    "name",
    "address",
    "contact_person",
    "contact_email",
    "activities",
    "role",
    "data_subjects",
    "authority_name",
    "authority_address",
    "authority_website",
    "authority_reason",
    "measures",
    "translations",
    "processing",
    "scc",
    "notices",
)


def recipient_record(recipient: Recipient) -> dict[str, Any]:
    """A recipient as plain JSON-able data (the shape versions freeze)."""
    record = {name: getattr(recipient, name) for name in RECIPIENT_FIELDS}
    record["role"] = str(recipient.role)
    record["pipa_relationship"] = str(recipient.pipa_relationship)
    record["list_style"] = str(recipient.list_style)
    return json.loads(json.dumps(record, default=str))


def company_record(company: Company | None) -> dict[str, Any]:
    if company is None:
        return {name: "" for name in COMPANY_FIELDS} | {
            "measures": {},
            "translations": {},
            "processing": {},
            "scc": {},
            "notices": {},
            "data_subjects": [],
        }
    return json.loads(json.dumps({name: getattr(company, name) for name in COMPANY_FIELDS}))


def country_names(session: Session, codes: set[str]) -> dict[str, dict[str, str]]:
    """{code: {lang: name}} for the codes, frozen into the snapshot with them."""
    from registry.countries import pycountry_name
    from registry.i18n import LANGUAGES

    names = {code: {lang: pycountry_name(code, lang) for lang in LANGUAGES} for code in codes}
    overrides = session.exec(select(CountryName).where(col(CountryName.code).in_(codes)))
    for override in overrides:
        names[override.code][override.lang] = override.name
    return names


def build_snapshot(session: Session) -> dict[str, Any]:
    """The whole draft, as it would be published now."""
    recipients = session.exec(
        select(Recipient)
        .where(Recipient.status == RecipientStatus.ACTIVE)
        .order_by(col(Recipient.position), col(Recipient.slug))
    ).all()
    from registry.services.translation_status import current_only

    # A stale translation is never frozen: the version shows the English instead.
    records = [current_only(recipient_record(r), r.translation_sources) for r in recipients]
    codes = {code for r in records for code in r["destinations"]}
    codes |= {r["corporate_country"] for r in records if r["corporate_country"]}
    from registry.regimes.reference import frozen_reference, frozen_settings

    codes |= {code for r in records for entry in r["onward"] for code in entry["countries"]}
    return {
        "schema": SNAPSHOT_SCHEMA,
        "company": _current_company(session.get(Company, 1)),
        "recipients": records,
        "countries": country_names(session, codes),
        "adequacy": adequacy_of(session, codes),
        "reference": frozen_reference(session, codes),
        "regime_settings": frozen_settings(session),
    }


def adequacy_of(session: Session, codes: set[str]) -> dict[str, dict[str, Any]]:
    """{code: {decision, scope, translations}} of the EU adequacy decisions covering whole
    countries."""
    from registry.models import AdequacyDecision

    rows = session.exec(
        select(AdequacyDecision).where(
            col(AdequacyDecision.country).in_(codes),
            AdequacyDecision.requires_dpf == False,  # noqa: E712
        )
    )
    return {
        row.country: {
            "decision": row.decision,
            "scope": row.scope,
            "translations": dict(row.translations or {}),
        }
        for row in rows
        if row.country
    }


def _current_company(company: Company | None) -> dict[str, Any]:
    from registry.services.translation_status import current_only

    record = company_record(company)
    return record if company is None else current_only(record, company.translation_sources)


def canonical_json(data: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same data always gives the same bytes."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
