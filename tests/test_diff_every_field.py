"""Every recipient field a version freezes is diffed, and every change reaches the notice.

Parametrized over the snapshot's own field list, so a field added to the
snapshot is covered the day it is added, and a diff that drops one fails here.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from registry.i18n import language
from registry.labels import field_label
from registry.services.diff import diff_snapshots, is_empty
from registry.services.snapshot import RECIPIENT_FIELDS
from registry.templating import build_environment

BEFORE: dict[str, Any] = {
    "slug": "acme",
    "name": "Acme, Inc.",
    "display_name": "Acme",
    "services": ["Acme Mail"],
    "corporate_country": "US",
    "address": "1 Main St, Springfield",
    "contact": "privacy@acme.example",
    "website": "https://acme.example",
    "role": "sub_processor",
    "pipa_relationship": "entrustment",
    "destinations": ["US"],
    "destination_note": "",
    "mechanisms": {"US": {"mechanism": "scc", "scc_module": "3"}},
    "purposes": ["Sending email"],
    "data_categories": ["Email"],
    "data_subjects": ["Users"],
    "sensitive_data": "",
    "sensitive_safeguards": "",
    "retention": "30 days",
    "transfer_timing": "When an email is sent",
    "transfer_method": "HTTPS API",
    "frequency": "Continuous",
    "processing_nature": "Storage and sending",
    "onward_recipients": "",
    "refusal_procedure": "Write to privacy@example.com",
    "refusal_consequences": "Email cannot be sent",
    "list_style": "commas",
    "translations": {"ko": {"retention": "30일"}},
    "onward": [{"name": "Mailer Ltd", "countries": ["US"]}],
    "onward_list_url": "https://acme.example/subprocessors",
    "onward_checked_on": "2026-01-01",
    "service_roles": {"Acme Mail": "sub_processor"},
    "service_details": {"Acme Mail": {"purposes": ["Sending email"]}},
    "pipa_basis": "consent",
    "retention_law": "Commercial Act Art. 33",
    "explicit_values": {"sensitive_data": {"value": "none"}},
}
CHANGED_SAMPLE: dict[type, Any] = {str: "Changed text", list: ["Changed item"]}
SPECIAL = {
    "slug": None,  # the identity of a recipient: a new slug is an addition, not a change
    "role": "processor",
    "pipa_relationship": "third_party_provision",
    "list_style": "and",
    "corporate_country": "DE",
    "destinations": ["US", "JP"],
    "mechanisms": {"US": {"mechanism": "dpf"}},
    "translations": {"ko": {"retention": "60일"}},
    "onward": [{"name": "Mailer Ltd", "countries": ["US", "JP"]}],
    "onward_checked_on": "2026-02-01",
    "service_roles": {"Acme Mail": "processor"},
    "service_details": {"Acme Mail": {"purposes": ["Support"]}},
    "explicit_values": {"sensitive_data": {"value": "not_applicable"}},
}


def record(**changes: Any) -> dict[str, Any]:
    return copy.deepcopy(BEFORE) | changes


def new_value(field: str) -> Any:
    if field in SPECIAL:
        return SPECIAL[field]
    return CHANGED_SAMPLE[type(BEFORE[field])]


def snapshot(recipient: dict[str, Any]) -> dict[str, Any]:
    company = {"name": "AlpacaX Inc."}
    return {"company": company, "recipients": [recipient], "countries": {}}


CHANGEABLE = [f for f in RECIPIENT_FIELDS if f != "slug"]


def test_the_sample_covers_every_frozen_field() -> None:
    assert set(BEFORE) >= set(RECIPIENT_FIELDS)


@pytest.mark.parametrize("field", CHANGEABLE)
def test_a_change_to_each_field_is_in_the_diff_with_old_and_new(field: str) -> None:
    value = new_value(field)
    diff = diff_snapshots(snapshot(record()), snapshot(record(**{field: value})))
    assert not is_empty(diff)
    [change] = diff["changed"]
    [reported] = change["fields"]
    assert {k: reported[k] for k in ("field", "old", "new")} == {
        "field": field,
        "old": BEFORE[field],
        "new": value,
    }


@pytest.mark.parametrize("field", CHANGEABLE)
def test_a_change_to_each_field_is_named_in_the_notice_text(field: str) -> None:
    diff = diff_snapshots(snapshot(record()), snapshot(record(**{field: new_value(field)})))
    env = build_environment()
    template = env.from_string(
        '{% from "email/_diff.txt" import diff_text %}{{ diff_text(diff, countries) }}'
    )
    with language("en"):
        text = template.render(diff=diff, countries={})
        label = field_label(field)
    assert label != field, f"{field} has no label of its own"
    assert label in text
    assert "(updated; see the documents)" not in text
    assert "(none) → (none)" not in text
    if isinstance(BEFORE[field], str) and field not in SPECIAL:
        assert "Changed text" in text
        if BEFORE[field]:
            assert BEFORE[field] in text


def test_an_unchanged_snapshot_diffs_empty() -> None:
    assert is_empty(diff_snapshots(snapshot(record()), snapshot(record())))


def test_a_change_after_an_added_recipient_is_still_seen() -> None:
    newcomer = record(slug="aaa-new", name="New, Inc.")
    diff = diff_snapshots(
        snapshot(record()),
        {"company": {}, "recipients": [newcomer, record(retention="1 year")], "countries": {}},
    )
    assert [r["slug"] for r in diff["added"]] == ["aaa-new"]
    assert [c["slug"] for c in diff["changed"]] == ["acme"]


def test_destinations_dropped_by_a_recipient_are_named() -> None:
    before = snapshot(record(destinations=["US", "JP"]))
    diff = diff_snapshots(before, snapshot(record(destinations=["US"])))
    [change] = diff["changed"]
    assert change["removed_destinations"] == ["JP"] and change["added_destinations"] == []
    assert diff["new_destinations"] == []


def test_a_change_to_the_company_is_in_the_diff() -> None:
    before, after = snapshot(record()), snapshot(record())
    after["company"] = {"name": "AlpacaX Corp."}
    diff = diff_snapshots(before, after)
    assert diff["company_changes"] == [
        {"field": "name", "old": "AlpacaX Inc.", "new": "AlpacaX Corp."}
    ]
    assert not is_empty(diff)


def test_the_first_version_announces_no_new_destination() -> None:
    diff = diff_snapshots(None, snapshot(record()))
    assert [r["slug"] for r in diff["added"]] == ["acme"]
    assert diff["new_destinations"] == [] and diff["company_changes"] == []


def test_a_removal_alone_is_a_change() -> None:
    diff = diff_snapshots(
        snapshot(record()), {"company": {"name": "AlpacaX Inc."}, "recipients": []}
    )
    assert [r["slug"] for r in diff["removed"]] == ["acme"] and not is_empty(diff)
