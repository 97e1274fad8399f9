"""Admin pages: subscribers, deliveries, evidence, objections, organisations, notice warnings."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import pytest
import rfc8785
from bs4 import BeautifulSoup
from litestar.testing import TestClient
from sqlmodel import Session, select

from registry.app import create_app
from registry.enums import ObjectionStatus, OutboxKind, OutboxStatus, UserRole
from registry.models import Objection, ObjectionEntry, OutboxMessage, Subscriber
from registry.services import objections, versions
from registry.services.organisations import save_organisation
from registry.settings import Settings
from tests.support.admin import csrf_of, make_user, sign_in
from tests.support.notices import add_confirmed, publish_change

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

EMAIL = "dpo@customer.example"


def _client(settings: Settings, engine: Any, role: UserRole) -> Any:
    client = TestClient(app=create_app(settings), base_url="http://testserver.local")
    client.__enter__()
    sign_in(client, make_user(engine, role))
    return client


@pytest.fixture
def editor(settings: Settings, engine: Any) -> Any:
    client = _client(settings, engine, UserRole.EDITOR)
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def viewer(settings: Settings, engine: Any) -> Any:
    client = _client(settings, engine, UserRole.VIEWER)
    yield client
    client.__exit__(None, None, None)


@pytest.fixture
def published(engine: Any) -> int:
    """Two confirmed subscribers, then an upcoming version: its notices wait in the outbox."""
    add_confirmed(engine, 2)
    return publish_change(engine)


@pytest.fixture
def objection(engine: Any, published: int) -> str:
    with Session(engine) as session:
        token = objections.notice_token("s", published, EMAIL)
        submitted = objections.submit(
            session,
            secret="s",
            version_number=published,
            reason="We do not accept transfers to India.",
            contact_email=EMAIL,
            organisation="Customer GmbH",
            token=token,
        )
        session.commit()
        return submitted.objection.reference


def _soup(answer: Any) -> BeautifulSoup:
    return BeautifulSoup(answer.text, "html.parser")


def _post(client: Any, path: str, form_page: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client, form_page)
    return client.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)


def _objection(engine: Any, reference: str) -> Objection:
    with Session(engine) as session:
        found = session.exec(select(Objection).where(Objection.reference == reference)).one()
        session.expunge(found)
        return found


def test_each_new_page_renders_for_a_viewer(viewer: Any, published: int, objection: str) -> None:
    pages = {
        "/admin/subscribers": "table.subscribers",
        f"/admin/versions/{published}/deliveries": "table.unsent",
        "/admin/objections": "table.objections",
        f"/admin/objections/{objection}": "#objection-status",
        "/admin/organisations": "table.organisations",
    }
    for path, selector in pages.items():
        answer = viewer.get(path)
        assert answer.status_code == 200, path
        soup = _soup(answer)
        assert soup.select_one(selector) is not None, path
        assert soup.select_one("main form[method=post]") is None, f"{path} offers a viewer a form"


def test_subscribers_are_counted_filtered_and_paged(viewer: Any, engine: Any) -> None:
    add_confirmed(engine, 60, prefix="many")
    soup = _soup(viewer.get("/admin/subscribers"))
    assert soup.select_one("#count-confirmed").text == "60"
    assert len(soup.select("table.subscribers tbody tr")) == 50
    second = _soup(viewer.get("/admin/subscribers?page=2"))
    assert len(second.select("table.subscribers tbody tr")) == 10
    found = _soup(viewer.get("/admin/subscribers?q=many7&status=confirmed"))
    emails = {th.text for th in found.select("table.subscribers tbody th")}
    assert emails == {"many7@example.com"}
    assert (
        _soup(viewer.get("/admin/subscribers?status=pending")).select_one(
            "table.subscribers tbody th"
        )
        is None
    )


def test_an_editor_removes_a_subscriber(editor: Any, engine: Any, published: int) -> None:
    with Session(engine) as session:
        target = session.exec(select(Subscriber)).first()
        assert target is not None
        target_id, address = target.id, target.email
    page = _soup(editor.get("/admin/subscribers"))
    button = page.select_one(f"form[action='/admin/subscribers/{target_id}/remove'] button")
    assert button is not None and address in button.text
    answer = _post(editor, f"/admin/subscribers/{target_id}/remove", "/admin/subscribers", {})
    assert answer.status_code == 303
    with Session(engine) as session:
        assert session.get(Subscriber, target_id) is None
        owed = session.exec(select(OutboxMessage).where(OutboxMessage.subscriber_id == target_id))
        assert owed.all() == []


def test_removing_a_subscriber_needs_the_csrf_token(editor: Any, engine: Any) -> None:
    add_confirmed(engine, 1)
    with Session(engine) as session:
        target = session.exec(select(Subscriber)).one()
    answer = editor.post(f"/admin/subscribers/{target.id}/remove", follow_redirects=False)
    assert answer.status_code == 403
    with Session(engine) as session:
        assert session.get(Subscriber, target.id) is not None


def test_viewers_may_not_post_on_the_new_pages(
    viewer: Any, engine: Any, published: int, objection: str
) -> None:
    with Session(engine) as session:
        subscriber_id = session.exec(select(Subscriber)).first().id  # type: ignore[union-attr]
    token = csrf_of(viewer, "/admin/password")
    for path, data in (
        (f"/admin/subscribers/{subscriber_id}/remove", {}),
        (f"/admin/versions/{published}/deliveries/retry", {}),
        (f"/admin/objections/{objection}/status", {"status": "in_discussion"}),
        (f"/admin/objections/{objection}/entries", {"kind": "note", "body": "x"}),
        ("/admin/organisations", {"name": "X", "notice_days": "10"}),
    ):
        answer = viewer.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)
        assert answer.status_code == 403, path
    assert _objection(engine, objection).status == ObjectionStatus.OPEN


def test_deliveries_show_failures_and_an_editor_retries_them(
    editor: Any, engine: Any, published: int
) -> None:
    with Session(engine) as session:
        message = session.exec(
            select(OutboxMessage).where(OutboxMessage.version_number == published)
        ).first()
        assert message is not None
        message.status, message.attempts = OutboxStatus.FAILED, 5
        message.last_error = "550 mailbox unavailable"
        session.add(message)
        session.commit()
        failed_id = message.id
    page_path = f"/admin/versions/{published}/deliveries"
    soup = _soup(editor.get(page_path))
    assert soup.select_one("#total-failed").text == "1"
    assert "550 mailbox unavailable" in soup.select_one("table.unsent").text
    evidence_link = soup.select_one(f"a[href='/admin/versions/{published}/evidence.json']")
    assert evidence_link is not None
    answer = _post(editor, f"{page_path}/retry", page_path, {})
    assert answer.status_code == 303
    with Session(engine) as session:
        again = session.get(OutboxMessage, failed_id)
        assert again is not None
        assert again.status == OutboxStatus.PENDING and again.attempts == 0


def test_the_publishing_page_links_each_version_to_its_deliveries(
    viewer: Any, published: int
) -> None:
    soup = _soup(viewer.get("/admin/preview"))
    assert soup.select_one(f"a[href='/admin/versions/{published}/deliveries']") is not None


def test_evidence_downloads_as_json(viewer: Any, published: int, viewer_headers: Any) -> None:
    """The admin's download is the API's evidence of that version, record for record."""
    answer = viewer.get(f"/admin/versions/{published}/evidence.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.headers["content-disposition"].startswith("attachment;")
    downloaded = json.loads(answer.text)
    api = viewer.get(f"/api/v1/versions/{published}/evidence", headers=viewer_headers).json()
    assert downloaded["version"] == published and downloaded["notices"]
    for record in (downloaded, api):
        # each carries its own hash over everything else, generation time included
        own = record.pop("evidence_sha256")
        assert own == hashlib.sha256(rfc8785.dumps(record)).hexdigest()
        record.pop("generated_at", None)
    assert downloaded["content_hash"] == api["content_hash"] and downloaded == api


def test_objections_are_listed_and_filtered(viewer: Any, objection: str, published: int) -> None:
    listed = _soup(viewer.get(f"/admin/objections?version={published}&status=open"))
    assert listed.select_one(f"a[href='/admin/objections/{objection}']") is not None
    other = _soup(viewer.get("/admin/objections?status=change_kept"))
    assert other.select_one(f"a[href='/admin/objections/{objection}']") is None


def test_an_editor_changes_an_objections_status(editor: Any, engine: Any, objection: str) -> None:
    path = f"/admin/objections/{objection}"
    answer = _post(editor, f"{path}/status", path, {"status": "in_discussion", "version_id": "1"})
    assert answer.status_code == 303
    assert _objection(engine, objection).status == ObjectionStatus.IN_DISCUSSION
    assert _soup(editor.get(path)).select_one("#objection-status").text == "In discussion"


def test_keeping_the_change_without_a_note_shows_the_error_beside_it(
    editor: Any, engine: Any, objection: str
) -> None:
    path = f"/admin/objections/{objection}"
    answer = _post(editor, f"{path}/respond", path, {"status": "change_kept", "body": ""})
    assert answer.status_code == 400
    error = _soup(answer).select_one("#body-error")
    assert error is not None and "reasons" in error.text
    assert _objection(engine, objection).status == ObjectionStatus.OPEN


def test_an_objection_error_is_summarised_under_the_heading_with_a_link_to_its_field(
    editor: Any, objection: str
) -> None:
    """GOV.UK's error summary at the top: nobody scrolls to find what went wrong."""
    path = f"/admin/objections/{objection}"
    answer = _post(editor, f"{path}/respond", path, {"status": "change_kept", "body": ""})
    main = _soup(answer).select_one("main")
    blocks = [child for child in main.children if getattr(child, "name", None)]
    assert blocks[0].name == "h1"
    assert "error-summary" in blocks[1].get("class", [])
    assert blocks[1].select_one("a")["href"] == "#f-body"


