"""Objections: within the window recorded and acknowledged, after it refused; web ones confirmed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from bs4 import BeautifulSoup
from sqlmodel import Session, select

from registry.enums import ObjectionStatus
from registry.models import Objection
from registry.services import objections
from tests.test_diff import NEW_RECIPIENT


def publish_upcoming(client: Any, headers: Any, effective: str | None = None) -> int:
    client.post("/api/v1/draft/recipients", json=NEW_RECIPIENT, headers=headers)
    body = {"summary": "Add OpenAI"} | (
        {"effective_at": effective, "short_notice_reason": "Test"} if effective else {}
    )
    response = client.post("/api/v1/publications", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["version"])


def objection_form(**fields: str) -> dict[str, str]:
    return {
        "recipient": "openai",
        "reason": "We do not accept transfers to this provider.",
        "contact_email": "dpo@customer.example",
        "contact_name": "Dana",
        "organisation": "Customer GmbH",
        "t": "",
    } | fields


def stored(engine: Any) -> list[Objection]:
    with Session(engine) as session:
        return list(session.exec(select(Objection)))


def test_objection_within_the_window_is_recorded_with_a_reference(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    form = client.get(f"/objections/new?version={number}&recipient=openai")
    assert form.status_code == 200
    assert BeautifulSoup(form.text, "html.parser").select_one("form textarea#reason") is not None
    response = client.post("/objections", data=objection_form(version=str(number)))
    assert response.status_code == 200
    (objection,) = stored(engine)
    assert objection.reference in response.text
    assert objection.recipient_slug == "openai" and objection.organisation == "Customer GmbH"


def test_web_objection_counts_only_once_confirmed(
    client: Any, editor_headers: Any, engine: Any, settings: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    with Session(engine) as session:
        submitted = objections.submit(
            session,
            secret="s",
            version_number=number,
            reason="No.",
            contact_email="a@customer.example",
        )
        session.commit()
        token = submitted.confirm_token
    assert token
    (objection,) = stored(engine)
    assert objection.status == ObjectionStatus.PENDING_CONFIRMATION
    assert client.get(f"/objections/confirm/{token}").status_code == 200
    (objection,) = stored(engine)
    assert objection.status == ObjectionStatus.OPEN and objection.confirmed_at is not None
    assert client.get("/objections/confirm/not-a-token").status_code == 404


def test_objection_from_a_notice_link_counts_at_once(
    client: Any, editor_headers: Any, engine: Any, settings: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    token = objections.notice_token(settings.resolved_secret_key(), number, "dpo@customer.example")
    response = client.post("/objections", data=objection_form(version=str(number), t=token))
    assert response.status_code == 200
    (objection,) = stored(engine)
    assert objection.status == ObjectionStatus.OPEN and objection.source == "notice"
    forged = objection_form(version=str(number), t=token, contact_email="other@example.com")
    client.post("/objections", data=forged)
    statuses = sorted(o.status for o in stored(engine))
    assert statuses == [ObjectionStatus.OPEN, ObjectionStatus.PENDING_CONFIRMATION]


def test_objection_after_the_window_is_refused_with_a_clear_message(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    today = datetime.now(UTC).date().isoformat()
    number = publish_upcoming(client, editor_headers, effective=today)
    page = client.get(f"/objections/new?version={number}")
    assert page.status_code == 200
    assert "closed" in page.text and "took effect" in page.text
    response = client.post("/objections", data=objection_form(version=str(number)))
    assert response.status_code == 409
    assert "closed" in response.text
    assert stored(engine) == []


def test_bad_objection_shows_the_error_beside_the_field_and_keeps_the_text(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    response = client.post(
        "/objections", data=objection_form(version=str(number), contact_email="not-an-address")
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("#contact_email-error") is not None
    assert soup.select_one("#reason").get_text() == objection_form()["reason"]
    assert stored(engine) == []


def test_notice_period_warning_names_the_organisations_owed_more(engine: Any) -> None:
    from registry.services.organisations import save_organisation

    with Session(engine) as session:
        for name, days in (("Short Ltd", 15), ("Standard SA", 30), ("Careful AG", 60)):
            save_organisation(session, name=name, notice_days=days, actor="legal@example.com")
        session.commit()
        in_20_days = datetime.now(UTC).date() + timedelta(days=20)
        owed = objections.organisations_owed_more_notice(session, in_20_days)
    assert [o.name for o in owed] == ["Careful AG", "Standard SA"]


def test_legal_moves_an_objection_on_and_every_change_is_in_the_history(
    client: Any, editor_headers: Any, viewer_headers: Any, engine: Any, settings: Any
) -> None:
    from registry.models import ChangeRecord

    number = publish_upcoming(client, editor_headers)
    token = objections.notice_token(settings.resolved_secret_key(), number, "dpo@customer.example")
    client.post("/objections", data=objection_form(version=str(number), t=token))
    (objection,) = stored(engine)
    url = f"/api/v1/objections/{objection.reference}"
    assert client.get(url, headers=viewer_headers).json()["status"] == "open"
    assert (
        client.patch(url, json={"status": "in_discussion"}, headers=viewer_headers).status_code
        == 403
    )
    assert (
        client.patch(url, json={"status": "in_discussion"}, headers=editor_headers).status_code
        == 200
    )
    kept = client.patch(url, json={"status": "change_kept"}, headers=editor_headers)
    assert kept.status_code == 400 and "note" in kept.json()["detail"]
    note = {"kind": "note", "body": "Called their DPO."}
    assert client.post(f"{url}/entries", json=note, headers=editor_headers).status_code == 201
    resolved = client.patch(
        url,
        json={"status": "change_kept", "note": "DPF certified; SCCs signed."},
        headers=editor_headers,
    )
    assert resolved.json()["resolution"] == "DPF certified; SCCs signed."
    detail = client.get(url, headers=editor_headers).json()
    assert [e["kind"] for e in detail["entries"]] == ["status", "note", "status"]
    with Session(engine) as session:
        history = session.exec(
            select(ChangeRecord)
            .where(ChangeRecord.object_key == objection.reference)
            .order_by(ChangeRecord.id)  # type: ignore[arg-type]
        ).all()
    statuses = [r.after["status"] for r in history if r.object_type == "objection" and r.after]
    assert statuses == ["open", "in_discussion", "change_kept"]


def test_organisations_and_the_notice_warning_through_the_api(
    client: Any, editor_headers: Any
) -> None:
    created = client.post(
        "/api/v1/organisations",
        json={"name": "Careful AG", "notice_days": 60},
        headers=editor_headers,
    )
    assert created.status_code == 201
    duplicate = client.post(
        "/api/v1/organisations",
        json={"name": "careful ag", "notice_days": 10},
        headers=editor_headers,
    )
    assert duplicate.status_code == 409
    soon = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    warning = client.get(
        f"/api/v1/publications/notice-warnings?effective_at={soon}", headers=editor_headers
    ).json()
    assert [o["name"] for o in warning["organisations"]] == ["Careful AG"]
    bad = client.post(
        "/api/v1/organisations", json={"name": "X", "notice_days": -1}, headers=editor_headers
    )
    assert bad.status_code == 400 and "notice_days" in bad.json()["detail"]
