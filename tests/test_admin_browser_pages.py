"""The admin in a real Chromium: the error summary, publishing, objections."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import page, server, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_an_empty_recipient_form_lists_every_error_at_the_top_and_focuses_the_summary(
    server: Any, page: Any
) -> None:
    base, email, _ = server
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/new")
    page.get_by_role("button", name="Add to draft").click()
    summary = page.locator("[data-error-summary]")
    assert summary.evaluate("node => node === document.activeElement")
    links = summary.locator("a")
    texts = links.all_inner_texts()
    assert len(texts) == 5, texts
    assert texts[0].startswith("Enter the recipient's legal name")
    assert any("at least one country" in text for text in texts)
    assert all("should" not in text and "Value error" not in text for text in texts)
    summary.get_by_role("link", name="Enter how long the recipient keeps the data.").click()
    assert page.evaluate("document.activeElement.id") == "f-retention"
    # Each message is also beside its field, tied to it for screen readers.
    described = page.locator("#f-retention").get_attribute("aria-describedby") or ""
    assert "retention-error" in described
    # What was typed is kept: nothing to type twice.
    page.get_by_label("Legal name").fill("Acme Ltd.")
    page.get_by_role("button", name="Add to draft").click()
    assert page.get_by_label("Legal name").input_value() == "Acme Ltd."
    assert summary.locator("a").count() == 4


def test_the_error_summary_speaks_korean_on_a_korean_page(server: Any, page: Any) -> None:
    base, email, _ = server
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/new?lang=ko")
    page.locator("form.recipient-form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    text = summary.inner_text()
    assert "문제" in text
    assert "Enter" not in text and "required" not in text


def _confirmed_subscriber(engine: Any, email: str) -> None:
    from registry.db import transaction
    from registry.enums import SubscriberStatus
    from registry.models import Subscriber

    with transaction(engine) as session:
        session.add(
            Subscriber(
                public_id="pages-test-1", email=email, lang="en", status=SubscriberStatus.CONFIRMED
            )
        )


def test_publishing_confirms_who_is_told_and_lands_on_the_version_page(
    server: Any, page: Any
) -> None:
    base, email, engine = server
    sign_in(page, base, email)
    page.goto(base + "/admin/preview")
    assert page.get_by_role("button", name="Publish", exact=True).is_disabled()
    _confirmed_subscriber(engine, "customer@example.com")
    page.goto(base + "/admin/recipients/auth0")
    page.get_by_label("Retention period").fill("Until the contract ends")
    page.locator("#f-ko-retention").fill("계약 종료 시까지")  # the Korean beside it, or it is stale
    page.get_by_role("button", name="Save to draft").click()
    page.wait_for_url("**/admin/recipients/auth0?notice=saved")
    page.goto(base + "/admin/preview")
    assert page.locator(".checklist-items li").all_inner_texts() == []
    publish = page.get_by_role("button", name="Publish", exact=True)
    assert publish.is_enabled()
    confirm = page.locator("#f-confirm_audience")
    assert "1 subscriber" in page.locator("label", has=confirm).inner_text()
    page.get_by_label("Summary of the changes").fill("Auth0 keeps data until the contract ends")
    page.get_by_label("Reason for shorter notice").fill("")
    # The browser refuses while the box is unticked; the server would too.
    publish.click()
    assert "/admin/preview" in page.url
    confirm.check()
    publish.click()
    page.wait_for_url("**/admin/versions/2?notice=published")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Version 2")
    facts = page.locator(".version-facts").inner_text()
    assert "Auth0 keeps data until the contract ends" in facts
    assert len(page.locator(".version-facts code.hash").inner_text()) == 64
    assert "1" in page.locator(".delivery-line").inner_text()
    assert page.get_by_role("link", name="Download the evidence (PDF report)").count() == 1