def test_a_status_change_in_the_log_reads_as_its_label(
    editor: Any, engine: Any, objection: str
) -> None:
    path = f"/admin/objections/{objection}"
    body = {"kind": "reply", "status": "change_kept", "body": "Our reasons.", "version_id": "1"}
    assert _post(editor, f"{path}/respond", path, body).status_code == 303
    log = _soup(editor.get(path)).select_one("ol.entries").get_text()
    assert "Resolved: change kept, with reasons: Our reasons." in " ".join(log.split())
    assert "change_kept" not in log


def test_an_editors_reply_is_queued_as_a_message(editor: Any, engine: Any, objection: str) -> None:
    path = f"/admin/objections/{objection}"
    body = {"kind": "reply", "body": "Our provider in India signed the SCCs."}
    answer = _post(editor, f"{path}/entries", path, body)
    assert answer.status_code == 303
    found = _objection(engine, objection)
    with Session(engine) as session:
        entry = session.exec(
            select(ObjectionEntry).where(ObjectionEntry.objection_id == found.id)
        ).one()
        queued = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.kind == OutboxKind.MESSAGE, OutboxMessage.recipient == EMAIL
            )
        ).all()
    assert entry.kind == "reply" and entry.body == body["body"]
    assert len(queued) == 1
    assert "Our provider in India signed the SCCs." in editor.get(path).text


