"""Scopes: who follows what, and whether a publication's diff touches it.

A subscriber (or an organisation) with no `NoticeScope` rows hears of every
publication. With rows, it hears of one only when the diff touches them: a
recipient in scope added, removed or changed; or a country in scope added to or
removed from any recipient's destinations or onward recipients. The decision is
one SQL condition (`audience`), so publishing to many subscribers stays a single
INSERT … SELECT. A scope by role ("sub-processors only") is one more kind: add
it to `KINDS`, to `Touched` and to `audience`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_
from sqlmodel import Session, col, select

from registry.countries import UnknownCountry, normalise_code
from registry.errors import InvalidInput
from registry.models import NoticeScope
from registry.schemas import SLUG_RE
from registry.services.onward import onward_countries

COUNTRY, RECIPIENT = "country", "recipient"
KINDS = (COUNTRY, RECIPIENT)
MAX_ITEMS = 100


@dataclass(frozen=True)
class Scope:
    countries: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()

    @property
    def everything(self) -> bool:
        return not (self.countries or self.recipients)

    def as_dict(self) -> dict[str, list[str]]:
        return {"countries": list(self.countries), "recipients": list(self.recipients)}


@dataclass(frozen=True)
class Touched:
    """What one diff touches: recipients by slug, countries by ISO code."""

    slugs: frozenset[str] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)

    def reaches(self, scope: Scope) -> bool:
        return (
            scope.everything
            or bool(self.slugs.intersection(scope.recipients))
            or bool(self.countries.intersection(scope.countries))
        )


def touched(diff: dict[str, Any]) -> Touched:
    slugs: set[str] = set()
    countries: set[str] = set()
    for record in diff["added"] + diff["removed"]:
        slugs.add(record["slug"])
        countries.update(record.get("destinations", []))
        for entry in record.get("onward") or []:
            countries.update(entry.get("countries", []))
    for change in diff["changed"]:
        slugs.add(change["slug"])
        countries.update(change["added_destinations"], change["removed_destinations"])
        countries.update(onward_countries(change))
    return Touched(frozenset(slugs), frozenset(countries))


def audience(owner_column: Any, owner_id: Any, touch: Touched) -> ColumnElement[bool]:
    """SQL: the owner (subscriber or organisation) follows everything or something touched.

    Uncorrelated `IN (subquery)` rather than `EXISTS`: each subquery runs once per
    publication, not once per subscriber (measured in tests/benchmarks/bench_contracts.py).
    """
    owners = select(owner_column).where(col(owner_column).is_not(None))
    matches = []
    if touch.countries:
        matches.append(
            and_(
                col(NoticeScope.kind) == COUNTRY,
                col(NoticeScope.value).in_(sorted(touch.countries)),
            )
        )
    if touch.slugs:
        matches.append(
            and_(
                col(NoticeScope.kind) == RECIPIENT, col(NoticeScope.value).in_(sorted(touch.slugs))
            )
        )
    unscoped = col(owner_id).not_in(owners)
    if not matches:
        return unscoped
    return or_(unscoped, col(owner_id).in_(owners.where(or_(*matches))))


def parse_scope(countries: Iterable[str], recipients: Iterable[str]) -> Scope:
    """Scope from user input; InvalidInput naming the field at the first bad value."""
    codes: list[str] = []
    for raw in _items(countries):
        try:
            code = normalise_code(raw)
        except UnknownCountry:
            raise InvalidInput("countries", f"{raw[:20]!r} is not a country code") from None
        if code not in codes:
            codes.append(code)
    slugs: list[str] = []
    for raw in _items(recipients):
        slug = raw.lower()
        if not re.fullmatch(SLUG_RE, slug):
            raise InvalidInput("recipients", f"{raw[:70]!r} is not a recipient's slug")
        if slug not in slugs:
            slugs.append(slug)
    if len(codes) > MAX_ITEMS or len(slugs) > MAX_ITEMS:
        raise InvalidInput("countries" if len(codes) > MAX_ITEMS else "recipients", "too many")
    return Scope(tuple(codes), tuple(slugs))


def _items(values: Iterable[str]) -> list[str]:
    """Repeatable fields, each also allowed to hold a comma-separated list."""
    out = []
    for value in values:
        out += [part.strip() for part in str(value).replace(";", ",").split(",") if part.strip()]
    return out


def scope_of(
    session: Session, *, subscriber_id: int | None = None, organisation_id: int | None = None
) -> Scope:
    rows = session.exec(select(NoticeScope).where(*_owner(subscriber_id, organisation_id))).all()
    return Scope(
        tuple(r.value for r in rows if r.kind == COUNTRY),
        tuple(r.value for r in rows if r.kind == RECIPIENT),
    )


def scopes_of_organisations(session: Session) -> dict[int, Scope]:
    rows = session.exec(
        select(NoticeScope).where(col(NoticeScope.organisation_id).is_not(None))
    ).all()
    grouped: dict[int, tuple[list[str], list[str]]] = {}
    for r in rows:
        countries, recipients = grouped.setdefault(r.organisation_id or 0, ([], []))
        (countries if r.kind == COUNTRY else recipients).append(r.value)
    return {oid: Scope(tuple(c), tuple(s)) for oid, (c, s) in grouped.items()}


def set_scope(
    session: Session,
    scope: Scope,
    *,
    subscriber_id: int | None = None,
    organisation_id: int | None = None,
) -> None:
    """Replace the owner's scope (empty: everything)."""
    session.execute(delete(NoticeScope).where(*_owner(subscriber_id, organisation_id)))
    for kind, values in ((COUNTRY, scope.countries), (RECIPIENT, scope.recipients)):
        for value in values:
            session.add(
                NoticeScope(
                    subscriber_id=subscriber_id,
                    organisation_id=organisation_id,
                    kind=kind,
                    value=value,
                )
            )
    session.flush()


