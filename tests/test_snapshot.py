"""What a version freezes (registry/services/snapshot.py), read straight from a real database:
which recipients, in which order, every country they mention with its names and adequacy, the
company with no stale translation, and the canonical bytes and hash."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from registry.countries import pycountry_name
from registry.enums import RecipientStatus
from registry.i18n import LANGUAGES
from registry.models import AdequacyDecision, Company, CountryName, Recipient
from registry.services.snapshot import (
    COMPANY_FIELDS,
    RECIPIENT_FIELDS,
    SNAPSHOT_SCHEMA,
    adequacy_of,
    build_snapshot,
    canonical_json,
    company_record,
    content_hash,
    country_names,
    recipient_record,
)


def _recipient(session: Session, slug: str) -> Recipient:
    return session.exec(select(Recipient).where(Recipient.slug == slug)).one()


def test_only_active_recipients_in_position_then_slug_order(engine: Any) -> None:
    with Session(engine) as session:
        recipients = session.exec(select(Recipient)).all()
        for recipient in recipients:  # two positions, so the slug breaks the ties
            recipient.position = 0 if recipient.slug in ("stripe", "aws", "ipinfo") else 1
        _recipient(session, "datadog").status = RecipientStatus.RETIRED
        session.flush()
        snapshot = build_snapshot(session)
    slugs = [record["slug"] for record in snapshot["recipients"]]
    assert slugs == ["aws", "ipinfo", "stripe", "auth0", "google", "toss-payments"]


def test_a_recipient_is_frozen_with_every_field_as_plain_json(engine: Any) -> None:
    with Session(engine) as session:
        stripe = _recipient(session, "stripe")
        stripe.onward_checked_on = date(2026, 3, 1)
        record = recipient_record(stripe)
    assert list(record) == list(RECIPIENT_FIELDS)
    assert record["role"] == "processor" and isinstance(record["role"], str)
    assert record["slug"] == "stripe" and record["destinations"] == ["US"]
    assert record["onward_checked_on"] == "2026-03-01"  # a date, as ISO text


def test_a_recipients_stale_translation_is_not_frozen(engine: Any) -> None:
    with Session(engine) as session:
        before = build_snapshot(session)["recipients"]
        stripe = _recipient(session, "stripe")
        stripe.retention = stripe.retention + " Longer now."  # the Korean is now stale
        session.flush()
        after = build_snapshot(session)["recipients"]
    old, new = ({r["slug"]: r for r in records}["stripe"] for records in (before, after))
    assert old["translations"]["ko"]["retention"]
    assert "retention" not in new["translations"]["ko"]
    assert new["translations"]["ko"]["purposes"] == old["translations"]["ko"]["purposes"]


def test_every_country_mentioned_is_named_and_no_other(engine: Any) -> None:
    with Session(engine) as session:
        stripe = _recipient(session, "stripe")
        stripe.corporate_country = "IE"
        stripe.destinations = ["US", "JP"]  # a destination nobody is established in
        stripe.onward = [{"name": "A sub-processor", "countries": ["SG"]}]
        _recipient(session, "auth0").corporate_country = ""
        session.flush()
        snapshot = build_snapshot(session)
    records = snapshot["recipients"]
    expected = {code for r in records for code in r["destinations"]}
    expected |= {r["corporate_country"] for r in records if r["corporate_country"]} | {"SG"}
    assert {"IE", "SG"} <= expected and "" not in expected
    assert set(snapshot["countries"]) == expected
    assert set(snapshot) == {
        "schema",
        "company",
        "recipients",
        "countries",
        "adequacy",
        "reference",
        "regime_settings",
    }
    assert snapshot["schema"] == SNAPSHOT_SCHEMA == 1


def test_country_names_in_every_language_with_the_companys_own_names(engine: Any) -> None:
    with Session(engine) as session:
        session.add(CountryName(code="SG", lang="ko", name="싱가포르 공화국"))
        session.flush()
        names = country_names(session, {"SG", "JP"})
        overrides = {
            (row.code, row.lang): row.name
            for row in session.exec(select(CountryName).where(col(CountryName.code) == "JP"))
        }
    assert set(names) == {"SG", "JP"}
    assert names["SG"] == {"en": pycountry_name("SG", "en"), "ko": "싱가포르 공화국"}
    assert set(names["JP"]) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert names["JP"][lang] == overrides.get(("JP", lang), pycountry_name("JP", lang))


def test_adequacy_only_for_whole_countries_and_not_through_the_dpf(engine: Any) -> None:
    with Session(engine) as session:
        session.add(AdequacyDecision(key="org-test", country=None, name="An organisation"))
        session.flush()
        rows = {
            row.country: row
            for row in session.exec(select(AdequacyDecision))
            if row.country in {"JP", "KR", "US", "CH"}
        }
        found = adequacy_of(session, {"JP", "KR", "US", "SG"})
    assert rows["US"].requires_dpf and not rows["JP"].requires_dpf
    assert found == {
        code: {
            "decision": rows[code].decision,
            "scope": rows[code].scope,
            "translations": rows[code].translations,
        }
        for code in ("JP", "KR")
    }
    assert found["JP"]["decision"]  # the seed names the decision, in Korean too
    assert found["JP"]["translations"]["ko"]["decision"] == "결정 (EU) 2019/419"


def test_the_company_is_frozen_without_its_stale_translations(engine: Any) -> None:
    with Session(engine) as session:
        before = build_snapshot(session)["company"]
        company = session.get(Company, 1)
        assert company is not None
        company.activities = company.activities + " And more."  # the Korean is now stale
        session.flush()
        after = build_snapshot(session)["company"]
    assert list(after) == list(COMPANY_FIELDS)
    assert before["translations"]["ko"]["activities"]
    assert "activities" not in after["translations"]["ko"]
    assert (
        after["translations"]["ko"]["contact_person"]
        == (before["translations"]["ko"]["contact_person"])
    )


def test_without_a_company_the_snapshot_freezes_empty_company_values(engine: Any) -> None:
    with Session(engine) as session:
        session.delete(session.get(Company, 1))
        session.flush()
        assert build_snapshot(session)["company"] == company_record(None)


def test_no_company_yet_freezes_empty_values_of_the_right_kinds() -> None:
    assert company_record(None) == {
        "name": "",
        "address": "",
        "contact_person": "",
        "contact_email": "",
        "activities": "",
        "role": "",
        "data_subjects": [],
        "authority_name": "",
        "authority_address": "",
        "authority_website": "",
        "authority_reason": "",
        "measures": {},
        "translations": {},
        "processing": {},
        "scc": {},
        "notices": {},
    }


def test_canonical_json_sorts_keys_without_spaces_and_keeps_text_as_utf8() -> None:
    data = {"b": [1, {"z": None, "a": True}], "a": "Société 서울", "c": 1.5}
    text = canonical_json(data)
    assert text == '{"a":"Société 서울","b":[1,{"a":true,"z":null}],"c":1.5}'
    assert content_hash(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    # SHA-256 of the UTF-8 bytes, as hex (echo -n 서울 | sha256sum)
    assert content_hash("서울") == (
        "ca6c419327ce5a9d7e624ccac8219f676ea74b4c3cd58c6032ed39a8536aca67"
    )
