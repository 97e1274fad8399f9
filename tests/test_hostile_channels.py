"""Hostile text published, then read through the feed and the notice email: escaped, exact."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from bs4 import BeautifulSoup

from registry.notices.worker import Worker
from tests.support.notices import SmtpSink, add_confirmed
from tests.test_diff import NEW_RECIPIENT
from tests.test_hostile_input import CORPUS

ATOM = "{http://www.w3.org/2005/Atom}"


def test_hostile_text_is_escaped_in_the_feed_and_the_notice(
    client: Any, editor_headers: Any, engine: Any, settings: Any
) -> None:
    add_confirmed(engine, 1)
    hostile = NEW_RECIPIENT | {
        "slug": "hostile",
        "name": CORPUS["script"],
        "purposes": [CORPUS["attribute"]],
        "data_categories": [CORPUS["csv-formula"], CORPUS["astral"]],
        "retention": CORPUS["rtl-override"],
    }
    assert (
        client.post("/api/v1/draft/recipients", json=hostile, headers=editor_headers).status_code
        == 201
    )
    summary = CORPUS["template"] + " " + CORPUS["sql"]
    published = client.post(
        "/api/v1/publications", json={"summary": summary}, headers=editor_headers
    )
    assert published.status_code == 201

    feed = ElementTree.fromstring(client.get("/changes.atom").content)  # noqa: S314 (our own feed)
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    feed_text = ElementTree.tostring(feed, encoding="unicode", method="text")
    assert CORPUS["sql"] in feed_text
    for entry in entries:
        for content in entry.iter(f"{ATOM}content"):
            if content.get("type") == "html" and content.text:
                assert not BeautifulSoup(content.text, "html.parser").find("script")

    sink = SmtpSink().start()
    try:
        worker = Worker(engine, settings.model_copy(update={"smtp_url": sink.url}))
        while worker.run_once():
            pass
        worker.close()
        (notice,) = sink.messages()
    finally:
        sink.stop()
    text = notice.get_body(("plain",)).get_content()
    html = notice.get_body(("html",)).get_content()
    assert CORPUS["script"] in text and CORPUS["astral"] in text
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.find("script") and not soup.find("img")
    assert CORPUS["script"] in soup.get_text()
    assert "49" not in soup.get_text().replace(CORPUS["template"], "")
