"""The admin in a real Chromium (Debian's, through Playwright) against `registry serve`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from registry.db import make_engine, transaction
from registry.enums import UserRole
from registry.services import draft
from tests.support.admin import PASSWORD, make_user
from tests.support.legal import complete_recipient

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, str, Any]]:
    db = tmp_path / "registry.db"
    shutil.copyfile(sqlite_template, db)
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    email = make_user(engine, UserRole.EDITOR, "legal@example.com")
    port = _free_port()
    env = os.environ | {
        "REGISTRY_DATABASE_URL": url,
        "REGISTRY_SECRET_KEY": "browser-test-secret-" + "x" * 32,
        "REGISTRY_VAR_DIR": str(tmp_path / "var"),
        "REGISTRY_ENVIRONMENT": "test",
        "REGISTRY_BASE_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # a loaded machine can take a while to start it
            try:
                with urllib.request.urlopen(base + "/health", timeout=1):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.1)
        yield base, email, engine
    finally:
        process.terminate()
        process.wait(timeout=10)
        engine.dispose()


@pytest.fixture
def page() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        yield context.new_page()
        browser.close()


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(base + "/admin/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/recipients")


def test_add_recipient_preview_publish_and_see_it_public(server: Any, page: Any) -> None:
    base, email, engine = server
    _sign_in(page, base, email)
    page.get_by_role("link", name="Add a recipient").click()
    page.get_by_label("Legal name").fill("Acme Ltd.")
    page.get_by_label("Short name").fill("Acme")
    page.get_by_label("Find a country").fill("japan")
    page.get_by_label("Japan").check()
    page.get_by_label("Find a country").fill("brazil")
    page.get_by_label("Brazil").check()
    assert page.locator(".mechanism[data-code=BR]").count() == 1  # added by admin.js
    page.get_by_label("Purposes of use").fill("Customer support tickets")
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("Retention period").fill("Until the ticket is closed")
    page.get_by_role("button", name="Add to draft").click()
    page.wait_for_url("**/admin/recipients/acme?notice=created")
    page.get_by_role("link", name="Preview & publish").click()
    # Not publishable yet: the checklist names what Acme lacks, and the button waits.
    assert "Acme" in page.locator(".checklist").inner_text()
    with transaction(engine) as session:  # what legal fills in (the Korean, the PIPA items…)
        complete_recipient(session, "acme")
    page.reload()
    assert page.locator(".checklist-items li").all_inner_texts() == []
    assert page.locator(".checklist .ok").is_visible()
    assert "Japan" in page.locator(".new-destination").inner_text()
    assert "Acme" in page.locator(".diff-added").inner_text()
    page.get_by_label("Summary of the changes").fill("Added Acme for support")
    page.get_by_label("Takes effect on").fill(time.strftime("%Y-%m-%d", time.gmtime()))
    page.get_by_label("Reason for shorter notice").fill("Contract signed today")
    page.get_by_role("button", name="Publish", exact=True).click()
    page.wait_for_url("**/admin/versions/2?notice=published")
    page.goto(base + "/")
    assert "Acme Ltd." in page.locator("#recipient-acme").inner_text()


def test_conflict_page_in_the_browser(server: Any, page: Any) -> None:
    base, email, engine = server
    _sign_in(page, base, email)
    page.goto(base + "/admin/recipients/auth0")
    with transaction(engine) as session:
        draft.patch_recipient(session, "auth0", {"retention": "Theirs: one year"}, actor="x")
    page.get_by_label("Retention period").fill("Mine: two years")
    page.get_by_role("button", name="Save to draft").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Someone else changed")
    table = page.locator("table.side-by-side").inner_text()
    assert "Theirs: one year" in table and "Mine: two years" in table
    page.get_by_role("button", name="Apply my version on top").click()
    page.wait_for_url("**/admin/recipients/auth0?notice=saved")
    assert page.get_by_label("Retention period").input_value() == "Mine: two years"
