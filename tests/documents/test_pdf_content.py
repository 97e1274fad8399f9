"""What the PDFs say: every recipient, every annex element, read back with pypdf."""

from __future__ import annotations

import re
from typing import Any

import pytest

from registry.db import read_session
from registry.enums import MeasureHeading
from registry.services import versions
from registry.services.roles import entries
from tests.documents.conftest import add_recipient, holds, pdf_text, publish

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


def _snapshot(client: Any, number: int = 1) -> dict[str, Any]:
    with read_session(client.app.state.engine) as session:
        return versions.snapshot_of(versions.get_version(session, number))


def test_transfers_pdf_holds_every_recipient_and_the_pipa_items(client: Any) -> None:
    response = client.get("/transfers.pdf?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.content)
    snapshot = _snapshot(client)
    for label in (
        "Items transferred",
        "Destination country",
        "When the data is transferred",
        "How the data is transferred",
        "Recipient's contact",
        "Purpose of use",
        "Retention period",
        "Legal relationship",
        "Onward recipients",
        "How to refuse",
        "What refusing means",
        "Entrustment (processing on our behalf)",
    ):
        assert label in text, label
    for recipient in snapshot["recipients"]:
        overseas = any(code != "KR" for code in recipient["destinations"])
        fields = ("name", "contact", "retention")
        if overseas:  # PIPA Art. 28-8(2)'s items; a domestic entrustment (Toss) has none
            fields += ("transfer_timing", "refusal_procedure")
        for field in fields:
            assert holds(text, recipient[field]), (recipient["slug"], field)
    assert "The vendor's own list: https://stripe.com/legal/service-providers" in text
    assert snapshot["recipients"] and "Version 1" in text


def test_annexes_pdf_holds_every_annex_element(client: Any) -> None:
    response = client.get("/annexes.pdf?lang=en")
    assert response.status_code == 200
    text = pdf_text(response.content)
    snapshot = _snapshot(client)
    company = snapshot["company"]
    for heading in (
        "A. List of parties",
        "Data exporter(s)",
        "Data importer(s)",
        "B. Description of transfer",
        "Categories of data subjects",
        "Categories of personal data transferred",
        "Sensitive data transferred",
        "The frequency of the transfer",
        "Nature of the processing",
        "Purpose(s) of the data transfer",
        "The period for which the personal data will be retained",
        "Subject matter",
        "Duration",
        "Location and transfer mechanism",
        "C. Competent supervisory authority",
        "Annex II",
        "Annex III",
        "List of sub-processors",
    ):
        assert heading in text, heading
    for field in ("name", "address", "contact_person", "activities", "authority_name"):
        assert holds(text, company[field]), field
    for subject in company["processing"]["data_subjects"]:  # Annex I.B: what customers send
        assert holds(text, subject), subject
    for heading in MeasureHeading:
        assert holds(text, str(heading.label)), heading
        assert holds(text, company["measures"][heading.value]), heading
    for recipient in entries(snapshot, "sub_processor"):
        for field in ("name", "address", "contact", "processing_nature"):
            assert holds(text, recipient[field]), (recipient["slug"], field)
        for category in recipient["data_categories"][1:]:
            assert category.lower()[1:] in text.lower()
    for field in ("frequency", "nature", "duration"):
        assert holds(text, company["processing"][field]), field
    assert "Standard Contractual Clauses" in text
    assert "Module Two" in text
    for stamp in ("Version 1", "Page 1 of", re.escape(snapshot["recipients"][0]["name"])):
        assert re.search(stamp, text), stamp


def test_every_document_states_version_effective_date_and_hash(client: Any) -> None:
    version = client.get("/api/v1/versions/1").json()
    for path in ("/transfers.pdf", "/annexes.pdf"):
        text = pdf_text(client.get(path + "?lang=en").content)
        assert version["content_hash"] in text.replace(" ", ""), path
        assert "Version 1" in text and "Effective" in text, path
    page = client.get("/annexes?lang=en").text
    assert version["content_hash"] in page


def test_korean_pdf_text_reads_back(client: Any, editor_headers: dict[str, str]) -> None:
    add_recipient(
        client,
        editor_headers,
        name="주식회사 한글분석",
        address="서울특별시 강남구 테헤란로 1",
        retention="회원 탈퇴 시까지",
        translations={"ko": {"retention": "회원 탈퇴 시까지", "purposes": ["분석"]}},
    )
    number = publish(client, editor_headers)
    text = pdf_text(client.get(f"/annexes.pdf?version={number}&lang=ko").content)
    assert holds(text, "주식회사 한글분석")
    assert holds(text, "서울특별시 강남구 테헤란로 1")
    assert holds(text, "회원 탈퇴 시까지")
    assert "년" in text and "월" in text  # the Korean long date of the stamp
    assert "\x00" not in text  # every character had a font