def _owner(subscriber_id: int | None, organisation_id: int | None) -> list[Any]:
    if (subscriber_id is None) == (organisation_id is None):
        raise ValueError("a scope belongs to one subscriber or one organisation")
    if subscriber_id is not None:
        return [NoticeScope.subscriber_id == subscriber_id]
    return [NoticeScope.organisation_id == organisation_id]


def choices(snapshot: dict[str, Any], lang: str) -> dict[str, Any]:
    """What the scope fields offer: the recipients and destination countries in force."""
    from registry.presentation import country_name

    recipients = [
        (r["slug"], r.get("display_name") or r["name"]) for r in snapshot.get("recipients", [])
    ]
    codes = sorted({c for r in snapshot.get("recipients", []) for c in r["destinations"]})
    names = snapshot.get("countries", {})
    countries = [(code, country_name(code, names, lang)) for code in codes]
    return {"recipients": recipients, "countries": countries, "country_codes": codes}


def scope_on_subscribe(session: Session, email: str, scope: Scope) -> None:
    """The scope asked for with a subscription, kept while it waits for confirmation.

    A confirmed subscriber's scope changes only on its manage page: the public form
    must not let anyone narrow someone else's notices.
    """
    from registry.enums import SubscriberStatus
    from registry.models import Subscriber
    from registry.notices.subscriptions import normalise_email

    subscriber = session.exec(
        select(Subscriber).where(Subscriber.email == normalise_email(email))
    ).first()
    if subscriber is not None and subscriber.status == SubscriberStatus.PENDING:
        set_scope(session, scope, subscriber_id=subscriber.id)


def manage_context(state: Any, subscriber: Any, lang: str) -> dict[str, Any]:
    """The manage page's scope fields: the choices in force and the subscriber's scope."""
    from sqlalchemy.orm import object_session

    from registry.errors import NotFound
    from registry.services import versions

    session = object_session(subscriber)
    if session is None:
        return {}
    try:
        snapshot = versions.snapshot_of(versions.version_in_force(session))  # type: ignore[arg-type]
    except NotFound:  # no version in force yet: no choices
        snapshot = {}
    scope = scope_of(session, subscriber_id=subscriber.id)  # type: ignore[arg-type]
    offered = choices(snapshot, lang)
    return {
        "scope_choices": offered,
        "scope": scope.as_dict(),
        "scope_names": scope_names(scope, offered, lang),
    }


def scope_names(scope: Scope, offered: dict[str, Any], lang: str) -> list[str]:
    """The scope as its reader names it: "Stripe, Japan", never the slugs and codes stored."""
    from registry.countries import pycountry_name

    recipients = dict(offered.get("recipients", []))
    countries = dict(offered.get("countries", []))
    return [recipients.get(slug, slug) for slug in scope.recipients] + [
        countries.get(code) or pycountry_name(code, lang) for code in scope.countries
    ]


def filter_entries(context: dict[str, Any], scope: Scope) -> dict[str, Any]:
    """The feed's entries whose diff touches `scope` (all of them when it is empty)."""
    if scope.everything:
        return context
    entries = [e for e in context["entries"] if touched(e["diff"]).reaches(scope)]
    return context | {"entries": entries}


def query_string(scope: Scope) -> str:
    """`?country=JP&recipient=stripe` for a scope ('' for everything), for the feed's id."""
    from urllib.parse import urlencode

    pairs = [("country", c) for c in scope.countries] + [("recipient", r) for r in scope.recipients]
    return "?" + urlencode(pairs) if pairs else ""
