"""A change inside a dict-valued field reads as what changed, in English and Korean.

Mechanisms per country with labels, no phantom remove-and-add of an unchanged
entry, and never a placeholder ("(updated; see the documents)") in the notice
text, the notice HTML (/changes and the Atom feed share it).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from registry.i18n import language
from registry.services.diff import diff_snapshots, is_empty
from registry.templating import build_environment

COUNTRIES = {
    "US": {"en": "United States", "ko": "미국"},
    "JP": {"en": "Japan", "ko": "일본"},
}
BASE: dict[str, Any] = {
    "slug": "acme",
    "name": "Acme, Inc.",
    "destinations": ["US"],
    "mechanisms": {"US": {"mechanism": "scc", "scc_module": "3"}},
    "services": ["Acme Mail"],
    "service_roles": {"Acme Mail": "sub_processor"},
    "service_details": {"Acme Mail": {"purposes": ["Sending email"]}},
    "translations": {"ko": {"retention": "30일"}},
    "explicit_values": {"sensitive_data": {"value": "none", "set_by": "a", "set_on": "2026-01-01"}},
}
PLACEHOLDERS = ("(updated; see the documents)", "(갱신됨; 문서 참조)", "see the documents")


def snap(**changes: Any) -> dict[str, Any]:
    record = copy.deepcopy(BASE) | changes
    return {"company": {"name": "AlpacaX"}, "recipients": [record], "countries": COUNTRIES}


def rendered(diff: dict[str, Any], lang: str) -> tuple[str, str]:
    env = build_environment()
    text = env.from_string(
        '{% from "email/_diff.txt" import diff_text %}{{ diff_text(diff, countries) }}'
    )
    html = env.from_string(
        '{% from "_macros/changes.html" import diff_html %}{{ diff_html(diff, countries) }}'
    )
    with language(lang):
        return (
            text.render(diff=diff, countries=COUNTRIES),
            html.render(diff=diff, countries=COUNTRIES),
        )


def test_a_mechanism_added_for_a_country_reads_as_added_with_its_label() -> None:
    after = snap(
        destinations=["US", "JP"],
        mechanisms={"US": {"mechanism": "scc", "scc_module": "3"}, "JP": {"mechanism": "adequacy"}},
    )
    diff = diff_snapshots(snap(), after)
    [field] = [f for f in diff["changed"][0]["fields"] if f["field"] == "mechanisms"]
    assert field["entries"] == [
        {"path": ["JP"], "change": "added", "old": None, "new": {"mechanism": "adequacy"}}
    ]
    text, html = rendered(diff, "en")
    for out in (text, html):
        assert "Japan: EU adequacy decision (added)" in out
        assert "United States" not in out.split("Transfer mechanisms")[1].split("\n\n")[0]
    text_ko, html_ko = rendered(diff, "ko")
    for out in (text_ko, html_ko):
        assert "일본: EU 적정성 결정 (추가)" in out and "(added)" not in out


def test_a_changed_mechanism_reads_as_old_to_new_for_its_country() -> None:
    diff = diff_snapshots(snap(), snap(mechanisms={"US": {"mechanism": "dpf"}}))
    text, _html = rendered(diff, "en")
    assert "United States: Standard Contractual Clauses (" in text
    assert "→ EU-US Data Privacy Framework" in text


def test_a_removed_mechanism_reads_as_removed() -> None:
    before = snap(
        destinations=["US", "JP"],
        mechanisms={"US": {"mechanism": "scc", "scc_module": "3"}, "JP": {"mechanism": "adequacy"}},
    )
    text, _html = rendered(diff_snapshots(before, snap()), "en")
    assert "Japan: EU adequacy decision (removed)" in text


def test_an_unchanged_mechanism_with_empty_keys_is_no_change() -> None:
    """The same mechanism saved with blank sub-fields is not removed and added again."""
    after = snap(
        mechanisms={
            "US": {"mechanism": "scc", "scc_module": "3", "note": "", "dpf_checked_on": None}
        }
    )
    assert is_empty(diff_snapshots(snap(), after))


def test_an_explicit_value_restamped_is_no_change() -> None:
    after = snap(
        explicit_values={"sensitive_data": {"value": "none", "set_by": "b", "set_on": "2026-02-02"}}
    )
    assert is_empty(diff_snapshots(snap(), after))


@pytest.mark.parametrize(
    ("changes", "expected_en", "expected_ko"),
    [
        (
            {"translations": {"ko": {"retention": "60일"}}},
            "Korean · Retention period: 30일 → 60일",
            "한국어 · 보유 및 이용 기간: 30일 → 60일",
        ),
        (
            {"service_roles": {"Acme Mail": "processor"}},
            "Acme Mail: Sub-processor → Processor",
            "Acme Mail: ",
        ),
        (
            {"service_details": {"Acme Mail": {"purposes": ["Sending email", "Support"]}}},
            "Acme Mail · Purposes of use: Sending email → Sending email, Support",
            "Acme Mail · ",
        ),
        (
            {"explicit_values": {"sensitive_data": {"value": "not_applicable"}}},
            "Sensitive data: None → Not applicable",
            "해당 없음",
        ),
    ],
)
def test_each_dict_field_reads_as_what_changed(
    changes: dict[str, Any], expected_en: str, expected_ko: str
) -> None:
    diff = diff_snapshots(snap(), snap(**changes))
    assert not is_empty(diff)
    for lang, expected in (("en", expected_en), ("ko", expected_ko)):
        text, html = rendered(diff, lang)
        assert expected in text, text
        assert expected.replace("→", "→") in html
        for out in (text, html):
            assert not any(p in out for p in PLACEHOLDERS), out


def test_a_whole_dict_value_reads_without_a_placeholder() -> None:
    """A company field that is a dict (measures) reads entry by entry, not as a placeholder."""
    before, after = snap(), snap()
    after["company"] = {"name": "AlpacaX", "measures": {"encryption": "TLS 1.3"}}
    diff = diff_snapshots(before, after)
    text, html = rendered(diff, "en")
    assert "TLS 1.3 (added)" in text and "TLS 1.3 (added)" in html
    assert not any(p in text + html for p in PLACEHOLDERS)


def test_the_diff_keeps_its_json_keys() -> None:
    diff = diff_snapshots(snap(), snap(retention="1 year"))
    [field] = diff["changed"][0]["fields"]
    assert set(field) == {"field", "old", "new"}
    assert set(diff) >= {"added", "removed", "changed", "company_changes", "new_destinations"}
