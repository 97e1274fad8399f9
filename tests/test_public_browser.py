"""The public pages in a real Chromium at a phone's width: nothing wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import phone, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_public_page_is_wider_than_a_phone(server: Any, phone: Any, lang: str) -> None:
    base, _, _ = server
    for path in ("/", "/annexes", "/documents", "/changes"):
        phone.goto(f"{base}{path}?lang={lang}")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)


def test_the_annexes_page_has_the_site_header_a_language_switch_and_its_pdf(
    server: Any, phone: Any
) -> None:
    base, _, _ = server
    phone.goto(base + "/annexes?lang=en&exporter_name=Acme+GmbH")
    assert phone.get_by_role("link", name="Documents").count() == 1
    phone.get_by_role("link", name="한국어").click()
    assert phone.locator("html").get_attribute("lang") == "ko"
    assert "exporter_name=Acme+GmbH" in phone.url
    download = phone.locator("a.doc-download")
    href = download.get_attribute("href") or ""
    assert href.startswith("/annexes.pdf?") and "exporter_name=Acme+GmbH" in href
    assert "lang=ko" in href
