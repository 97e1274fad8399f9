"""The admin's Korean column: side by side with the English, marked stale, saved with the form."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import read_session
from registry.enums import UserRole
from registry.services import draft
from registry.services.company import get_company
from registry.settings import Settings
from tests.support.admin import make_user, sign_in


@pytest.fixture
def editor(settings: Settings, engine: Any) -> Any:
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        sign_in(client, make_user(engine, UserRole.EDITOR))
        yield client


def _form(client: Any, path: str) -> dict[str, Any]:
    """Every field of the page's main form as the browser would post it."""
    soup = BeautifulSoup(client.get(path).text, "html.parser")
    form = max(soup.find_all("form"), key=lambda f: len(f.find_all(["input", "textarea"])))
    data: dict[str, Any] = {}
    for control in form.find_all(["input", "textarea", "select"]):
        name = control.get("name")
        if not name or control.get("type") in ("submit", "button"):
            continue
        if control.get("type") == "checkbox":
            if control.has_attr("checked"):
                data.setdefault(name, []).append(control.get("value", "on"))
            continue
        if control.name == "textarea":
            data[name] = control.text
        elif control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            data[name] = chosen.get("value", "") if chosen else ""
        else:
            data[name] = control.get("value", "")
    return data


def _row(client: Any, path: str, field: str) -> Any:
    soup = BeautifulSoup(client.get(path).text, "html.parser")
    return soup.find(id=f"translation-{field}")


def test_the_recipient_form_shows_the_korean_beside_the_english(editor: Any) -> None:
    row = _row(editor, "/admin/recipients/auth0", "retention")
    assert "Until membership withdrawal" in row.find(class_="english-text").text
    assert (
        row.find("input", attrs={"name": "ko-retention"})["value"]
        == "회원 탈퇴 시 또는 위탁계약 종료 시까지"
    )
    assert row.find("button", class_="copy-english")["data-copy-from"] == "f-retention"
    assert "is-stale" not in row["class"]


def test_changing_the_english_in_the_admin_marks_the_korean_stale_and_editing_it_clears_it(
    editor: Any, engine: Any
) -> None:
    data = _form(editor, "/admin/recipients/auth0")
    data["retention"] = "Two years after the last sign-in"
    answer = editor.post("/admin/recipients/auth0", data=data, follow_redirects=False)
    assert answer.status_code == 303
    row = _row(editor, "/admin/recipients/auth0", "retention")
    assert "is-stale" in row["class"]
    assert row.find(class_="translation-mark")
    assert row.find("input", attrs={"name": "confirm-ko-retention"})

    data = _form(editor, "/admin/recipients/auth0")
    data["ko-retention"] = "마지막 로그인 후 2년"
    assert (
        editor.post("/admin/recipients/auth0", data=data, follow_redirects=False).status_code == 303
    )
    row = _row(editor, "/admin/recipients/auth0", "retention")
    assert "is-stale" not in row["class"]
    with read_session(engine) as session:
        assert (
            draft.get_recipient(session, "auth0").translations["ko"]["retention"]
            == "마지막 로그인 후 2년"
        )


def test_the_confirm_box_keeps_the_korean_and_clears_the_stale_mark(editor: Any) -> None:
    data = _form(editor, "/admin/recipients/auth0")
    data["retention"] = "Until membership withdrawal or termination of the entrusted contract."
    editor.post("/admin/recipients/auth0", data=data, follow_redirects=False)
    data = _form(editor, "/admin/recipients/auth0")
    data["confirm-ko-retention"] = "1"
    editor.post("/admin/recipients/auth0", data=data, follow_redirects=False)
    assert "is-stale" not in _row(editor, "/admin/recipients/auth0", "retention")["class"]


def test_a_new_recipient_gets_its_korean_from_the_same_form(editor: Any, engine: Any) -> None:
    data = _form(editor, "/admin/recipients/new")
    data |= {
        "name": "Zoom Video Communications, Inc.",
        "display_name": "Zoom",
        "destinations": ["US"],
        "purposes": "Customer support calls",
        "data_categories": ["Email"],
        "retention": "Until the end of the support contract",
        "ko-purposes": "고객 지원 통화",
        "ko-data_categories": "이메일 주소",
        "ko-retention": "지원 계약 종료 시까지",
    }
    assert (
        editor.post("/admin/recipients/new", data=data, follow_redirects=False).status_code == 303
    )
    with read_session(engine) as session:
        zoom = draft.get_recipient(session, "zoom")
    assert zoom.translations == {
        "ko": {
            "purposes": ["고객 지원 통화"],
            "data_categories": ["이메일 주소"],
            "retention": "지원 계약 종료 시까지",
        }
    }


def test_company_measures_go_stale_in_the_company_form(editor: Any, engine: Any) -> None:
    data = _form(editor, "/admin/company")
    data["measure-regular_testing"] = "Penetration tests twice a year."
    assert editor.post("/admin/company", data=data, follow_redirects=False).status_code == 303
    row = _row(editor, "/admin/company", "measures-regular_testing")
    assert "is-stale" in row["class"]
    data = _form(editor, "/admin/company")
    data["ko-measures.regular_testing"] = "연 2회 모의해킹(침투 테스트)을 받습니다."
    assert editor.post("/admin/company", data=data, follow_redirects=False).status_code == 303
    with read_session(engine) as session:
        measures = get_company(session).translations["ko"]["measures"]
    assert measures["regular_testing"] == "연 2회 모의해킹(침투 테스트)을 받습니다."
    assert "is-stale" not in _row(editor, "/admin/company", "measures-regular_testing")["class"]


def test_the_draft_preview_shows_the_english_of_a_stale_field_marked(editor: Any) -> None:
    data = _form(editor, "/admin/recipients/auth0")
    data["transfer_timing"] = "At each sign-up, sign-in and token refresh"
    editor.post("/admin/recipients/auth0", data=data, follow_redirects=False)
    soup = BeautifulSoup(editor.get("/admin/preview/transfers?lang=ko").text, "html.parser")
    marked = [span.get_text() for span in soup.select('.fallback[lang="en"]')]
    assert "At each sign-up, sign-in and token refresh" in marked
    assert "회원 가입 및 로그인 시마다" not in soup.get_text()  # the stale Korean is not shown
