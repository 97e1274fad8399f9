"""Notices that follow contracts: scoped subscribers, organisations' contacts and periods,
the go-live gate, and vendors' own sub-processors (issue 17; #12 item 7)."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, col, select

from registry.db import transaction
from registry.enums import OutboxKind
from registry.models import OutboxMessage, Subscriber
from registry.notices import scopes
from registry.notices.worker import Worker
from registry.schemas import RecipientIn
from registry.services import draft, versions
from registry.settings import Settings
from tests.support.legal import COMPLETE_RECIPIENT
from tests.support.notices import SmtpSink, add_confirmed

ORGS = "/api/v1/organisations"
# A new recipient complete enough to publish (the checklist is empty with it).
ZOOM = {
    **COMPLETE_RECIPIENT,
    "slug": "zoom",
    "name": "Zoom Video Communications, Inc.",
    "display_name": "Zoom",
    "services": ["Zoom"],
    "destinations": ["US"],
    "purposes": ["Customer support calls"],
    "data_categories": ["Name", "Voice"],
    "retention": "30 days",
    "translations": {
        "ko": {
            **COMPLETE_RECIPIENT["translations"]["ko"],
            "purposes": ["고객 지원 통화"],
            "data_categories": ["이름", "음성"],
            "retention": "30일",
        }
    },
}


def day(offset: int) -> str:
    return (datetime.now(UTC).date() + timedelta(days=offset)).isoformat()


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


def scoped(
    engine: Any, prefix: str, *, countries: tuple[str, ...] = (), recipients: tuple[str, ...] = ()
) -> int:
    """One confirmed subscriber following only `countries` and `recipients`."""
    add_confirmed(engine, 1, prefix=prefix)
    with transaction(engine) as session:
        subscriber = session.exec(
            select(Subscriber).where(Subscriber.email == f"{prefix}0@example.com")
        ).one()
        scopes.set_scope(session, scopes.Scope(countries, recipients), subscriber_id=subscriber.id)
        return subscriber.id or 0


def publish(engine: Any, change: Any, summary: str = "change") -> int:
    with transaction(engine) as session:
        change(session)
        return versions.publish(
            session, summary=summary, effective_at=None, notice_days=30, actor="test"
        ).number


def told(engine: Any, number: int) -> set[str]:
    with Session(engine) as session:
        rows = session.exec(
            select(OutboxMessage.recipient).where(
                OutboxMessage.version_number == number,
                col(OutboxMessage.kind).in_([OutboxKind.NOTICE, OutboxKind.CONTRACT]),
            )
        ).all()
    return set(rows)


def test_a_subscriber_scoped_to_japan_hears_of_japan_and_not_of_zoom(engine: Any) -> None:
    scoped(engine, "jp", countries=("JP",))
    add_confirmed(engine, 1, prefix="all")
    zoom = publish(engine, lambda s: draft.create_recipient(s, RecipientIn(**ZOOM), actor="t"))
    assert told(engine, zoom) == {"all0@example.com"}
    japan = publish(
        engine,
        lambda s: draft.patch_recipient(s, "ipinfo", {"destinations": ["US", "JP"]}, actor="t"),
    )
    assert told(engine, japan) == {"all0@example.com", "jp0@example.com"}
    retention = publish(
        engine, lambda s: draft.patch_recipient(s, "zoom", {"retention": "90 days"}, actor="t")
    )
    assert told(engine, retention) == {"all0@example.com"}


def test_a_subscriber_scoped_to_stripe_hears_of_a_new_stripe_onward_recipient(
    engine: Any,
) -> None:
    scoped(engine, "stripe", recipients=("stripe",))
    scoped(engine, "aws", recipients=("aws",))
    scoped(engine, "nl", countries=("NL",))
    adyen = {"name": "Adyen N.V.", "countries": ["NL"], "purpose": "Card acquiring"}
    number = publish(
        engine, lambda s: draft.patch_recipient(s, "stripe", {"onward": [adyen]}, actor="t")
    )
    assert told(engine, number) == {"stripe0@example.com", "nl0@example.com"}
    with Session(engine) as session:
        diff = versions.diff_of(session, versions.get_version(session, number))
    change = next(c for c in diff["changed"] if c["slug"] == "stripe")
    assert change["onward_added"] == [adyen | {"list_url": ""}]
    assert [f["field"] for f in change["fields"]] == ["onward"]


def test_subscribe_takes_a_scope_and_refuses_an_unknown_country(client: Any, engine: Any) -> None:
    answer = client.post(
        "/subscribe",
        data={"email": "scope@example.com", "countries": ["jp", "KR"], "recipients": "stripe"},
        headers={"Accept": "application/json"},
    )
    assert answer.status_code == 200
    with Session(engine) as session:
        subscriber = session.exec(
            select(Subscriber).where(Subscriber.email == "scope@example.com")
        ).one()
        assert scopes.scope_of(session, subscriber_id=subscriber.id) == scopes.Scope(
            ("JP", "KR"), ("stripe",)
        )
    bad = client.post(
        "/subscribe",
        data={"email": "other@example.com", "countries": "Atlantis"},
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400 and bad.json()["extra"][0]["key"] == "countries"
    with Session(engine) as session:
        assert (
            session.exec(select(Subscriber).where(Subscriber.email == "other@example.com")).first()
            is None
        )


def test_organisation_contacts_are_told_without_subscribing_and_the_evidence_says_so(
    client: Any, engine: Any, settings: Settings, editor_headers: Any, sink: SmtpSink
) -> None:
    created = client.post(
        ORGS,
        json={
            "name": "Kunde GmbH",
            "notice_days": 30,
            "contacts": ["DPO@kunde.example", "legal@kunde.example"],
            "lang": "ko",
            "dpa_signed_on": day(-100),
            "dpa_version": 1,
        },
        headers=editor_headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["contacts"] == ["dpo@kunde.example", "legal@kunde.example"]
    client.post(
        ORGS,
        json={
            "name": "Toss-only Ltd",
            "notice_days": 60,
            "contacts": ["a@toss-only.example"],
            "recipients": ["toss-payments"],
        },
        headers=editor_headers,
    )
    client.post("/api/v1/draft/recipients", json=ZOOM, headers=editor_headers)
    published = client.post(
        "/api/v1/publications", json={"summary": "Zoom for support"}, headers=editor_headers
    )
    assert published.status_code == 201, published.text
    number = published.json()["version"]
    worker = Worker(engine, settings.model_copy(update={"smtp_url": sink.url}))
    while worker.run_once():
        pass
    worker.close()
    assert sorted(sink.recipients()) == ["dpo@kunde.example", "legal@kunde.example"]
    message = email.message_from_bytes(sink.received[0][1], policy=email.policy.default)
    assert message["List-Unsubscribe"] is None  # the contract is the consent: legal handles it
    assert "변경" in str(message["Subject"]) or "버전" in str(message["Subject"])
    assert message["Message-ID"].startswith(f"<contract.v{number}.")
    evidence = client.get(f"/api/v1/versions/{number}/evidence", headers=editor_headers).json()
    [kunde] = evidence["organisations"]
    assert (kunde["organisation"], kunde["days_given"], kunde["days_owed"]) == (
        "Kunde GmbH",
        30,
        30,
    )
    assert kunde["cut_short"] is False
    assert {(t["to"], t["status"]) for t in kunde["told"]} == {
        ("dpo@kunde.example", "sent"),
        ("legal@kunde.example", "sent"),
    }
    assert all(t["accepted_at"] and t["message_id"] for t in kunde["told"])


def test_a_45_day_contract_cut_to_10_days_needs_a_reason_recorded_with_the_version(
    client: Any, editor_headers: Any
) -> None:
    client.post(
        ORGS,
        json={"name": "Careful AG", "notice_days": 45, "contacts": ["dpo@careful.example"]},
        headers=editor_headers,
    )
    client.post("/api/v1/draft/recipients", json=ZOOM, headers=editor_headers)
    for offset in (10, 40):  # short of ours (30 days) and of the contract's (45)
        refused = client.post(
            "/api/v1/publications",
            json={"summary": "Zoom", "effective_at": day(offset)},
            headers=editor_headers,
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["extra"][0]["key"] == "short_notice_reason"
    assert "Careful AG (45)" in refused.json()["detail"]
    assert client.get("/api/v1/versions").json()[0]["version"] == 1  # nothing published
    warnings = client.get(
        f"/api/v1/publications/notice-warnings?effective_at={day(10)}", headers=editor_headers
    ).json()
    assert [(o["name"], o["days_given"], o["days_owed"]) for o in warnings["told"]] == [
        ("Careful AG", 10, 45)
    ]
    accepted = client.post(
        "/api/v1/publications",
        json={
            "summary": "Zoom",
            "effective_at": day(10),
            "short_notice_reason": "Support calls move to Zoom after an outage",
        },
        headers=editor_headers,
    )
    assert accepted.status_code == 201
    evidence = client.get("/api/v1/versions/2/evidence", headers=editor_headers).json()
    assert evidence["short_notice_reason"] == "Support calls move to Zoom after an outage"
    assert [
        (o["organisation"], o["days_given"], o["days_owed"], o["cut_short"])
        for o in evidence["organisations"]
    ] == [("Careful AG", 10, 45, True)]


def test_an_organisation_the_change_does_not_concern_is_not_cut_short(
    client: Any, editor_headers: Any
) -> None:
    client.post(
        ORGS,
        json={"name": "Payments Only", "notice_days": 90, "recipients": ["toss-payments"]},
        headers=editor_headers,
    )
    client.post("/api/v1/draft/recipients", json=ZOOM, headers=editor_headers)
    published = client.post(
        "/api/v1/publications",
        json={"summary": "Zoom", "effective_at": day(30)},
        headers=editor_headers,
    )
    assert published.status_code == 201, published.text


def test_organisation_input_is_checked_field_by_field(client: Any, editor_headers: Any) -> None:
    for field, value in (
        ("contacts", ["not an address"]),
        ("countries", ["Atlantis"]),
        ("lang", "fr"),
        ("dpa_version", 99),
    ):
        answer = client.post(
            ORGS,
            json={"name": f"Bad {field}", "notice_days": 30, field: value},
            headers=editor_headers,
        )
        assert answer.status_code == 400, (field, answer.text)
        assert field in answer.text
    assert client.get(ORGS, headers=editor_headers).json() == []
