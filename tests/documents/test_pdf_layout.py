"""Every PDF keeps every word on its page and inside its cell, in English and Korean."""

from __future__ import annotations

import re
from typing import Any

import pytest
from bs4 import BeautifulSoup

from registry.db import read_session
from registry.documents import DocumentMeta, Exporter, render_html
from registry.services import versions
from tests.documents.conftest import add_recipient, publish
from tests.support.pdf_layout import layout_problems, pages_of

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
PUNCTUATION = ",.·:;()[]“”\"'/"
#: The running header and footer (page numbers) live in these margins, in points.
TOP, BOTTOM = 24 * 72 / 25.4, 22 * 72 / 25.4

LONG_EXPORTER = {
    "exporter_name": "Aktiengesellschaft für Datenverarbeitungsdienstleistungen und Beratung mbH",
    "exporter_address": "Sehr-lange-Strasse-mit-Bindestrichen-ohne-Leerzeichen 123456789, Berlin",
    "exporter_contact": "datenschutzbeauftragter.der.gesellschaft@sehr-lange-domain.example",
}

DOCUMENTS = [
    ("/transfers.pdf", {}),
    ("/annexes.pdf", {}),
    ("/annexes.pdf", LONG_EXPORTER | {"exporter_role": "processor", "exporter_country": "DE"}),
]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(("path", "params"), DOCUMENTS)
def test_every_word_of_the_seed_documents_stays_on_its_page_and_in_its_cell(
    client: Any, path: str, params: dict[str, str], lang: str
) -> None:
    response = client.get(path, params=params | {"lang": lang})
    assert response.status_code == 200
    assert layout_problems(response.content) == []


def test_a_recipient_with_long_unbroken_values_stays_inside_its_cells(
    client: Any, editor_headers: dict[str, str]
) -> None:
    add_recipient(
        client,
        editor_headers,
        name="Internationalisierungsdienstleistungsgesellschaft GmbH",
        contact="https://example.com/a/very/long/path/to/the/privacy/contact/form?with=query&and=more",
        retention="Bis-zur-Beendigung-des-Vertragsverhältnisses-und-Ablauf-gesetzlicher-Fristen",
        data_categories=["Pseudonymisierte-Nutzungskennungen-und-Geräteinformationen"],
    )
    number = publish(client, editor_headers)
    for path in ("/transfers.pdf", "/annexes.pdf"):
        for lang in ("en", "ko"):
            response = client.get(path, params={"version": number, "lang": lang})
            assert layout_problems(response.content) == [], (path, lang)


def _html_of(client: Any, kind: str) -> str:
    """The HTML page WeasyPrint printed for the version in force, in Korean."""
    with read_session(client.app.state.engine) as session:
        version = versions.get_version(session, 1)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        return render_html(kind, versions.snapshot_of(version), meta, "ko", Exporter())


@pytest.mark.parametrize("kind", ["transfers", "annexes"])
def test_korean_words_are_never_split_inside_a_word(client: Any, kind: str) -> None:
    """Each Korean word printed in the PDF is a whole word of the same document's text."""
    text = BeautifulSoup(_html_of(client, kind), "html.parser").get_text(" ")
    whole = {token.strip(PUNCTUATION) for token in text.split()}
    pdf = client.get(f"/{kind}.pdf", params={"lang": "ko"}).content
    printed = [
        word.text.strip(PUNCTUATION)
        for page in pages_of(pdf)
        for word in page.words
        if HANGUL.search(word.text) and TOP < word.y0 < page.height - BOTTOM
    ]
    assert printed, "the Korean PDF printed no Korean words"
    split = sorted({word for word in printed if word and word not in whole})
    assert split == []


def test_the_layout_check_notices_a_word_off_the_page() -> None:
    """The check itself: a PDF with a word past the right edge is reported."""
    from weasyprint import HTML

    body = HTML(
        string='<html><body style="margin:0"><p style="margin-left:190mm;white-space:nowrap;'
        'font-family:NanumGothic">terminationterminationtermination</p></body></html>'
    ).write_pdf()
    problems = layout_problems(body)
    assert problems and "leaves the printable width" in problems[0]
