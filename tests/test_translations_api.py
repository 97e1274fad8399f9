"""The API's `translations` field: languages and fields checked like the English ones."""

from __future__ import annotations

from typing import Any

import pytest

NEW = {
    "name": "Example, Inc.",
    "destinations": ["JP"],
    "purposes": ["Email delivery"],
    "data_categories": ["Email"],
    "retention": "Until membership withdrawal",
}


def test_translations_are_stored_field_by_field_and_empty_ones_dropped(
    client: Any, editor_headers: Any
) -> None:
    body = NEW | {"translations": {"ko": {"purposes": ["이메일 발송"], "retention": ""}}}
    created = client.post("/api/v1/draft/recipients", json=body, headers=editor_headers)
    assert created.status_code == 201
    assert created.json()["translations"] == {"ko": {"purposes": ["이메일 발송"]}}


@pytest.mark.parametrize(
    ("translations", "field"),
    [
        ({"fr": {"purposes": ["Envoi"]}}, "translations"),
        ({"en": {"purposes": ["Email"]}}, "translations"),
        ({"ko": {"purpose": ["이메일 발송"]}}, "translations.ko.purpose"),
        ({"ko": {"purposes": "이메일 발송"}}, "translations.ko.purposes"),
        ({"ko": {"retention": ["보유"]}}, "translations.ko.retention"),
        ({"ko": {"retention": "가" * 301}}, "translations.ko.retention"),
        ({"ko": {"retention": "첫 줄\n둘째 줄"}}, "translations.ko.retention"),
        ({"ko": {"data_categories": [""]}}, "translations.ko.data_categories.0"),
        ({"ko": {"slug": "x"}}, "translations.ko.slug"),
        ({"ko": "이메일"}, "translations.ko"),
        (["ko"], "translations"),
    ],
)
def test_bad_translations_are_answered_400_naming_the_field(
    client: Any, editor_headers: Any, translations: Any, field: str
) -> None:
    for response in (
        client.post(
            "/api/v1/draft/recipients",
            json=NEW | {"translations": translations},
            headers=editor_headers,
        ),
        client.patch(
            "/api/v1/draft/recipients/auth0",
            json={"translations": translations},
            headers=editor_headers,
        ),
    ):
        assert response.status_code == 400
        assert [item["key"] for item in response.json()["extra"]][:1] == [field]
