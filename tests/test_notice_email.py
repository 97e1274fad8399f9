"""The change notice: who gets it, what it says, its parts and headers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient
from sqlmodel import select

from registry.app import create_app
from registry.db import read_session, transaction
from registry.enums import SubscriberStatus
from registry.models import Subscriber
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import SmtpSink, add_confirmed, publish_change

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(settings: Settings, sink: SmtpSink) -> Settings:
    return settings.model_copy(update={"smtp_url": sink.url, "outbox_retry_seconds": 0})


def deliver(engine: Any, settings: Settings) -> None:
    worker = Worker(engine, settings)
    while worker.run_once():
        pass
    worker.close()


def set_status(engine: Any, address: str, status: SubscriberStatus) -> None:
    with transaction(engine) as session:
        row = session.exec(select(Subscriber).where(Subscriber.email == address)).one()
        row.status = status


def notice_for(engine: Any, settings: Settings, sink: SmtpSink) -> tuple[int, Any]:
    add_confirmed(engine, 1, prefix="reader")
    number = publish_change(engine)
    deliver(engine, settings)
    assert sink.recipients() == ["reader0@example.com"]
    return number, sink.messages()[0]


def test_only_confirmed_subscribers_get_the_notice(
    engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 3, prefix="sub")
    set_status(engine, "sub1@example.com", SubscriberStatus.PENDING)
    set_status(engine, "sub2@example.com", SubscriberStatus.UNSUBSCRIBED)
    publish_change(engine)
    deliver(engine, mail_settings)
    assert sink.recipients() == ["sub0@example.com"]


def test_the_notice_has_a_text_and_an_html_part_and_list_headers(
    engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    number, message = notice_for(engine, mail_settings, sink)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    with read_session(engine) as session:
        public_id = session.exec(select(Subscriber.public_id)).one()
    assert message["Message-ID"] == f"<notice.v{number}.{public_id}@localhost>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = message["List-Unsubscribe"]
    assert unsubscribe.startswith("<http://testserver.local/subscriptions/unsubscribe/")
    assert unsubscribe.endswith(">") and "?" not in unsubscribe  # one URL, not encoded words
    assert "version 2" in message["Subject"]


def test_the_notice_says_what_changed_new_countries_first_with_links(
    engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    number, message = notice_for(engine, mail_settings, sink)
    text = message.get_body(("plain",)).get_content()
    assert "takes effect on" in text
    assert text.index("New destination countries: India") < text.index("Added: OpenAI")
    assert "Removed: IPinfo, Inc. (IPinfo Lite)" in text
    assert "Changed: Datadog, Inc." in text
    assert "was: USA" in text and "now: USA, India" in text
    for path in (
        f"/changes#version-{number}",
        f"/transfers.pdf?version={number}",
        f"/annexes.pdf?version={number}",
    ):
        assert f"http://testserver.local{path}" in text
    html = BeautifulSoup(message.get_body(("html",)).get_content(), "html.parser")
    hrefs = {a["href"] for a in html.find_all("a")}
    assert f"http://testserver.local/changes#version-{number}" in hrefs
    assert any("/subscriptions/manage/" in href for href in hrefs)
    assert html.find("ins") is not None and html.find("del") is not None


def test_the_one_click_link_in_the_notice_unsubscribes(
    engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    _number, message = notice_for(engine, mail_settings, sink)
    url = message["List-Unsubscribe"].strip("<>").removeprefix("http://testserver.local")
    with TestClient(app=create_app(mail_settings), base_url="http://testserver.local") as client:
        response = client.post(
            url,
            content=b"List-Unsubscribe=One-Click",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
    assert response.status_code == 200
    with read_session(engine) as session:
        assert session.exec(select(Subscriber.status)).one() == SubscriberStatus.UNSUBSCRIBED
    publish_again = publish_change_twice(engine)
    deliver(engine, mail_settings)
    assert publish_again == 3 and len(sink.received) == 1


def publish_change_twice(engine: Any) -> int:
    from registry.services import draft, versions

    with transaction(engine) as session:
        draft.patch_recipient(session, "aws", {"retention": "Five years"}, actor="test")
        return versions.publish(
            session, summary="AWS retention", effective_at=None, notice_days=30, actor="test"
        ).number


def test_the_notice_is_in_the_subscribers_language(
    engine: Any, mail_settings: Settings, sink: SmtpSink
) -> None:
    add_confirmed(engine, 1, prefix="hangul", lang="ko")
    publish_change(engine)
    deliver(engine, mail_settings)
    html = sink.messages()[0].get_body(("html",)).get_content()
    assert BeautifulSoup(html, "html.parser").html["lang"] == "ko"


def test_without_smtp_url_notices_are_written_as_eml_files(engine: Any, settings: Settings) -> None:
    import email
    import email.policy

    add_confirmed(engine, 2, prefix="offline")
    publish_change(engine)
    deliver(engine, settings)  # settings.smtp_url is unset
    files = sorted((settings.var_dir / "mail").glob("*.eml"))
    assert len(files) == 2
    parsed = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[arg-type]
        for path in files
    ]
    assert sorted(str(message["To"]) for message in parsed) == [
        "offline0@example.com",
        "offline1@example.com",
    ]
