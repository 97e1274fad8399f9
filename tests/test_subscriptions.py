"""Subscribing: the same answer for every address, double opt-in, limits, managing, leaving."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient
from sqlmodel import select

from registry.app import create_app
from registry.db import read_session, transaction
from registry.enums import OutboxKind, SubscriberStatus
from registry.models import OutboxMessage, Subscriber
from registry.models.base import utcnow
from registry.notices import subscriptions
from registry.notices.subscriptions import RateWindow
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import SmtpSink

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings: Settings, sink: SmtpSink) -> Settings:
    return settings.model_copy(update={"smtp_url": sink.url, "outbox_retry_seconds": 0})


@pytest.fixture
def mail_client(mail_settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(mail_settings), base_url="http://testserver.local") as client:
        yield client


def deliver(engine: Any, settings: Settings) -> None:
    worker = Worker(engine, settings)
    while worker.run_once():
        pass
    worker.close()


def subscriber(engine: Any, address: str) -> Subscriber | None:
    with read_session(engine) as session:
        return session.exec(select(Subscriber).where(Subscriber.email == address)).first()


def link(message: Any, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    found = re.search(r"http://testserver\.local(" + path + r"[^\s]+)", text)
    assert found, text
    return found.group(1)


def test_the_answer_is_the_same_for_known_and_unknown_addresses(mail_client: Any) -> None:
    mail_client.post("/subscribe", data={"email": "known@example.com"}, headers=FORM)
    known = mail_client.post("/subscribe", data={"email": "known@example.com"}, headers=FORM)
    unknown = mail_client.post("/subscribe", data={"email": "new@example.com"}, headers=FORM)
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    as_json = [
        mail_client.post(
            "/subscribe",
            data={"email": address},
            headers=FORM | {"Accept": "application/json"},
        ).json()
        for address in ("known@example.com", "other@example.com")
    ]
    assert as_json[0] == as_json[1]
    assert as_json[0]["status"] == "requested"


def test_double_opt_in_confirms_only_through_the_emailed_link(
    mail_client: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    response = mail_client.post(
        "/subscribe", data={"email": "Ana@Example.com", "lang": "en"}, headers=FORM
    )
    assert "Check your inbox" in BeautifulSoup(response.text, "html.parser").h1.text
    assert sink.received == []  # nothing is sent by the request
    record = subscriber(engine, "ana@example.com")
    assert record is not None and record.status == SubscriberStatus.PENDING
    deliver(engine, mail_settings)
    assert sink.recipients() == ["ana@example.com"]
    confirmation = sink.messages()[0]
    assert "Confirm your subscription" in confirmation["Subject"]
    page = mail_client.get(link(confirmation, "/subscriptions/confirm/"))
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").h1.text == "Subscription confirmed"
    record = subscriber(engine, "ana@example.com")
    assert record is not None and record.status == SubscriberStatus.CONFIRMED


def test_a_forged_or_mangled_confirmation_link_confirms_nothing(
    mail_client: Any, engine: Any
) -> None:
    mail_client.post("/subscribe", data={"email": "bo@example.com"}, headers=FORM)
    record = subscriber(engine, "bo@example.com")
    assert record is not None
    response = mail_client.get(
        f"/subscriptions/confirm/{record.public_id}.AAAAAAAAAAAAAAAAAAAAAAAA"
    )
    assert response.status_code == 404
    assert subscriber(engine, "bo@example.com").status == SubscriberStatus.PENDING  # type: ignore[union-attr]


def test_an_address_gets_at_most_three_confirmations_a_day(mail_client: Any, engine: Any) -> None:
    for _ in range(6):
        answer = mail_client.post("/subscribe", data={"email": "flood@example.com"}, headers=FORM)
        assert answer.status_code == 200
    with read_session(engine) as session:
        owed = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.CONFIRMATION)
        ).all()
    assert len(owed) == 3


def test_one_client_ip_is_limited_per_hour(settings: Settings) -> None:
    limited = settings.model_copy(update={"subscribe_ip_limit": 2})
    with TestClient(app=create_app(limited), base_url="http://testserver.local") as client:
        codes = [
            client.post("/subscribe", data={"email": f"x{i}@example.com"}, headers=FORM).status_code
            for i in range(3)
        ]
    assert codes == [200, 200, 429]


def test_an_invalid_address_is_400_naming_the_field(mail_client: Any) -> None:
    response = mail_client.post(
        "/subscribe",
        data={"email": "not an address"},
        headers=FORM | {"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "email"
    # A person at the form gets a page saying what is wrong with the address, not JSON.
    page = mail_client.post("/subscribe", data={"email": "not an address"}, headers=FORM)
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert "not a valid email address" in page.text


def test_the_public_page_has_a_subscribe_form_without_a_per_user_token(client: Any) -> None:
    page = BeautifulSoup(client.get("/").text, "html.parser")
    # A short box near the top and the full form with the (optional) scope below.
    forms = page.find_all("form", attrs={"action": "/subscribe"})
    assert len(forms) == 2
    fields = []
    for form in forms:
        assert form["method"] == "post"
        fields.append(sorted({field["name"] for field in form.find_all("input")}))
    assert fields == [["email", "lang"], ["countries", "email", "lang", "recipients"]]


def confirmed_with_mail(mail_client: Any, engine: Any, settings: Settings, sink: SmtpSink) -> Any:
    mail_client.post("/subscribe", data={"email": "cy@example.com"}, headers=FORM)
    deliver(engine, settings)
    mail_client.get(link(sink.messages()[-1], "/subscriptions/confirm/"))
    return sink.messages()[-1]


def test_unsubscribe_get_asks_and_changes_nothing_then_one_click_post_leaves(
    mail_client: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    confirmation = confirmed_with_mail(mail_client, engine, mail_settings, sink)
    manage = link(confirmation, "/subscriptions/manage/")
    unsubscribe = manage.replace("/manage/", "/unsubscribe/")
    asked = mail_client.get(unsubscribe)
    assert asked.status_code == 200
    form = BeautifulSoup(asked.text, "html.parser").find("form")
    assert form["method"] == "post" and form["action"].endswith(unsubscribe)
    assert subscriber(engine, "cy@example.com").status == SubscriberStatus.CONFIRMED  # type: ignore[union-attr]
    # RFC 8058: a bare POST with the one-click body, no cookie, no token: 200, no redirect.
    response = mail_client.post(
        unsubscribe,
        content=b"List-Unsubscribe=One-Click",
        headers=FORM,
        follow_redirects=False,
    )
    assert response.status_code == 200
    assert subscriber(engine, "cy@example.com").status == SubscriberStatus.UNSUBSCRIBED  # type: ignore[union-attr]


def test_the_manage_page_changes_the_language(
    mail_client: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    confirmation = confirmed_with_mail(mail_client, engine, mail_settings, sink)
    manage = link(confirmation, "/subscriptions/manage/")
    page = BeautifulSoup(mail_client.get(manage).text, "html.parser")
    assert page.find("select", attrs={"name": "lang"}) is not None
    assert mail_client.post(manage, data={"lang": "ko"}, headers=FORM).status_code == 200
    assert subscriber(engine, "cy@example.com").lang == "ko"  # type: ignore[union-attr]


def test_an_address_of_254_characters_is_taken_and_one_of_255_refused(
    mail_client: Any, engine: Any
) -> None:
    local = "a" * 64 + "@"
    longest = local + "x" * 60 + "." + "y" * 60 + "." + "z" * 63 + ".com"
    assert len(longest) == 254
    answers = [
        mail_client.post(
            "/subscribe",
            data={"email": f"  {address.upper()} ", "organisation": "Acme " + "o" * 300},
            headers=FORM | {"Accept": "application/json"},
        )
        for address in (longest, longest.replace(".com", ".coms"))
    ]
    assert answers[0].status_code == 200
    assert answers[1].status_code == 400
    assert answers[1].json()["extra"][0]["key"] == "email"
    record = subscriber(engine, longest)  # trimmed and lower-cased
    assert record is not None
    assert record.organisation == ("Acme " + "o" * 300)[:200]
    assert subscriber(engine, longest.replace(".com", ".coms")) is None


def test_an_unknown_language_falls_back_to_english(mail_client: Any, engine: Any) -> None:
    mail_client.post("/subscribe", data={"email": "fr@example.com", "lang": "fr"}, headers=FORM)
    record = subscriber(engine, "fr@example.com")
    assert record is not None and record.lang == "en"


def test_a_confirmation_link_expires_after_14_days(
    mail_client: Any, engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    for address in ("late@example.com", "intime@example.com"):
        mail_client.post("/subscribe", data={"email": address}, headers=FORM)
    deliver(engine, mail_settings)
    links = {m["To"]: link(m, "/subscriptions/confirm/") for m in sink.messages()}
    with transaction(engine) as session:
        for address, age in (("late@example.com", 14.01), ("intime@example.com", 13.99)):
            row = session.exec(select(Subscriber).where(Subscriber.email == address)).one()
            row.confirmation_sent_at = utcnow() - timedelta(days=age)
    assert mail_client.get(links["late@example.com"]).status_code == 404
    assert subscriber(engine, "late@example.com").status == SubscriberStatus.PENDING  # type: ignore[union-attr]
    assert mail_client.get(links["intime@example.com"]).status_code == 200
    record = subscriber(engine, "intime@example.com")
    assert record is not None and record.status == SubscriberStatus.CONFIRMED
    assert record.confirmed_at is not None and utcnow() - record.confirmed_at < timedelta(minutes=1)
    # Following it again changes nothing and still shows the confirmation.
    assert mail_client.get(links["intime@example.com"]).status_code == 200


def test_the_confirmation_limit_is_per_day_and_starts_again_the_next(engine: Any) -> None:
    start = utcnow()
    sent = []
    for hours in (0, 1, 2, 3, 26, 26.01, 27, 28, 29):
        with transaction(engine) as session:
            subscriptions.subscribe(
                session, email="day@example.com", lang="en", now=start + timedelta(hours=hours)
            )
        with read_session(engine) as session:
            sent.append(
                len(
                    session.exec(
                        select(OutboxMessage).where(OutboxMessage.recipient == "day@example.com")
                    ).all()
                )
            )
    # Three a day; the count restarts more than a day (not exactly a day) after the last sent.
    assert sent == [1, 2, 3, 3, 3, 4, 5, 6, 6]


def test_the_per_client_limit_is_per_key_and_forgets_the_least_recent_keys() -> None:
    window = RateWindow(limit=2, max_keys=2)
    assert [window.allow("a"), window.allow("a"), window.allow("a")] == [True, True, False]
    assert window.allow("b") is True
    assert window.allow("a") is False  # "a" is now the most recently seen
    assert window.allow("c") is True  # a third key: "b", the least recent, is forgotten
    assert window.allow("b") is True  # forgotten, so counted afresh; now "a" is the least recent
    assert window.allow("a") is True


def test_the_per_client_limit_remembers_at_most_10000_clients() -> None:
    window = RateWindow(limit=1)
    assert all(window.allow(f"client-{n}") for n in range(10_001))
    assert window.allow("client-10000") is False  # still remembered
    assert window.allow("client-0") is True  # the oldest of 10,001 was forgotten


def test_a_subscriber_keeps_the_language_chosen_on_the_form(mail_client: Any, engine: Any) -> None:
    mail_client.post("/subscribe", data={"email": "ko@example.com", "lang": "ko"}, headers=FORM)
    record = subscriber(engine, "ko@example.com")
    assert record is not None and record.lang == "ko"
    with read_session(engine) as session:
        [owed] = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == "ko@example.com")
        ).all()
    assert owed.lang == "ko"
    refused = mail_client.post(
        "/subscribe",
        data={"email": "no-at-sign"},
        headers=FORM | {"Accept": "application/json"},
    )
    assert refused.json()["extra"][0]["message"] == "is not an email address"
