"""The public table page as a customer meets it: subscribing at the top, links that are links."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup


def test_get_notified_comes_before_the_table_and_posts_to_subscribe(client: Any) -> None:
    soup = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    box = soup.select_one("section.subscribe-top")
    table = soup.select_one("table.transfers")
    assert box is not None and table is not None
    order = [node for node in soup.find_all(["section", "table"]) if node in (box, table)]
    assert order == [box, table]
    form = box.find("form")
    assert form["action"] == "/subscribe" and form["method"] == "post"
    assert box.select_one("input[type=email][name=email][required]") is not None
    assert soup.find("label", attrs={"for": "subscribe-top-email"}) is not None


def test_the_changes_page_and_the_privacy_address_are_links(client: Any) -> None:
    soup = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    hrefs = {a["href"] for a in soup.find_all("a")}
    assert "/changes?lang=en" in hrefs
    assert "mailto:privacy@alpacax.com" in hrefs
