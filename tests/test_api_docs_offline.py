"""/schema works without the internet: Swagger UI from the package's own files, under our CSP.

Every request that leaves the loopback is aborted; the page must still render
the API's operations, load nothing from elsewhere and break no CSP rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from litestar.testing import TestClient

from tests.support.browser import CHROMIUM_ARGS, server  # noqa: F401 (fixtures)

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def test_the_schema_page_loads_only_our_own_scripts(client: TestClient[Any]) -> None:
    page = client.get("/schema")
    assert page.status_code == 200
    assert "<script>" not in page.text and "cdn" not in page.text.lower()
    assert 'src="/vendor/swagger-ui/swagger-ui-bundle.js"' in page.text
    assert 'src="/static/apidocs.js"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    bundle = client.get("/vendor/swagger-ui/swagger-ui-bundle.js")
    assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
    assert client.get("/vendor/swagger-ui/swagger-ui.css").status_code == 200
    assert client.get("/static/apidocs.js").status_code == 200
    assert client.get("/schema/openapi.json").json()["paths"]


@pytest.fixture
def offline_page() -> Iterator[tuple[Any, list[str], list[str]]]:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def only_loopback(route: Any) -> None:
            host = urlsplit(route.request.url).hostname or ""
            if host in LOOPBACK:
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        context.route("**/*", only_loopback)
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        yield page, outside, problems
        browser.close()


@pytest.mark.browser
def test_the_schema_page_renders_the_operations_offline(
    server: Any, offline_page: tuple[Any, list[str], list[str]]
) -> None:
    base, _, _ = server
    page, outside, problems = offline_page
    page.goto(base + "/schema")
    page.wait_for_selector(".opblock", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/" in path for path in paths), paths
    assert page.locator(".opblock").count() >= 5
    assert outside == []
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
