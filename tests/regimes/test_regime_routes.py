"""The regimes over HTTP: `/documents/{regime}(.pdf)`, the documents page, the API report."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from registry import regimes
from tests.documents.conftest import pdf_text

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

SLUGS = [r.slug for r in regimes.all_regimes()]


@pytest.mark.parametrize("slug", SLUGS)
def test_every_regime_is_served_as_html_and_pdf_with_its_stamp(client: Any, slug: str) -> None:
    html = client.get(f"/documents/{slug}?lang=en")
    assert html.status_code == 200
    assert html.headers["content-type"].startswith("text/html")
    soup = BeautifulSoup(html.text, "html.parser")
    assert soup.select_one(".doc-instrument") is not None
    pdf = client.get(f"/documents/{slug}.pdf?version=1&lang=en")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{slug}-v1-en.pdf"'
    text = pdf_text(pdf.content)
    version = client.get("/api/v1/versions/1").json()
    assert "Version 1" in text and version["content_hash"] in text
    again = client.get(f"/documents/{slug}.pdf?version=1&lang=en")
    assert again.content == pdf.content and again.headers["etag"] == pdf.headers["etag"]


def test_the_exporter_fills_in_the_regimes_that_take_one(client: Any) -> None:
    query = "exporter_name=Acme%20GmbH&exporter_address=Berlin&lang=en"
    uk = BeautifulSoup(client.get(f"/documents/uk-addendum?{query}").text, "html.parser")
    assert "Acme GmbH" in uk.get_text(" ")
    kr = client.get(f"/documents/kr-pipa?{query}")
    assert kr.status_code == 200 and "Acme GmbH" not in kr.text


def test_an_unknown_regime_is_404_naming_the_known_ones(client: Any) -> None:
    for path in ("/documents/us-ccpa", "/documents/us-ccpa.pdf"):
        response = client.get(path)
        assert response.status_code == 404
        assert "uk-addendum" in response.json()["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("exporter_name=" + "x" * 201, "exporter_name"),
        ("exporter_contact=a%00b", "exporter_contact"),
        ("version=abc", "version"),
        ("as_of=29-11-2026", "as_of"),
    ],
)
def test_bad_parameters_are_400_naming_the_field(client: Any, query: str, field: str) -> None:
    response = client.get(f"/documents/ch-fadp.pdf?{query}")
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == field


def test_a_version_that_does_not_exist_is_404(client: Any) -> None:
    assert client.get("/documents/jp-appi?version=99").status_code == 404
    assert client.get("/api/v1/versions/99/regimes").status_code == 404


def test_the_documents_page_has_a_place_for_each_regime(client: Any) -> None:
    soup = BeautifulSoup(client.get("/documents?lang=en").text, "html.parser")
    for slug in SLUGS:
        card = soup.select_one(f"#regime-{slug}")
        assert card is not None, slug
        form = card.select_one("form")
        assert form is not None and form["action"] == f"/documents/{slug}.pdf"
        has_exporter = card.select_one("input[name=exporter_name]") is not None
        assert has_exporter == regimes.get(slug).exporter


def test_the_api_reports_each_regime_with_what_it_lacks(client: Any) -> None:
    response = client.get("/api/v1/versions/1/regimes")
    assert response.status_code == 200
    body = response.json()
    assert [r["regime"] for r in body] == SLUGS
    for report in body:
        assert set(report) == {
            "regime",
            "title",
            "instrument",
            "complete",
            "missing",
            "html",
            "pdf",
        }
        assert report["complete"] == (report["missing"] == [])
        assert report["pdf"] == f"/documents/{report['regime']}.pdf?version=1"
        for gap in report["missing"]:
            assert set(gap) == {"recipient", "field", "message"} and gap["message"]
    by_slug = {r["regime"]: r for r in body}
    assert by_slug["kr-pipa"]["complete"] is True
    jp_fields = {g["field"] for g in by_slug["jp-appi"]["missing"]}
    assert "reference.jp_appi_country.US" in jp_fields
    openapi = client.get("/schema/openapi.json").json()
    assert "/api/v1/versions/{number}/regimes" in openapi["paths"]


def test_the_draft_report_needs_a_token_and_follows_the_draft(
    client: Any, editor_headers: dict[str, str], viewer_headers: dict[str, str]
) -> None:
    assert client.get("/api/v1/draft/regimes").status_code == 401
    current = client.get("/api/v1/draft/recipients/aws", headers=editor_headers).json()
    body = {"transfer_timing": "", "version_id": current["version_id"]}
    assert (
        client.patch("/api/v1/draft/recipients/aws", json=body, headers=editor_headers).status_code
        == 200
    )
    draft = {
        r["regime"]: r for r in client.get("/api/v1/draft/regimes", headers=viewer_headers).json()
    }
    assert {"recipient": "aws", "field": "transfer_timing"} in [
        {"recipient": g["recipient"], "field": g["field"]} for g in draft["kr-pipa"]["missing"]
    ]
    published = {r["regime"]: r for r in client.get("/api/v1/versions/1/regimes").json()}
    assert published["kr-pipa"]["complete"] is True
