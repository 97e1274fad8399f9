"""Translations bound to their English: a changed English makes its Korean stale until updated."""

from __future__ import annotations

from typing import Any

from registry.db import transaction
from registry.services import draft
from registry.services.checklist import draft_checklist
from registry.services.company import get_company, update_company, validate_company
from registry.services.snapshot import build_snapshot, company_record
from registry.services.versions import publish

NEW_RETENTION = "15 months from collection"
OLD_KO = "회원 탈퇴 시 또는 위탁계약 종료 시까지"


def _translation_items(engine: Any) -> list[tuple[str | None, str, str]]:
    with transaction(engine) as session:
        return [
            (item.recipient, item.field, item.problem)
            for item in draft_checklist(session)
            if item.field.startswith("translations.")
        ]


def test_the_seed_has_every_translation_current(engine: Any) -> None:
    assert _translation_items(engine) == []


def test_changing_the_english_makes_its_korean_stale_and_the_checklist_names_it(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    answer = client.patch(
        "/api/v1/draft/recipients/datadog",
        json={"retention": NEW_RETENTION},
        headers=editor_headers,
    )
    assert answer.status_code == 200
    assert answer.json()["translation_status"] == {"ko": {"retention": "stale"}}
    assert answer.json()["translations"]["ko"]["retention"] == OLD_KO  # kept for legal to edit
    assert _translation_items(engine) == [("datadog", "translations.ko.retention", "stale")]


def test_updating_the_korean_clears_the_stale_mark(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    client.patch(
        "/api/v1/draft/recipients/datadog",
        json={"retention": NEW_RETENTION},
        headers=editor_headers,
    )
    answer = client.patch(
        "/api/v1/draft/recipients/datadog",
        json={"translations": {"ko": {"retention": "수집일부터 15개월"}}},
        headers=editor_headers,
    )
    assert answer.json()["translation_status"] == {}
    assert answer.json()["translations"]["ko"]["purposes"]  # a PATCH merges field by field
    assert _translation_items(engine) == []


def test_confirming_a_korean_text_against_the_new_english_clears_it(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    client.patch(
        "/api/v1/draft/recipients/datadog",
        json={"retention": "Until membership withdrawal or termination of the entrusted contract."},
        headers=editor_headers,
    )
    assert _translation_items(engine) != []
    answer = client.patch(
        "/api/v1/draft/recipients/datadog",
        json={"confirm_translations": ["ko.retention"]},
        headers=editor_headers,
    )
    assert answer.json()["translation_status"] == {}
    assert _translation_items(engine) == []


def test_a_put_that_resends_the_old_korean_beside_new_english_leaves_it_stale(
    client: Any, editor_headers: Any
) -> None:
    body = client.get("/api/v1/draft/recipients/datadog", headers=editor_headers).json()
    body["retention"] = NEW_RETENTION
    answer = client.put("/api/v1/draft/recipients/datadog", json=body, headers=editor_headers)
    assert answer.status_code == 200
    assert answer.json()["translation_status"] == {"ko": {"retention": "stale"}}


def test_english_without_korean_is_missing_where_the_korean_documents_print_it(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    body = {
        "name": "Zoom Video Communications, Inc.",
        "display_name": "Zoom",
        "destinations": ["US"],
        "purposes": ["Customer support calls"],
        "data_categories": ["Name", "Email"],
        "retention": "Until the end of the support contract",
        "translations": {"ko": {"purposes": ["고객 지원 통화"]}},
    }
    created = client.post("/api/v1/draft/recipients", json=body, headers=editor_headers)
    assert created.status_code == 201
    status = created.json()["translation_status"]["ko"]
    assert status["retention"] == "missing"
    assert status["data_categories"] == "missing"
    assert "purposes" not in status and "name" not in status  # names may stay as registered
    assert ("zoom", "translations.ko.retention", "missing") in _translation_items(engine)


def test_a_published_korean_page_never_shows_the_korean_of_the_old_english(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    client.patch(
        "/api/v1/draft/recipients/datadog",
        json={"retention": NEW_RETENTION},
        headers=editor_headers,
    )
    with transaction(engine) as session:  # published without the checklist's gate
        version = publish(
            session,
            summary="Datadog keeps logs 15 months.",
            effective_at=None,
            notice_days=0,
            actor="test",
        )
        number = version.number
    page = client.get(f"/?lang=ko&version={number}").text
    assert OLD_KO not in page.split('id="recipient-datadog"')[1].split("</tr>")[0]
    row = page.split('id="recipient-datadog"')[1].split("</tr>")[0]
    assert NEW_RETENTION in row and 'lang="en"' in row  # the English, marked as such
    pdf = client.get(f"/transfers.pdf?lang=ko&version={number}")
    assert pdf.status_code == 200


def test_company_content_goes_stale_by_field_path(engine: Any) -> None:
    with transaction(engine) as session:
        company = get_company(session)
        values = company_record(company) | {"version_id": company.version_id}
        values.pop("translations")
        values["measures"] = dict(values["measures"]) | {
            "regular_testing": "Penetration tests twice a year."
        }
        update_company(session, validate_company(values), actor="test")
    items = _translation_items(engine)
    assert items == [(None, "translations.ko.measures.regular_testing", "stale")]
    with transaction(engine) as session:
        snapshot = build_snapshot(session)
        assert "regular_testing" not in snapshot["company"]["translations"]["ko"]["measures"]
        assert "event_logging" in snapshot["company"]["translations"]["ko"]["measures"]


def test_a_write_that_changes_nothing_keeps_the_bindings(engine: Any) -> None:
    with transaction(engine) as session:
        recipient = draft.get_recipient(session, "auth0")
        before = dict(recipient.translation_sources["ko"])
        values = draft.recipient_record(recipient) | {"status": "active"}
        draft.replace_recipient(session, "auth0", draft.validate(values), actor="test")
        assert recipient.translation_sources["ko"] == before
