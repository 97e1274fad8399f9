"""Admin pages through HTTP: forms keep what was typed, conflicts, publishing, history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from registry.app import create_app
from registry.db import read_session, transaction
from registry.enums import UserRole
from registry.services import draft, versions
from registry.settings import Settings
from tests.support.admin import csrf_of, make_user, sign_in
from tests.support.legal import complete_recipient

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

ACME = {
    "name": "Acme Ltd.",
    "display_name": "Acme",
    "destinations": ["JP", "BR"],
    "purposes": "Customer support tickets",
    "data_categories": ["Email"],
    "other_categories": "Support transcripts",
    "retention": "Until the ticket is closed",
}


@pytest.fixture
def editor(settings: Settings, engine: Any) -> Any:
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        sign_in(client, make_user(engine, UserRole.EDITOR))
        yield client


def _add_acme(client: Any, engine: Any) -> None:
    """Acme added through the form, then completed as legal would (Korean, PIPA items)."""
    _post(client, "/admin/recipients/new", "/admin/recipients/new", ACME)
    with transaction(engine) as session:
        complete_recipient(session, "acme")


def _post(client: Any, path: str, form_page: str, data: dict[str, Any]) -> Any:
    return client.post(
        path, data={"_csrf_token": csrf_of(client, form_page), **data}, follow_redirects=False
    )


def _soup(answer: Any) -> BeautifulSoup:
    return BeautifulSoup(answer.text, "html.parser")


def test_adding_a_recipient_with_two_countries(editor: Any, engine: Any) -> None:
    answer = _post(editor, "/admin/recipients/new", "/admin/recipients/new", ACME)
    assert answer.status_code == 303
    with read_session(engine) as session:
        acme = draft.get_recipient(session, "acme")
    assert acme.destinations == ["JP", "BR"]
    assert acme.data_categories == ["Email", "Support transcripts"]


def test_an_invalid_form_keeps_everything_typed(editor: Any) -> None:
    answer = _post(
        editor, "/admin/recipients/new", "/admin/recipients/new", ACME | {"retention": ""}
    )
    assert answer.status_code == 400
    soup = _soup(answer)
    assert soup.select_one("#retention-error") is not None
    assert soup.select_one("#f-name")["value"] == "Acme Ltd."
    assert "Customer support tickets" in soup.select_one("#f-purposes").text
    checked = {box["value"] for box in soup.select("input[name=destinations][checked]")}
    assert checked == {"JP", "BR"}


def test_missing_transfer_mechanism_is_warned(editor: Any) -> None:
    _post(editor, "/admin/recipients/new", "/admin/recipients/new", ACME | {"destinations": "IN"})
    soup = _soup(editor.get("/admin/recipients/acme"))
    warnings = [w.text for w in soup.select(".mechanism .warning")]
    assert any("no EU adequacy decision" in w for w in warnings)


def test_a_stale_form_shows_both_versions(editor: Any, engine: Any) -> None:
    page = _soup(editor.get("/admin/recipients/auth0"))
    stale = page.select_one("input[name=version_id]")["value"]
    with transaction(engine) as session:
        draft.patch_recipient(session, "auth0", {"retention": "Theirs: one year"}, actor="x")
    form = {
        "name": "Auth0, Inc.",
        "destinations": "US",
        "purposes": "Login",
        "data_categories": "Email",
        "retention": "Mine: two years",
        "version_id": stale,
    }
    answer = _post(editor, "/admin/recipients/auth0", "/admin/recipients/auth0", form)
    assert answer.status_code == 409
    text = answer.text
    assert "Theirs: one year" in text and "Mine: two years" in text
    soup = _soup(answer)
    fresh = soup.select_one("form.recipient-form input[name=version_id]")["value"]
    assert int(fresh) == int(stale) + 1
    applied = _post(
        editor, "/admin/recipients/auth0", "/admin/recipients/auth0", form | {"version_id": fresh}
    )
    assert applied.status_code == 303
    with read_session(engine) as session:
        assert draft.get_recipient(session, "auth0").retention == "Mine: two years"


def test_preview_shows_the_diff_and_new_country(editor: Any, engine: Any) -> None:
    _add_acme(editor, engine)
    soup = _soup(editor.get("/admin/preview"))
    assert "Japan" in soup.select_one(".new-destination").text
    assert "Acme" in soup.select_one(".diff-added").text
    assert soup.select_one("#recipient-acme") is not None  # in the table preview
    assert soup.select_one("#annexes-preview") is not None


def test_publishing_early_needs_a_reason(editor: Any, engine: Any) -> None:
    _add_acme(editor, engine)
    early = (versions.today() + timedelta(days=2)).isoformat()
    refused = _post(
        editor,
        "/admin/preview/publish",
        "/admin/preview",
        {"summary": "Acme", "effective_at": early},
    )
    assert refused.status_code == 422  # notice_periods.ReasonRequired
    assert _soup(refused).select_one("#short_notice_reason-error") is not None
    done = _post(
        editor,
        "/admin/preview/publish",
        "/admin/preview",
        {"summary": "Acme", "effective_at": early, "short_notice_reason": "Urgent"},
    )
    assert done.status_code == 303
    with read_session(engine) as session:
        assert versions.get_version(session, 2).short_notice_reason == "Urgent"


def test_an_upcoming_version_can_be_withdrawn(editor: Any, engine: Any) -> None:
    _add_acme(editor, engine)
    _post(editor, "/admin/preview/publish", "/admin/preview", {"summary": "Acme"})
    with read_session(engine) as session:
        assert versions.timeline(session).upcoming
    answer = _post(editor, "/admin/preview/withdraw/2", "/admin/preview", {"reason": "Too early"})
    assert answer.status_code == 303
    with read_session(engine) as session:
        assert not versions.timeline(session).upcoming
        assert versions.draft_diff(session)["added"]  # the draft is again ahead of version 1


def test_company_edit_is_checked_and_recorded(editor: Any) -> None:
    soup = _soup(editor.get("/admin/company"))
    form = {
        field["name"]: field.get("value", "")
        for field in soup.select("form[action='/admin/company'] input")
    } | {area["name"]: area.text for area in soup.select("form[action='/admin/company'] textarea")}
    form.pop("_csrf_token")
    saved = _post(editor, "/admin/company", "/admin/company", form | {"name": "AlpacaX Corp."})
    assert saved.status_code == 303
    stale = _post(editor, "/admin/company", "/admin/company", form | {"name": "Older"})
    assert stale.status_code == 409
    history = _soup(editor.get("/admin/history?type=company"))
    assert "AlpacaX Corp." in history.text


def test_history_pages_in_sql_and_per_recipient(editor: Any) -> None:
    _post(editor, "/admin/recipients/new", "/admin/recipients/new", ACME)
    soup = _soup(editor.get("/admin/history?type=recipient&key=acme"))
    changes = soup.select("article.change")
    assert len(changes) == 1
    assert "Acme Ltd." in changes[0].text
    assert "nobody" in soup.select_one(".lead").text.lower()
    assert len(_soup(editor.get("/admin/history")).select("article.change")) <= 25


def test_recipient_list_filters(editor: Any) -> None:
    soup = _soup(editor.get("/admin/recipients?country=KR"))
    names = [row.select_one("th").text for row in soup.select("tbody tr")]
    assert len(names) == 1 and "Toss" in names[0]


def test_saving_keeps_the_order_of_destinations(editor: Any, engine: Any) -> None:
    with transaction(engine) as session:
        draft.patch_recipient(session, "stripe", {"destinations": ["US", "IE"]}, actor="x")
    soup = _soup(editor.get("/admin/recipients/stripe"))
    form = {
        "name": "Stripe, Inc.",
        "destinations": ["IE", "US", "CA"],
        "destination_order": soup.select_one("input[name=destination_order]")["value"],
        "purposes": "Payments",
        "data_categories": "Email",
        "retention": "Retained by applicable laws",
        "version_id": soup.select_one("input[name=version_id]")["value"],
    }
    assert (
        _post(editor, "/admin/recipients/stripe", "/admin/recipients/stripe", form).status_code
        == 303
    )
    with read_session(engine) as session:
        assert draft.get_recipient(session, "stripe").destinations == ["US", "IE", "CA"]


def test_publishing_with_subscribers_needs_the_count_confirmed(editor: Any, engine: Any) -> None:
    from registry.enums import SubscriberStatus
    from registry.models import Subscriber

    with transaction(engine) as session:
        session.add(
            Subscriber(public_id="p1", email="c@example.com", status=SubscriberStatus.CONFIRMED)
        )
    _add_acme(editor, engine)
    refused = _post(editor, "/admin/preview/publish", "/admin/preview", {"summary": "Acme"})
    assert refused.status_code == 400
    summary = _soup(refused).select_one("[data-error-summary]")
    assert summary is not None and "1 subscriber or webhook" in summary.text
    assert summary.select_one("a")["href"] == "#f-confirm_audience"
    with read_session(engine) as session:
        assert versions.all_versions(session)[0].number == 1
    done = _post(
        editor,
        "/admin/preview/publish",
        "/admin/preview",
        {"summary": "Acme", "confirm_audience": "1"},
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/admin/versions/2")


def test_the_admin_navigation_counts_the_objections_waiting_for_an_answer(
    editor: Any, engine: Any
) -> None:
    from registry.enums import ObjectionStatus
    from registry.models import Objection

    with transaction(engine) as session:
        for n, status in enumerate(
            (ObjectionStatus.OPEN, ObjectionStatus.IN_DISCUSSION, ObjectionStatus.CHANGE_KEPT)
        ):
            session.add(
                Objection(
                    reference=f"OBJ-{n}",
                    version_number=1,
                    reason="No",
                    contact_email="c@example.com",
                    status=status,
                )
            )
    link = BeautifulSoup(editor.get("/admin/recipients").text, "html.parser").select_one(
        'a[href="/admin/objections"]'
    )
    assert link is not None
    assert link.select_one(".count").get_text(" ", strip=True) == "2 waiting for an answer"


def test_a_missing_admin_page_answers_404_in_the_admin_layout(editor: Any) -> None:
    answer = editor.get("/admin/no-such-page", headers={"Accept": "text/html"})
    assert answer.status_code == 404
    soup = BeautifulSoup(answer.text, "html.parser")
    assert soup.select_one("header.admin-header") is not None
    assert "no such page in the admin" in soup.main.get_text()


def test_history_shows_what_the_registry_wrote_in_the_readers_language(
    editor: Any, engine: Any
) -> None:
    """A message the registry wrote ("retired") is a label in the reader's language; one a
    person wrote (a version's summary) is quoted as written."""
    with transaction(engine) as session:
        draft.retire_recipient(session, "ipinfo", actor="legal@example.com")
        versions.publish(
            session, summary="Für IPinfo", effective_at=None, notice_days=30, actor="legal@x.com"
        )
    for lang, retired in (("en", "Retired from the draft"), ("ko", "초안에서 제외")):
        soup = _soup(editor.get(f"/admin/history?lang={lang}"))
        said = [p.text for p in soup.select("article.change .message")]
        assert said[:2] == ["“Für IPinfo”", retired]
    # A user's role by its label, and the registry's own changes as the system's, in Korean.
    make_user(engine, UserRole.VIEWER, email="reader@example.com")
    korean = _soup(editor.get("/admin/history?type=user&lang=ko")).text
    assert "열람자" in korean and "viewer" not in korean
    assert "수행자 시스템" in " ".join(korean.split()) and "system" not in korean
