"""Hostile input through every field of the API: refused with a 4xx naming the field,
or stored exactly and escaped wherever it is shown (HTML, JSON)."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.test_diff import NEW_RECIPIENT

URL = "/api/v1/draft/recipients"

CORPUS = {
    "script": "<script>alert('x')</script>",
    "attribute": '"><img src=x onerror=alert(1)>',
    "sql": "'; DROP TABLE recipient; --",
    "csv-formula": '=HYPERLINK("http://evil.example","click")',
    "template": "{{ 7*7 }}{% raw %}",
    "rtl-override": "abc\u202edcba\u202c",
    "zero-width": "zero\u200bwidth\u200djoin",
    "astral": "llama 🦙 and 𝕏 and 𠜎",
    "nul": "nul\x00byte",
    "oversize": "x" * 100_000,
}
ALWAYS_REFUSED = {"nul", "oversize"}
TEXT_FIELDS = [
    "name", "display_name", "address", "contact", "website", "destination_note",
    "sensitive_data", "sensitive_safeguards", "retention", "transfer_timing",
    "transfer_method", "frequency", "processing_nature",
    "refusal_procedure", "refusal_consequences",
]  # fmt: skip
LIST_FIELDS = ["services", "purposes", "data_categories", "data_subjects"]


@pytest.mark.parametrize("kind", sorted(CORPUS))
def test_each_field_refuses_or_stores_exactly(client: Any, editor_headers: Any, kind: str) -> None:
    """NUL bytes and oversize text are refused in every field (400 naming it, nothing
    stored); every other hostile text is stored exactly as sent, in every field."""
    value = CORPUS[kind]
    for index, field in enumerate(TEXT_FIELDS + LIST_FIELDS):
        payload = dict(NEW_RECIPIENT, slug=f"hostile-{index}")
        payload[field] = [value] if field in LIST_FIELDS else value
        response = client.post(URL, json=payload, headers=editor_headers)
        if kind in ALWAYS_REFUSED:
            assert response.status_code == 400, (field, response.text[:300])
            assert field in response.json()["detail"], (field, response.text[:300])
            assert client.get(f"{URL}/hostile-{index}", headers=editor_headers).status_code == 404
            continue
        assert response.status_code == 201, (field, response.text[:300])
        stored = client.get(f"{URL}/hostile-{index}", headers=editor_headers).json()[field]
        assert stored == payload[field], field


def test_hostile_text_is_escaped_on_the_public_page(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    from datetime import UTC, datetime

    hostile = NEW_RECIPIENT | {
        "slug": "hostile",
        "name": CORPUS["script"],
        "services": [CORPUS["attribute"]],
        "purposes": [CORPUS["template"]],
        "data_categories": [CORPUS["csv-formula"], CORPUS["astral"]],
        "retention": CORPUS["rtl-override"],
        "destination_note": CORPUS["sql"],
    }
    assert client.post(URL, json=hostile, headers=editor_headers).status_code == 201
    from registry.db import transaction
    from tests.support.legal import complete_recipient

    with transaction(engine) as session:  # Korean and the other places' mechanism, as legal would
        complete_recipient(session, "hostile")
    today = datetime.now(UTC).date().isoformat()
    published = client.post(
        "/api/v1/publications",
        json={"summary": CORPUS["script"], "effective_at": today, "short_notice_reason": "Now"},
        headers=editor_headers,
    )
    assert published.status_code == 201
    html = client.get("/").text
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find("script") and not soup.find("img")
    row = soup.select_one("#recipient-hostile")
    assert row is not None
    text = row.get_text()
    for value in (CORPUS["script"], CORPUS["attribute"], CORPUS["template"], CORPUS["astral"]):
        assert value in text
    assert "49" not in text  # the template text was not evaluated
    api = client.get("/api/v1/registry").json()
    (record,) = [r for r in api["recipients"] if r["slug"] == "hostile"]
    assert record["name"] == CORPUS["script"]
    assert record["data_categories"] == [CORPUS["csv-formula"], CORPUS["astral"]]
    assert api["summary"] == CORPUS["script"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", "Acme\x00"), ("note", "a\x00b"), ("contacts", ["a\x00@example.org"]),
     ("lang", "e\x00"), ("countries", ["D\x00"]), ("recipients", ["s\x00"])],
)  # fmt: skip
def test_an_organisation_with_a_nul_is_refused_naming_the_field(
    client: Any, editor_headers: Any, field: str, value: Any
) -> None:
    """PostgreSQL cannot store a NUL; the API refuses it (400 naming the field), on create
    and on change, and nothing is written."""
    url = "/api/v1/organisations"
    created = client.post(url, json={"name": "Acme", "notice_days": 30}, headers=editor_headers)
    assert created.status_code == 201, created.text
    organisation = created.json()
    for method, target in (("POST", url), ("PUT", f"{url}/{organisation['id']}")):
        payload = {"name": "Other", "notice_days": 10, field: value}
        response = client.request(method, target, json=payload, headers=editor_headers)
        assert response.status_code == 400, (method, response.text[:300])
        assert field in response.text, (method, response.text[:300])
    assert client.get(url, headers=editor_headers).json() == [organisation]
