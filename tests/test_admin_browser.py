"""The admin in a real Chromium (Debian's, through Playwright) against `registry serve`."""

from __future__ import annotations

import time
from typing import Any

import pytest

from registry.db import transaction
from registry.services import draft
from tests.support.browser import page, server, sign_in  # noqa: F401 (fixtures)
from tests.support.legal import complete_recipient

pytestmark = pytest.mark.browser


def test_add_recipient_preview_publish_and_see_it_public(server: Any, page: Any) -> None:
    base, email, engine = server
    sign_in(page, base, email)
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
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/auth0")
    with transaction(engine) as session:
        draft.patch_recipient(session, "auth0", {"retention": "Theirs: one year"}, actor="x")
    page.get_by_label("Retention period").fill("Mine: two years")
    page.get_by_role("button", name="Save to draft").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Someone else changed")
    table = page.locator("table.side-by-side").inner_text()
    assert "Theirs: one year" in table and "Mine: two years" in table
    page.get_by_role("button", name="Apply my version on top").click()
    # The English retention changed under its Korean: the save lands on that translation.
    page.wait_for_url("**/admin/recipients/auth0?notice=saved_stale#translation-retention")
    assert page.get_by_label("Retention period").input_value() == "Mine: two years"