def test_changing_an_objection_needs_the_csrf_token(
    editor: Any, engine: Any, objection: str
) -> None:
    path = f"/admin/objections/{objection}/status"
    answer = editor.post(path, data={"status": "in_discussion"}, follow_redirects=False)
    assert answer.status_code == 403
    assert _objection(engine, objection).status == ObjectionStatus.OPEN


def test_an_upcoming_versions_objection_links_to_withdrawing_it(
    viewer: Any, editor: Any, objection: str, published: int
) -> None:
    path = f"/admin/objections/{objection}"
    assert _soup(editor.get(path)).select_one(f"a[href='/admin/preview#reason-{published}']")
    assert (
        _soup(viewer.get(path)).select_one(f"a[href='/admin/preview#reason-{published}']") is None
    )


def test_an_editor_adds_and_edits_an_organisation(editor: Any, engine: Any) -> None:
    answer = _post(
        editor,
        "/admin/organisations",
        "/admin/organisations",
        {"name": "Careful AG", "notice_days": "60"},
    )
    assert answer.status_code == 303
    soup = _soup(editor.get("/admin/organisations"))
    row_id = soup.select_one("table.organisations form")["id"].removeprefix("org-")
    answer = _post(
        editor,
        "/admin/organisations",
        "/admin/organisations",
        {"id": row_id, "version_id": "1", "name": "Careful AG", "notice_days": "90"},
    )
    assert answer.status_code == 303
    assert _soup(editor.get("/admin/organisations")).select_one(f"#days-{row_id}")["value"] == "90"
    duplicate = _post(
        editor,
        "/admin/organisations",
        "/admin/organisations",
        {"name": "careful ag", "notice_days": "5"},
    )
    assert duplicate.status_code == 400
    assert _soup(duplicate).select_one("#name-error") is not None


