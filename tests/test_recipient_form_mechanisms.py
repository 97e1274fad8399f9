"""The recipient form's legal basis rows: sub-fields only where they apply, adequacy first.

Without JavaScript (the server's page) and with it (admin.js in Debian's Chromium).
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.support.browser import page, server, sign_in  # noqa: F401 (fixtures)
from tests.test_admin_pages import ACME, _post, editor  # noqa: F401 (fixture)

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


def _rows(editor: Any) -> dict[str, Any]:
    """The form sent back with an error, for Japan, India and the USA."""
    data = ACME | {"destinations": ["JP", "IN", "US"], "retention": ""}
    answer = _post(editor, "/admin/recipients/new", "/admin/recipients/new", data)
    assert answer.status_code == 400
    soup = BeautifulSoup(answer.text, "html.parser")
    return {row["data-code"]: row for row in soup.select("[data-mechanisms] .mechanism")}


def test_a_country_with_an_adequacy_decision_defaults_to_it(editor: Any) -> None:
    rows = _rows(editor)
    chosen = {
        code: row.select_one(f"#f-mechanism-{code} option[selected]")["value"]
        for code, row in rows.items()
    }
    assert chosen["JP"] == "adequacy"
    assert chosen["IN"] == "none" and chosen["US"] == "none"  # none of their own, DPF only


def test_the_dpf_date_is_asked_only_for_the_usa(editor: Any) -> None:
    rows = _rows(editor)
    assert rows["US"].select_one("#f-dpf_checked_on-US") is not None
    assert rows["JP"].select_one("input[type=date]") is None
    assert rows["IN"].select_one("input[type=date]") is None


def test_the_scc_module_is_marked_as_only_for_sccs(editor: Any) -> None:
    rows = _rows(editor)
    field = rows["IN"].select_one("#f-scc_module-IN").find_parent("div")
    assert field["data-when-mechanism"] == "scc"


@pytest.mark.browser
def test_ticking_a_country_shows_only_the_fields_that_apply(server: Any, page: Any) -> None:
    base, email, _ = server
    sign_in(page, base, email)
    page.goto(base + "/admin/recipients/new")
    page.get_by_label("Find a country").fill("Japan")
    page.locator("input[name=destinations][value=JP]").check()
    row = page.locator("[data-mechanisms] .mechanism[data-code=JP]")
    assert row.locator("select[name=mechanism-JP]").input_value() == "adequacy"
    assert row.locator("input[type=date]").count() == 0
    assert not row.locator("#f-scc_module-JP").is_visible()
    row.locator("select[name=mechanism-JP]").select_option("scc")
    assert row.locator("#f-scc_module-JP").is_visible()
    page.get_by_label("Find a country").fill("USA")  # as the documents name it
    page.locator("input[name=destinations][value=US]").check()
    us = page.locator("[data-mechanisms] .mechanism[data-code=US]")
    assert us.locator("#f-dpf_checked_on-US").is_visible()
    assert us.locator("select[name=mechanism-US]").input_value() == "none"


HINTED = (
    "name", "display_name", "services", "address", "contact", "website", "role",
    "purposes", "other_categories", "data_subjects", "sensitive_data",
    "sensitive_safeguards", "retention", "list_style", "transfer_timing", "transfer_method",
    "frequency", "processing_nature", "refusal_procedure", "refusal_consequences",
)  # fmt: skip


def test_each_field_has_a_hint_saying_what_it_does(editor: Any) -> None:
    soup = BeautifulSoup(editor.get("/admin/recipients/new").text, "html.parser")
    for name in HINTED:
        field = soup.select_one(f"#f-{name}")
        assert field is not None, name
        assert f"{name}-hint" in (field.get("aria-describedby") or ""), name
        assert soup.select_one(f"#{name}-hint").text.strip(), name
    short = soup.select_one("#display_name-hint").text
    assert "legal name" in short and "service" not in short.lower()
