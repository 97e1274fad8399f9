"""The legal task's clicks in a real Chromium: fewer of them, and no hunting for what went wrong."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import page, server, sign_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_choosing_sccs_suggests_the_module_the_role_implies(server: Any, page: Any) -> None:
    base, email, _engine = server
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/new")
    page.select_option("select[name=role]", "sub_processor")
    page.get_by_label("Find a country").fill("japan")
    page.check("input[name=destinations][value=JP]")
    page.select_option("#f-mechanism-JP", "scc")
    assert page.input_value("#f-scc_module-JP") == "3"
    page.select_option("#f-scc_module-JP", "4")  # a choice made stays made
    page.select_option("#f-mechanism-JP", "bcr")
    page.select_option("#f-mechanism-JP", "scc")
    assert page.input_value("#f-scc_module-JP") == "4"


def test_saving_english_under_a_translation_lands_on_the_stale_translation(
    server: Any, page: Any
) -> None:
    base, email, _engine = server
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/ipinfo")
    page.fill("#f-retention", "One year after the last login")
    page.get_by_role("button", name="Save to draft").click()
    page.wait_for_url("**/admin/recipients/ipinfo?notice=saved_stale#translation-retention")
    row = page.locator("#translation-retention")
    assert row.locator(".translation-mark.stale").is_visible()
    box = row.bounding_box()
    assert box is not None and -2 <= box["y"] < 900  # in view, without scrolling


@pytest.mark.parametrize("path", ["/admin/users", "/admin/organisations", "/admin/objections"])
def test_admin_tables_stay_inside_a_phones_width(server: Any, page: Any, path: str) -> None:
    """A hidden label in a scrolling table widened the whole page past 390 px."""
    base, email, _engine = server
    sign_in(page, base, email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_data_category_box_sits_beside_its_words(server: Any, page: Any) -> None:
    """The boxes sat above their labels, then took half the row and split 'Name' into 'Na me'."""
    base, email, _engine = server
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/new")
    label = page.locator("label.check", has=page.locator("input[name=data_categories]")).first
    box = label.locator("input").bounding_box()
    words = label.locator("span").first.bounding_box()
    assert box is not None and words is not None
    assert box["width"] < 30 and abs(box["y"] - words["y"]) < words["height"]
    assert words["x"] > box["x"] + box["width"] and words["height"] < 2 * 24  # one line


def test_the_signed_in_address_is_never_split_on_a_phone(server: Any, page: Any) -> None:
    base, email, _engine = server
    sign_in(page, base, email)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base + "/admin/recipients?lang=ko")
    lines = page.evaluate(
        """() => ['.who a[href="/admin/password"]', '.who button.link'].map((sel) => {
            const el = document.querySelector(sel);
            const line = parseFloat(getComputedStyle(el).lineHeight);
            return el.getBoundingClientRect().height / line;
        })"""
    )
    assert all(count < 1.5 for count in lines), lines  # "admin@example.co / m", "로그아 / 웃"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_documents_wide_table_scrolls_on_a_phone_instead_of_breaking_words(
    server: Any, page: Any, lang: str
) -> None:
    """Annex I.B's five columns at 390 px split "Sub-processor" and "Location" into letters."""
    base, _email, _engine = server
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/annexes?lang={lang}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    table = page.locator("#sub-processor-transfers")
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")  # it scrolls, by itself
    heading = table.locator("th").first
    line = float(heading.evaluate("th => parseFloat(getComputedStyle(th).lineHeight)"))
    box = heading.bounding_box()
    assert box is not None and box["height"] < 3 * line + 16  # "Sub-processor": 1-2 lines