def test_the_publish_form_names_the_organisations_owed_more_notice(
    editor: Any, engine: Any, settings: Settings
) -> None:
    with Session(engine) as session:
        for name, days in (("Short Ltd", 15), ("Standard SA", 30), ("Careful AG", 60)):
            save_organisation(session, name=name, notice_days=days, actor="legal@example.com")
        session.commit()
    soup = _soup(editor.get("/admin/preview"))
    warned = [li.strong.text for li in soup.select("#owed-notice li:not([hidden])")]
    assert warned == ["Careful AG"]
    in_20_days = (versions.today() + timedelta(days=20)).isoformat()
    answer = _post(
        editor,
        "/admin/preview/publish",
        "/admin/preview",
        {"summary": "", "effective_at": in_20_days, "short_notice_reason": ""},
    )
    assert answer.status_code == 400
    warned = [li.strong.text for li in _soup(answer).select("#owed-notice li:not([hidden])")]
    assert warned == ["Careful AG", "Standard SA"]


def _queued(engine: Any) -> list[OutboxMessage]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(OutboxMessage).where(
                    OutboxMessage.kind == OutboxKind.MESSAGE, OutboxMessage.recipient == EMAIL
                )
            ).all()
        )


def test_one_action_replies_and_sets_the_status(editor: Any, engine: Any, objection: str) -> None:
    path = f"/admin/objections/{objection}"
    page = _soup(editor.get(path))
    assert len(page.select("form[action$='/respond']")) == 1
    assert (
        page.select("form[action$='/status']") == []
        and page.select("form[action$='/entries']") == []
    )
    before = len(_queued(engine))
    body = {"kind": "reply", "body": "We are checking the SCCs.", "status": "in_discussion"}
    answer = _post(editor, f"{path}/respond", path, body | {"version_id": "1"})
    assert answer.status_code == 303
    assert _objection(engine, objection).status == ObjectionStatus.IN_DISCUSSION
    assert len(_queued(engine)) == before + 1
    assert "We are checking the SCCs." in editor.get(path).text


def test_resolving_with_a_reply_sends_one_email_with_the_reasons(
    editor: Any, engine: Any, objection: str
) -> None:
    path = f"/admin/objections/{objection}"
    before = len(_queued(engine))
    body = {"kind": "reply", "body": "The provider signed the SCCs.", "status": "change_kept"}
    assert _post(editor, f"{path}/respond", path, body).status_code == 303
    found = _objection(engine, objection)
    assert found.status == ObjectionStatus.CHANGE_KEPT
    assert found.resolution == "The provider signed the SCCs."
    queued = _queued(engine)
    assert len(queued) == before + 1
    assert "The provider signed the SCCs." in queued[-1].body_text


def test_a_note_alone_keeps_the_status_and_sends_nothing(
    editor: Any, engine: Any, objection: str
) -> None:
    path = f"/admin/objections/{objection}"
    before = len(_queued(engine))
    body = {"kind": "note", "body": "Ask procurement.", "status": ""}
    assert _post(editor, f"{path}/respond", path, body).status_code == 303
    assert _objection(engine, objection).status == ObjectionStatus.OPEN
    assert len(_queued(engine)) == before
    assert "Ask procurement." in editor.get(path).text


def test_an_empty_response_names_the_text_and_changes_nothing(
    editor: Any, engine: Any, objection: str
) -> None:
    path = f"/admin/objections/{objection}"
    answer = _post(editor, f"{path}/respond", path, {"kind": "reply", "body": "", "status": ""})
    assert answer.status_code == 400
    assert _soup(answer).select_one("#body-error") is not None
    assert _objection(engine, objection).status == ObjectionStatus.OPEN


def test_the_objections_list_shows_the_days_left(
    viewer: Any, engine: Any, objection: str, published: int
) -> None:
    from registry.models import RegistryVersion
    from registry.services.versions import today

    with Session(engine) as session:
        version = session.get(RegistryVersion, published)
        assert version is not None
        expected = (version.effective_at - today()).days
    page = _soup(viewer.get("/admin/objections"))
    headers = [th.text for th in page.select("thead th")]
    assert "Days left" in headers
    link = page.select_one(f"a[href='/admin/objections/{objection}']")
    assert link is not None
    row = link.find_parent("tr")
    cell = row.select_one("td.days-left").text.strip()
    assert cell == (f"{expected} days" if expected > 1 else cell)
    assert expected > 1 and str(expected) in cell
