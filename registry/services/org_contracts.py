"""An organisation's contract, beyond its notice period: the addresses to notify, the
objection window where it differs, the countries and recipients (services) it uses,
the language of its notices, and the DPA it signed (date, and the version signed against).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from registry.errors import InvalidInput
from registry.i18n import LANGUAGES
from registry.models import Organisation, OrganisationContact, RegistryVersion
from registry.notices import scopes
from registry.notices.subscriptions import normalise_email
from registry.services.audit import record_change

MAX_CONTACTS = 20


@dataclass
class Terms:
    contacts: list[str] = field(default_factory=list)
    objection_days: int | None = None
    lang: str = "en"
    countries: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    dpa_signed_on: date | None = None
    dpa_version: int | None = None


def _contacts(raw: list[str]) -> list[str]:
    emails: list[str] = []
    for value in raw:
        try:
            address = normalise_email(value)
        except InvalidInput:
            raise InvalidInput("contacts", f"{value[:80]!r} is not an email address") from None
        if address not in emails:
            emails.append(address)
    if len(emails) > MAX_CONTACTS:
        raise InvalidInput("contacts", f"at most {MAX_CONTACTS} addresses")
    return emails


def save_terms(
    session: Session, organisation: Organisation, terms: Terms, *, actor: str, today: date
) -> None:
    """Replace the organisation's contract terms, checked; recorded in the change log."""
    contacts = _contacts(terms.contacts)
    if terms.objection_days is not None and not 0 <= terms.objection_days <= 365:
        raise InvalidInput("objection_days", "must be a number of days from 0 to 365")
    if terms.lang not in LANGUAGES:
        raise InvalidInput("lang", f"must be one of {', '.join(LANGUAGES)}")
    if terms.dpa_signed_on is not None and terms.dpa_signed_on > today:
        raise InvalidInput("dpa_signed_on", "cannot be in the future")
    if terms.dpa_version is not None and session.get(RegistryVersion, terms.dpa_version) is None:
        raise InvalidInput("dpa_version", f"version {terms.dpa_version} does not exist")
    scope = scopes.parse_scope(terms.countries, terms.recipients)
    before = terms_of(session, organisation)
    organisation.objection_days = terms.objection_days
    organisation.lang = terms.lang
    organisation.dpa_signed_on = terms.dpa_signed_on
    organisation.dpa_version = terms.dpa_version
    session.add(organisation)
    oid = organisation.id
    session.execute(
        delete(OrganisationContact).where(col(OrganisationContact.organisation_id) == oid)
    )
    session.add_all(OrganisationContact(organisation_id=oid or 0, email=e) for e in contacts)
    scopes.set_scope(session, scope, organisation_id=oid)
    after = terms_of(session, organisation)
    if after != before:
        record_change(
            session,
            actor=actor,
            action="update",
            object_type="organisation_contract",
            object_key=str(oid),
            before=before,
            after=after,
        )


def contacts_of(session: Session, organisation_id: int) -> list[str]:
    return list(
        session.exec(
            select(OrganisationContact.email)
            .where(OrganisationContact.organisation_id == organisation_id)
            .order_by(col(OrganisationContact.id))
        )
    )


def terms_of(session: Session, organisation: Organisation) -> dict[str, Any]:
    """The contract terms as the API shows them (JSON-able)."""
    scope = scopes.scope_of(session, organisation_id=organisation.id)
    return {
        "contacts": contacts_of(session, organisation.id or 0),
        "objection_days": organisation.objection_days,
        "lang": organisation.lang,
        "countries": list(scope.countries),
        "recipients": list(scope.recipients),
        "dpa_signed_on": organisation.dpa_signed_on.isoformat()
        if organisation.dpa_signed_on
        else None,
        "dpa_version": organisation.dpa_version,
    }
