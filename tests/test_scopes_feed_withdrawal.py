"""Scopes beyond email: the Atom feed filtered like a scoped subscription, the manage page's
scope, and a withdrawal that reaches the organisations' contacts who were told."""

from __future__ import annotations

from typing import Any
from xml.etree import ElementTree

from bs4 import BeautifulSoup
from sqlmodel import Session, select

from registry.db import transaction
from registry.models import Organisation, Subscriber
from registry.notices import scopes, tokens
from registry.notices.worker import Worker
from registry.schemas import RecipientIn
from registry.services import draft, org_contracts, versions
from registry.services.objection_mail import Mailer
from registry.settings import Settings
from registry.templating import build_environment
from tests.support.notices import SmtpSink, add_confirmed
from tests.test_contracts import ZOOM, publish

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client: Any, query: str) -> list[str]:
    answer = client.get("/changes.atom" + query)
    assert answer.status_code == 200, answer.text
    feed = ElementTree.fromstring(answer.content)  # noqa: S314 (our own feed, in a test)
    return [e.findtext(f"{ATOM}title") or "" for e in feed.iter(f"{ATOM}entry")]


def test_the_feed_filters_by_country_and_recipient_like_a_scope(client: Any, engine: Any) -> None:
    publish(engine, lambda s: draft.create_recipient(s, RecipientIn(**ZOOM), actor="t"))
    publish(
        engine,
        lambda s: draft.patch_recipient(s, "ipinfo", {"destinations": ["US", "JP"]}, actor="t"),
    )
    assert len(entries(client, "")) == 3
    assert [t.split(",")[0] for t in entries(client, "?country=JP")] == ["Version 3"]
    assert [t.split(",")[0] for t in entries(client, "?recipient=zoom")] == ["Version 2"]
    both = entries(client, "?country=jp&recipient=zoom")
    assert [t.split(",")[0] for t in both] == ["Version 3", "Version 2"]
    bad = client.get("/changes.atom?country=Atlantis")
    assert bad.status_code == 400 and bad.json()["extra"][0]["key"] == "countries"


def test_the_manage_page_edits_the_scope(client: Any, engine: Any, settings: Settings) -> None:
    add_confirmed(engine, 1, prefix="manage")
    with Session(engine) as session:
        subscriber = session.exec(select(Subscriber)).one()
    token = tokens.make_token(settings.resolved_secret_key(), tokens.MANAGE, subscriber.public_id)
    page = BeautifulSoup(client.get(f"/subscriptions/manage/{token}").text, "html.parser")
    boxes = {i["value"] for i in page.select('form.scope-form input[name="recipients"]')}
    assert {"stripe", "aws", "ipinfo"} <= boxes
    saved = client.post(
        f"/subscriptions/manage/{token}/scope",
        data={"recipients": ["stripe"], "countries": ["JP", "de"]},
    )
    assert saved.status_code == 200
    with Session(engine) as session:
        assert scopes.scope_of(session, subscriber_id=subscriber.id) == scopes.Scope(
            ("JP", "DE"), ("stripe",)
        )
    checked = BeautifulSoup(saved.text, "html.parser").select(
        'form.scope-form input[name="recipients"][checked]'
    )
    assert [i["value"] for i in checked] == ["stripe"]
    told = BeautifulSoup(saved.text, "html.parser").select_one("form.scope-form > p").get_text()
    assert told == "Only changes that touch: Stripe, Japan, Germany."  # names, not stripe, JP, DE
    cleared = client.post(f"/subscriptions/manage/{token}/scope", data={})
    assert cleared.status_code == 200
    with Session(engine) as session:
        assert scopes.scope_of(session, subscriber_id=subscriber.id).everything


def test_withdrawal_reaches_the_contacts_who_were_told(engine: Any, settings: Settings) -> None:
    sink = SmtpSink().start()
    try:
        mail = settings.model_copy(update={"smtp_url": sink.url})
        with transaction(engine) as session:
            organisation = Organisation(name="Kunde GmbH", notice_days=30)
            session.add(organisation)
            session.flush()
            terms = org_contracts.Terms(contacts=["dpo@kunde.example"])
            org_contracts.save_terms(
                session, organisation, terms, actor="t", today=versions.today()
            )
        number = publish(
            engine, lambda s: draft.create_recipient(s, RecipientIn(**ZOOM), actor="t")
        )
        worker = Worker(engine, mail)
        while worker.run_once():
            pass
        assert sink.recipients() == ["dpo@kunde.example"]
        mailer = Mailer(build_environment(), mail.base_url)
        with transaction(engine) as session:
            versions.withdraw_version(session, number, "Zoom is off.", "legal@x", mailer)
        while worker.run_once():
            pass
        worker.close()
        [withdrawal] = sink.messages()[1:]
        assert withdrawal["To"] == "dpo@kunde.example"
        assert "withdraw" in withdrawal["Subject"]
    finally:
        sink.stop()
