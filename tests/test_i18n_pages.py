"""Pages in the reader's language (?lang=, then the cookie, then Accept-Language); no English."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.routes import HTTPRoute
from pypdf import PdfReader

from registry.enums import MeasureHeading, UserRole
from registry.i18n import LANGUAGES
from registry.presentation import (
    is_item_fallback,
    long_date,
    prose_list,
    query_for_language,
    translated_item,
)
from tests.support.admin import make_user, sign_in
from tests.support.catalog import english_ui_strings, texts_in

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
NOT_PAGES = ("/api", "/schema", "/static", "/health")
# Pages that need a parameter to mean anything, with the one a real link carries.
PAGE_PARAMS = {"/objections/new": {"version": "1"}}


def public_pages(client: Any) -> list[str]:
    """Every GET route without parameters outside the API: today's pages and tomorrow's."""
    paths = {
        route.path
        for route in client.app.routes
        if isinstance(route, HTTPRoute)
        and "GET" in route.methods
        and "{" not in route.path
        and not route.path.startswith(NOT_PAGES)
    }
    return sorted(paths)


def test_every_page_answers_200_in_each_language(client: Any, engine: Any) -> None:
    """No page is skipped: the public ones as anyone, the admin ones signed in."""
    sign_in(client, make_user(engine, UserRole.ADMIN))
    failures = [
        (path, lang, response.status_code)
        for path in public_pages(client)
        for lang in LANGUAGES
        if (
            response := client.get(path, params={"lang": lang} | PAGE_PARAMS.get(path, {}))
        ).status_code
        != 200
    ]
    assert failures == []


def test_every_page_in_korean_shows_no_english_ui_string(client: Any, engine: Any) -> None:
    sign_in(client, make_user(engine, UserRole.ADMIN))
    checked = []
    for path in public_pages(client):
        response = client.get(path, params={"lang": "ko"} | PAGE_PARAMS.get(path, {}))
        assert response.status_code == 200, path
        kind = response.headers.get("content-type", "")
        if kind.startswith("text/html"):
            texts = texts_in(response.text, "ko")
        elif kind.startswith("application/pdf"):
            reader = PdfReader(io.BytesIO(response.content))
            texts = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
        else:
            continue
        checked.append(path)
        assert english_ui_strings(texts) == [], path
    assert "/" in checked and "/admin/recipients" in checked


def test_korean_table_reads_entirely_in_korean(client: Any) -> None:
    soup = BeautifulSoup(client.get("/?lang=ko").text, "html.parser")
    cells = soup.select("table.transfers tbody td")
    assert len(cells) == 7 * 4
    assert [cell.get_text() for cell in cells if not HANGUL.search(cell.get_text())] == []
    assert soup.select(".fallback") == []
    aws = soup.select_one("#recipient-aws")
    assert aws is not None
    assert [td.get_text(strip=True) for td in aws.select("td")] == [
        "미국",
        "서버 인프라 운영, 데이터 저장 및 백업",
        "서비스 이용 기록, 접속 로그 및 명령 실행 기록",
        "회원 탈퇴 시 또는 위탁계약 종료 시까지",
    ]


def test_missing_korean_translation_shows_english_visibly_marked(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    recipient = client.get("/api/v1/draft/recipients/google", headers=editor_headers).json()
    assert recipient["translations"]["ko"]["purposes"]
    changed = client.patch(  # a PATCH merges translations field by field; null removes one
        "/api/v1/draft/recipients/google",
        json={"translations": {"ko": {"purposes": None, "destination_note": None}}},
        headers=editor_headers,
    )
    assert changed.status_code == 200
    refused = client.post(
        "/api/v1/publications",
        json={"summary": "Google purposes untranslated"},
        headers=editor_headers,
    )
    assert refused.status_code == 422  # the checklist wants the Korean first
    # A version published before the checklist existed (or imported) may still lack it:
    from registry.db import transaction
    from registry.services import versions as version_service

    with transaction(engine) as session:
        version_service.publish(
            session,
            summary="Google purposes untranslated",
            effective_at=date.today(),  # noqa: DTZ011
            notice_days=0,
            actor="test",
        )
    soup = BeautifulSoup(client.get("/?lang=ko").text, "html.parser")
    row = soup.select_one("#recipient-google")
    assert row is not None
    marked = [(span["lang"], span.get_text()) for span in row.select(".fallback")]
    assert marked == [
        ("en", "(default), other locations depending on Google server placement"),
        ("en", "Service usage monitoring, usage statistics analysis"),
    ]
    assert [tag.get_text() for tag in row.select(".fallback-tag")] == ["영문", "영문"]
    assert row.select("td")[0].get_text(" ", strip=True).startswith("미국")
    note = soup.select_one(".fallback-note")
    assert note is not None and "영문" in note.get_text()
    # In English nothing is a fallback.
    assert BeautifulSoup(client.get("/?lang=en").text, "html.parser").select(".fallback") == []


def test_query_lang_sets_the_language_cookie(client: Any) -> None:
    response = client.get("/?lang=ko")
    assert response.headers["content-language"] == "ko"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("lang=ko;") and "Path=/" in cookie and "SameSite=Lax" in cookie
    # The switch's next page, without ?lang=, stays in Korean.
    follow = client.get("/")
    assert follow.headers["content-language"] == "ko"
    assert "set-cookie" not in follow.headers


def test_cookie_outranks_accept_language_and_query_outranks_cookie(client: Any) -> None:
    client.cookies.set("lang", "ko")
    page = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert BeautifulSoup(page.text, "html.parser").html["lang"] == "ko"
    switched = client.get("/?lang=en")
    assert BeautifulSoup(switched.text, "html.parser").html["lang"] == "en"
    assert switched.headers["set-cookie"].startswith("lang=en;")


def test_accept_language_is_honoured_without_query_or_cookie(client: Any) -> None:
    korean = client.get("/", headers={"Accept-Language": "fr;q=0.9, ko-KR;q=0.8, en;q=0.1"})
    assert korean.headers["content-language"] == "ko"
    assert "set-cookie" not in korean.headers
    english = client.get("/", headers={"Accept-Language": "de, fr"})
    assert english.headers["content-language"] == "en"


def test_cached_page_varies_by_language(client: Any) -> None:
    english = client.get("/?lang=en")
    korean = client.get("/?lang=ko")
    assert english.headers["etag"] != korean.headers["etag"]
    assert "Cookie" in korean.headers["vary"] and "Accept-Language" in korean.headers["vary"]
    stale = client.get("/?lang=en", headers={"If-None-Match": korean.headers["etag"]})
    assert stale.status_code == 200 and stale.headers["content-language"] == "en"


def test_language_switch_links_every_language(client: Any) -> None:
    soup = BeautifulSoup(client.get("/?lang=ko").text, "html.parser")
    switch = soup.select("nav.lang a")
    assert [(a["hreflang"], a["href"]) for a in switch] == [("en", "?lang=en"), ("ko", "?lang=ko")]
    assert [a["hreflang"] for a in switch if a.get("aria-current")] == ["ko"]


def test_dates_and_lists_follow_the_locale() -> None:
    assert long_date(date(2026, 11, 29), "ko") == "2026년 11월 29일"
    assert long_date(date(2026, 11, 29), "en") == "November 29, 2026"
    assert prose_list(["가", "나", "다"], "series_and", "ko") == "가, 나 및 다"
    assert prose_list(["가", "나", "다"], "commas", "ko") == "가, 나, 다"


def test_seed_company_reads_in_korean_including_every_annex_ii_measure(client: Any) -> None:
    company = client.get("/api/v1/registry").json()["company"]
    korean = company["translations"]["ko"]
    assert set(korean["measures"]) == {heading.value for heading in MeasureHeading}
    assert all(HANGUL.search(text) for text in korean["measures"].values())
    assert HANGUL.search(korean["activities"]) and HANGUL.search(korean["authority_name"])


def test_keyed_content_falls_back_entry_by_entry() -> None:
    company = {
        "measures": {"event_logging": "Logs kept", "data_quality": "Users correct their data"},
        "translations": {"ko": {"measures": {"event_logging": "기록 보관"}}},
    }
    assert translated_item(company, "measures", "event_logging", "ko") == "기록 보관"
    assert translated_item(company, "measures", "data_quality", "ko") == "Users correct their data"
    assert not is_item_fallback(company, "measures", "event_logging", "ko")
    assert is_item_fallback(company, "measures", "data_quality", "ko")
    assert not is_item_fallback(company, "measures", "data_quality", "en")


def test_language_switch_keeps_the_page_parameters_it_is_given() -> None:
    assert query_for_language({}, "ko") == "lang=ko"
    assert query_for_language({"version": 3, "lang": "en", "x": ""}, "ko") == "version=3&lang=ko"
    assert query_for_language({"exporter_name": "A & B"}, "en") == "exporter_name=A+%26+B&lang=en"
