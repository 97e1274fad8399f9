"""Korean readers of the feed and the notice email get Korean, written for them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import transaction
from registry.notices.worker import Worker
from registry.services import draft, versions
from registry.settings import Settings
from tests.support.notices import CONFIRMED_MECHANISM, SmtpSink, add_confirmed

ATOM = "{http://www.w3.org/2005/Atom}"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CATALOG = Path(__file__).parent.parent / "registry/translations/ko/LC_MESSAGES/messages.po"


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


def publish_with_korean_summary(engine: Any) -> int:
    with transaction(engine) as session:
        draft.patch_recipient(
            session,
            "datadog",
            {
                "destinations": ["US", "IN"],
                "mechanisms": {"US": CONFIRMED_MECHANISM, "IN": CONFIRMED_MECHANISM},
            },
            actor="test",
        )
        version = versions.publish(
            session,
            summary="Datadog moves logs to India",
            effective_at=None,
            notice_days=30,
            actor="test",
            translations={"ko": {"summary": "Datadog 로그 보관 국가에 인도 추가"}},
        )
        return version.number


def test_the_korean_feed_is_korean_and_the_default_stays_english(
    settings: Settings, engine: Any
) -> None:
    number = publish_with_korean_summary(engine)
    with TestClient(app=create_app(settings)) as client:
        korean = client.get("/changes.atom?lang=ko")
        english = client.get("/changes.atom", headers={"Accept-Language": "ko"})
        page = client.get("/changes?lang=ko")
    assert korean.status_code == english.status_code == 200
    feed = ET.fromstring(korean.content)  # noqa: S314 (our own feed)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "ko"
    assert feed.find(f"{ATOM}id").text.endswith("/changes.atom?lang=ko")  # type: ignore[union-attr]
    newest = feed.find(f"{ATOM}entry")
    assert newest is not None
    assert newest.find(f"{ATOM}summary").text == "Datadog 로그 보관 국가에 인도 추가"  # type: ignore[union-attr]
    title = newest.find(f"{ATOM}title").text or ""  # type: ignore[union-attr]
    assert title.startswith(f"버전 {number}") and "년" in title and "Version" not in title
    assert "Recipients" not in korean.text and "effective" not in korean.text
    # Feed readers send no language: without ?lang the feed stays English.
    plain = ET.fromstring(english.content)  # noqa: S314 (our own feed)
    assert plain.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert "Datadog moves logs to India" in english.text
    # The Korean page links the Korean feed.
    assert 'href="/changes.atom?lang=ko"' in page.text


def test_an_unknown_feed_language_gets_the_english_feed(settings: Settings, engine: Any) -> None:
    with TestClient(app=create_app(settings)) as client:
        answer = client.get("/changes.atom?lang=xx")
    assert answer.status_code == 200
    assert 'xml:lang="en"' in answer.text


def test_the_korean_notice_subject_is_the_korean_summary(
    settings: Settings, engine: Any, sink: SmtpSink
) -> None:
    mail = settings.model_copy(update={"smtp_url": sink.url, "outbox_retry_seconds": 0})
    add_confirmed(engine, 1, prefix="hangul", lang="ko")
    add_confirmed(engine, 1, prefix="latin", lang="en")
    number = publish_with_korean_summary(engine)
    worker = Worker(engine, mail)
    while worker.run_once():
        pass
    worker.close()
    subjects = {m["To"]: str(make_header(decode_header(m["Subject"]))) for m in sink.messages()}
    korean = subjects["hangul0@example.com"]
    assert "Datadog 로그 보관 국가에 인도 추가" in korean
    assert f"버전 {number}" in korean and "시행" in korean
    assert "Datadog 로그" not in subjects["latin0@example.com"]
    assert "changes to the recipients" in subjects["latin0@example.com"]


def test_no_korean_message_says_pipa() -> None:
    """KOREAN.md rule 5: the law is 「개인정보 보호법」 in Korean text, never "PIPA"."""
    with CATALOG.open("rb") as handle:
        catalog = read_po(handle)
    saying_pipa = [
        message.id
        for message in catalog
        if message.id
        and any(
            "PIPA" in text
            for text in (message.string if isinstance(message.string, tuple) else (message.string,))
            if text
        )
    ]
    assert saying_pipa == []


def test_a_dead_subscription_link_answers_in_the_readers_language(
    settings: Settings, engine: Any
) -> None:
    with TestClient(app=create_app(settings)) as client:
        korean = client.get("/subscriptions/manage/not-a-token?lang=ko")
        by_cookie = client.get("/subscriptions/unsubscribe/not-a-token")  # ?lang=ko set the cookie
        english = TestClient(app=create_app(settings)).get("/subscriptions/manage/not-a-token")
    assert korean.status_code == by_cookie.status_code == english.status_code == 404
    for answer in (korean, by_cookie):
        assert '<html lang="ko"' in answer.text
        assert "이 링크" in answer.text and "This link does not work" not in answer.text
    assert "This link does not work" in english.text


def test_a_bad_address_on_the_korean_subscription_form_gets_a_korean_page(
    settings: Settings, engine: Any
) -> None:
    with TestClient(app=create_app(settings)) as client:
        answer = client.post("/subscribe", data={"email": "bad", "lang": "ko"}, headers=FORM)
        api = client.post(
            "/subscribe",
            data={"email": "bad", "lang": "ko"},
            headers=FORM | {"Accept": "application/json"},
        )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert '<html lang="ko"' in answer.text
    assert "올바른 이메일 주소가 아닙니다" in answer.text
    assert "is not an email address" not in answer.text
    assert api.status_code == 400 and api.json()["extra"][0]["key"] == "email"
