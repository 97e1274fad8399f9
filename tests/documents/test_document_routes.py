"""The document routes: versions, personalisation, caching, time limit, escaping."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import read_session
from registry.documents import DocumentMeta, Exporter, render_html, render_pdf
from registry.services import versions
from registry.settings import Settings
from tests.documents.conftest import add_recipient, pdf_text, publish, today

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


def _render_again(client: Any, number: int, lang: str = "en") -> bytes:
    """Render a version's annexes PDF from the database, bypassing every cache."""
    with read_session(client.app.state.engine) as session:
        version = versions.get_version(session, number)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        return render_pdf("annexes", versions.snapshot_of(version), meta, lang, Exporter())


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("version=0", 400, "version"),
        ("version=-1", 400, "version"),
        ("version=abc", 400, "version"),
        ("version=99", 404, None),
        ("as_of=2026-13-01", 400, "as_of"),
        ("as_of=yesterday", 400, "as_of"),
        ("as_of=2000-01-01", 404, None),
    ],
)
def test_bad_version_or_date_is_refused(client: Any, query: str, status: int, field: Any) -> None:
    for path in ("/annexes", "/annexes.pdf", "/transfers.pdf"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == status, (path, response.text)
        if field:
            assert field in response.json()["detail"]


def test_as_of_picks_the_version_in_force_that_day(client: Any) -> None:
    response = client.get(f"/annexes?as_of={today()}&lang=en")
    assert response.status_code == 200
    assert "Version 1" in BeautifulSoup(response.text, "html.parser").select_one(".doc-stamp").text


@pytest.mark.parametrize("field", ["exporter_name", "exporter_address", "exporter_contact"])
def test_personalisation_too_long_or_with_control_characters_is_400(
    client: Any, field: str
) -> None:
    for value in ("x" * 501, "Acme\x07GmbH", "Acme\nGmbH"):
        response = client.get("/annexes.pdf", params={field: value})
        assert response.status_code == 400
        assert field in response.json()["detail"]


def test_exporter_details_fill_annex_1a_escaped(client: Any) -> None:
    params = {
        "exporter_name": "<b>Acme</b> & Söhne GmbH",
        "exporter_address": "Hauptstraße 1, 10115 Berlin",
        "exporter_contact": "Jane Roe, DPO, dpo@acme.example",
        "lang": "en",
    }
    page = client.get("/annexes", params=params)
    soup = BeautifulSoup(page.text, "html.parser")
    exporter = soup.select_one("#exporter")
    assert exporter is not None and exporter.find("b") is None
    cells = [td.text for td in exporter.select("td.fill")]
    assert cells[:3] == [
        params["exporter_name"],
        params["exporter_address"],
        params["exporter_contact"],
    ]
    pdf = client.get("/annexes.pdf", params=params)
    assert "attachment" in pdf.headers["content-disposition"]
    text = pdf_text(pdf.content)
    for key in ("exporter_name", "exporter_address", "exporter_contact"):
        assert params[key] in text


def test_markup_in_a_recipient_is_escaped_in_html_and_pdf(
    client: Any, editor_headers: dict[str, str]
) -> None:
    evil = '<script>alert("x")</script> Evil & Co'
    add_recipient(client, editor_headers, name=evil, contact="<img src=x onerror=alert(1)>")
    number = publish(client, editor_headers)
    page = client.get(f"/annexes?version={number}&lang=en")
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.find("script") is None and soup.find("img") is None
    assert evil in soup.text
    text = pdf_text(client.get(f"/transfers.pdf?version={number}&lang=en").content)
    assert evil in text and "<img src=x onerror=alert(1)>" in text


def test_old_version_pdf_is_byte_identical_after_later_publications(
    client: Any, editor_headers: dict[str, str]
) -> None:
    before = client.get("/annexes.pdf?version=1&lang=en").content
    add_recipient(client, editor_headers)
    publish(client, editor_headers)
    changed = client.patch(
        "/api/v1/draft/recipients/aws",
        json={"retention": "Ten years", "translations": {"ko": {"retention": "10년"}}},
        headers=editor_headers,
    )
    assert changed.status_code == 200, changed.text
    publish(client, editor_headers)
    assert client.get("/annexes.pdf?version=1&lang=en").content == before
    assert _render_again(client, 1) == before


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


@pytest.mark.parametrize("kind", ["transfers", "annexes"])
def test_html_and_pdf_of_a_document_hold_the_same_text(client: Any, kind: str) -> None:
    with read_session(client.app.state.engine) as session:
        version = versions.get_version(session, 1)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        snapshot = versions.snapshot_of(version)
    html = render_html(kind, snapshot, meta, "en")
    soup = BeautifulSoup(html, "html.parser")
    for node in soup.select("[data-screen-only], title, head"):
        node.decompose()
    html_words = _words(soup.get_text(" "))
    pdf_words = _words(pdf_text(render_pdf(kind, snapshot, meta, "en")))
    assert html_words <= pdf_words, html_words - pdf_words
    # The PDF adds only the running "Page N of M".
    assert {w for w in pdf_words - html_words if not w.isdigit()} <= {"Page"}


def test_pdf_has_etag_304_and_content_disposition(client: Any) -> None:
    first = client.get("/transfers.pdf?lang=en")
    assert first.status_code == 200
    assert first.headers["content-disposition"] == 'attachment; filename="transfers-v1-en.pdf"'
    etag = first.headers["etag"]
    again = client.get("/transfers.pdf?lang=en", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_a_repeat_download_costs_no_render_even_after_a_restart(
    client: Any, settings: Settings
) -> None:
    documents = client.app.state.documents
    body = client.get("/annexes.pdf?lang=en").content
    renders = documents.renders
    assert client.get("/annexes.pdf?lang=en").content == body
    assert documents.renders == renders
    with TestClient(app=create_app(settings)) as restarted:
        assert restarted.get("/annexes.pdf?lang=en").content == body
        assert restarted.app.state.documents.renders == 0
    assert list((settings.var_dir / "cache" / "documents").glob("*.pdf"))


def test_a_render_over_the_time_limit_is_503_while_the_site_answers(settings: Settings) -> None:
    slow = settings.model_copy(update={"render_timeout_seconds": 0.001})
    with TestClient(app=create_app(slow)) as client:
        response = client.get("/annexes.pdf?lang=en")
        assert response.status_code == 503
        assert response.headers["retry-after"]
        assert client.get("/health").json() == {"status": "ok"}
        assert client.get("/").status_code == 200


def test_documents_page_offers_every_version_language_and_the_exporter_form(
    client: Any, editor_headers: dict[str, str]
) -> None:
    add_recipient(client, editor_headers)
    publish(client, editor_headers)
    soup = BeautifulSoup(client.get("/documents?lang=en").text, "html.parser")
    annexes = soup.select_one("form#annexes-form")
    transfers = soup.select_one("form#transfers-form")
    assert annexes["method"] == "post" and annexes["action"] == "/documents"  # data not in URLs
    assert transfers["action"] == "/transfers.pdf"
    formats = [b["value"] for b in annexes.select("button[name=format]")]
    assert formats == ["pdf", "html"]
    options = [o["value"] for o in annexes.select("select[name=version] option")]
    assert options == ["2", "1"]
    assert [o["value"] for o in annexes.select("select[name=lang] option")] == ["en", "ko"]
    for name in ("exporter_name", "exporter_address", "exporter_contact"):
        field = annexes.select_one(f"input[name={name}]")
        assert field is not None and int(field["maxlength"]) > 0
        assert soup.select_one(f"label[for={field['id']}]") is not None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Acme GmbH", 'filename="annexes-v1-acme-gmbh-ko.pdf"'),
        ("Société Générale S.A.", 'filename="annexes-v1-societe-generale-s-a-ko.pdf"'),
    ],
)
def test_a_personalised_annex_file_is_named_for_its_exporter(
    client: Any, name: str, expected: str
) -> None:
    response = client.get("/annexes.pdf", params={"exporter_name": name, "lang": "ko"})
    assert response.headers["content-disposition"] == f"attachment; {expected}"


def test_an_exporter_named_in_korean_gets_a_key_and_the_exact_name_for_clients_that_read_it(
    client: Any,
) -> None:
    response = client.get("/annexes.pdf", params={"exporter_name": "주식회사 가나다", "lang": "ko"})
    disposition = response.headers["content-disposition"]
    assert re.search(r'filename="annexes-v1-[0-9a-f]{8}-ko\.pdf"', disposition)
    assert "filename*=UTF-8''annexes-v1-%EC%A3%BC" in disposition
