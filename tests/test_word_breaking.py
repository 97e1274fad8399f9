"""Korean words stay whole and long tokens wrap: in pages, emails and (tests/documents) PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from registry.documents.wordbreak import MAX_KEPT, keep_korean_words
from registry.templating import TEMPLATES_DIR

SITE_CSS = Path(__file__).resolve().parents[1] / "registry" / "static" / "site.css"


@pytest.mark.parametrize("path", sorted((TEMPLATES_DIR / "email").glob("*.html")), ids=str)
def test_every_html_email_keeps_words_whole_and_wraps_long_tokens(path: Path) -> None:
    body = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").body
    assert body is not None
    style = body.get("style", "")
    assert "word-break: keep-all" in style
    assert "overflow-wrap: anywhere" in style


def test_the_site_style_keeps_korean_words_whole() -> None:
    css = SITE_CSS.read_text(encoding="utf-8")
    assert ":lang(ko) { word-break: keep-all; }" in css
    assert "body { overflow-wrap: anywhere; }" in css


def test_korean_words_are_wrapped_for_the_pdf_but_tags_and_titles_are_not() -> None:
    html = (
        '<html><head><title>개인정보 처리</title></head><body><p title="위탁 계약">위탁계약 종료 시'
        "까지 Auth0</p><style>p::after { content: '가'; }</style>"
        f"<p>{'가' * (MAX_KEPT + 1)}</p></body></html>"
    )
    out = keep_korean_words(html)
    assert "<title>개인정보 처리</title>" in out
    assert 'title="위탁 계약"' in out
    assert '<span class="kw">위탁계약</span> <span class="kw">종료</span>' in out
    assert "Auth0</p>" in out
    assert "content: '가'" in out
    assert f"<p>{'가' * (MAX_KEPT + 1)}</p>" in out
