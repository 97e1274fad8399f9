"""/changes, /changes.atom, webhooks (challenge, signed deliveries), and the admin's API."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient
from sqlmodel import select

from registry.app import create_app
from registry.db import read_session, transaction
from registry.enums import WebhookStatus
from registry.errors import InvalidInput
from registry.models import OutboxMessage, Subscriber, WebhookEndpoint
from registry.models.base import utcnow
from registry.notices import subscriptions, webhooks
from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import SmtpSink, add_confirmed, publish_change

ATOM = "{http://www.w3.org/2005/Atom}"


class Receiver(ThreadingHTTPServer):
    """A webhook endpoint on loopback: echoes challenges, keeps deliveries."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.challenges: list[tuple[dict[str, str], bytes]] = []
        self.echo = True
        self.challenge_status = 200
        super().__init__(("127.0.0.1", 0), _ReceiverHandler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"


class _ReceiverHandler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        payload = json.loads(body)
        status = 200
        if payload.get("event") == "challenge":
            self.server.challenges.append((dict(self.headers), body))
            answer = json.dumps({"challenge": payload["challenge"] if self.server.echo else ""})
            status = self.server.challenge_status
        else:
            self.server.deliveries.append((dict(self.headers), body))
            answer = "{}"
        self.send_response(status)
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def hook_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhook_allow_insecure_loopback": True})


@pytest.fixture
def hook_client(hook_settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(app=create_app(hook_settings), base_url="http://testserver.local") as client:
        yield client


def test_changes_lists_every_version_with_anchors_and_marks_upcoming(
    client: Any, engine: Any
) -> None:
    number = publish_change(engine)
    page = BeautifulSoup(client.get("/changes").text, "html.parser")
    upcoming = page.find(id=f"version-{number}")
    assert upcoming is not None and "upcoming" in upcoming["class"]
    assert "New destination countries" in upcoming.text
    first = page.find(id="version-1")
    assert first is not None and "upcoming" not in first["class"]


def test_the_atom_feed_is_valid_with_one_entry_per_publication(client: Any, engine: Any) -> None:
    publish_change(engine)
    response = client.get("/changes.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert ids == [
        "http://testserver.local/changes#version-2",
        "http://testserver.local/changes#version-1",
    ]
    content = entries[0].find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert "<del>" in (content.text or "")  # escaped HTML, read back as text


def test_a_webhook_must_echo_the_challenge(hook_client: Any, receiver: Receiver) -> None:
    receiver.echo = False
    response = hook_client.post("/api/v1/webhooks", json={"url": receiver.url})
    assert response.status_code == 400
    assert response.json()["extra"] == [
        {"key": "url", "message": "the endpoint did not echo the challenge", "source": "body"}
    ]


def test_a_challenge_the_endpoint_fails_is_400_with_its_answer(
    hook_client: Any, receiver: Receiver
) -> None:
    receiver.challenge_status = 500
    response = hook_client.post("/api/v1/webhooks", json={"url": receiver.url})
    assert response.status_code == 400
    [problem] = response.json()["extra"]
    assert problem["key"] == "url"
    assert problem["message"].startswith("the challenge failed: HTTP 500: {")


def test_the_challenge_is_signed_with_the_secret_the_answer_gives(
    hook_client: Any, receiver: Receiver
) -> None:
    """The secret is 256 bits and the challenge 192, both URL-safe base64; the receiver can
    check the challenge's signature with the secret it is then given."""
    secret = hook_client.post("/api/v1/webhooks", json={"url": receiver.url}).json()["secret"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", secret)
    [(headers, body)] = receiver.challenges
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", json.loads(body)["challenge"])
    fields = dict(part.split("=", 1) for part in headers["X-Registry-Signature"].split(","))
    assert abs(int(fields["t"]) - time.time()) < 300
    expected = hmac.new(secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256)
    assert fields["v1"] == expected.hexdigest()


def test_a_webhook_must_be_https_unless_loopback_is_allowed(
    client: Any, receiver: Receiver
) -> None:
    response = client.post("/api/v1/webhooks", json={"url": receiver.url})
    assert response.status_code == 400
    assert "https" in response.json()["detail"]


def test_a_registered_webhook_receives_each_publication_signed(
    hook_client: Any, hook_settings: Settings, engine: Any, receiver: Receiver
) -> None:
    registered = hook_client.post("/api/v1/webhooks", json={"url": receiver.url})
    assert registered.status_code == 201, registered.text
    secret = registered.json()["secret"]
    number = publish_change(engine)
    worker = Worker(engine, hook_settings)
    while worker.run_once():
        pass
    assert len(receiver.deliveries) == 1
    headers, body = receiver.deliveries[0]
    fields = dict(part.split("=", 1) for part in headers["X-Registry-Signature"].split(","))
    expected = hmac.new(
        secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    payload = json.loads(body)
    assert payload["version"] == number and payload["diff"]["new_destinations"] == ["IN"]


def test_admins_list_search_count_and_remove_subscribers(
    client: Any, engine: Any, editor_headers: Any, viewer_headers: Any
) -> None:
    add_confirmed(engine, 3, prefix="acme")
    add_confirmed(engine, 2, prefix="other")
    page = client.get("/api/v1/subscribers", params={"q": "acme"}, headers=viewer_headers).json()
    assert page["total"] == 3 and page["counts"]["confirmed"] == 5
    target = page["items"][0]["id"]
    assert client.delete(f"/api/v1/subscribers/{target}", headers=viewer_headers).status_code == 403
    assert client.delete(f"/api/v1/subscribers/{target}", headers=editor_headers).status_code == 204
    assert client.get("/api/v1/subscribers", headers=viewer_headers).json()["total"] == 4
    assert client.get("/api/v1/subscribers").status_code == 401


def test_delivery_status_per_publication_and_retry_now(
    client: Any, engine: Any, settings: Settings, editor_headers: Any, viewer_headers: Any
) -> None:
    add_confirmed(engine, 2)
    number = publish_change(engine)
    down = SmtpSink()  # never started: nothing listens on its port
    mail = settings.model_copy(
        update={"smtp_url": down.url, "outbox_max_attempts": 1, "outbox_retry_seconds": 0}
    )
    Worker(engine, mail).run_once()  # SMTP is down: fails, and is final after one attempt
    url = f"/api/v1/publications/{number}/deliveries"
    status = client.get(url, headers=viewer_headers).json()
    assert status["counts"]["failed"] == 2
    assert all("cannot connect" in m["last_error"] for m in status["unsent"])
    assert client.post(f"{url}/retry", headers=viewer_headers).status_code == 403
    assert client.post(f"{url}/retry", headers=editor_headers).json() == {"retried": 2}
    sink = SmtpSink(down.port).start()
    worker = Worker(engine, mail)
    try:
        while worker.run_once():
            pass
    finally:
        sink.stop()
    assert client.get(url, headers=viewer_headers).json()["counts"]["sent"] == 2


def test_the_owner_stops_a_webhook_with_its_secret(
    hook_client: Any, hook_settings: Settings, engine: Any, receiver: Receiver
) -> None:
    registered = hook_client.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    url = f"/api/v1/webhooks/{registered['id']}"
    assert hook_client.delete(url, headers={"X-Registry-Secret": "wrong"}).status_code == 404
    assert (
        hook_client.delete(url, headers={"X-Registry-Secret": registered["secret"]}).status_code
        == 204
    )
    publish_change(engine)
    worker = Worker(engine, hook_settings)
    while worker.run_once():
        pass
    assert receiver.deliveries == []


def deliver_all(engine: Any, settings: Settings) -> None:
    worker = Worker(engine, settings)
    while worker.run_once():
        pass
    worker.close()


def test_a_delivery_says_what_it_is_and_when_it_was_signed(
    hook_client: Any, hook_settings: Settings, engine: Any, receiver: Receiver
) -> None:
    assert hook_client.post("/api/v1/webhooks", json={"url": receiver.url}).status_code == 201
    publish_change(engine)
    deliver_all(engine, hook_settings)
    [(headers, _body)] = receiver.deliveries
    # Header names as the README spells them, on the wire.
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "registry-webhooks/1"
    assert headers["X-Registry-Event"] == "publication"
    assert headers["X-Registry-Delivery"]
    stamp = headers["X-Registry-Signature"].split(",")[0]
    assert re.fullmatch(r"t=\d+", stamp)
    assert abs(int(stamp[2:]) - time.time()) < 300  # receivers refuse an old t


def test_a_registered_endpoint_is_stored_active_with_when_it_proved_itself(
    hook_client: Any, engine: Any, receiver: Receiver
) -> None:
    before = utcnow()
    answer = hook_client.post(
        "/api/v1/webhooks", json={"url": receiver.url, "description": "Privacy team's receiver"}
    ).json()
    assert answer["status"] == "active"
    with read_session(engine) as session:
        endpoint = session.get(WebhookEndpoint, answer["id"])
    assert endpoint is not None
    assert endpoint.status == WebhookStatus.ACTIVE
    assert endpoint.description == "Privacy team's receiver"
    assert endpoint.challenge_passed_at is not None
    assert before <= endpoint.challenge_passed_at <= utcnow()


def test_removing_a_webhook_that_does_not_exist_says_which(hook_client: Any) -> None:
    response = hook_client.delete("/api/v1/webhooks/987", headers={"X-Registry-Secret": "s"})
    assert response.status_code == 404
    assert response.json()["detail"] == "Webhook 987 does not exist"


def test_deliver_signs_and_posts_in_one_call(receiver: Receiver) -> None:
    body = json.dumps({"event": "publication", "version": 7}).encode()
    with pytest.raises(InvalidInput):  # http:// to loopback only when asked for
        webhooks.deliver(receiver.url, "s3cret", body, "delivery-1")
    assert receiver.deliveries == []
    answer = webhooks.deliver(
        receiver.url, "s3cret", body, "delivery-1", allow_insecure_loopback=True
    )
    assert answer == "HTTP 200"
    [(headers, received)] = receiver.deliveries
    assert received == body
    assert headers["X-Registry-Delivery"] == "delivery-1"
    assert headers["X-Registry-Event"] == "publication"
    fields = dict(part.split("=", 1) for part in headers["X-Registry-Signature"].split(","))
    expected = hmac.new(b"s3cret", fields["t"].encode() + b"." + body, hashlib.sha256)
    assert fields["v1"] == expected.hexdigest()


def test_subscribers_are_searched_filtered_counted_and_paged_newest_first(
    client: Any, engine: Any, viewer_headers: Any
) -> None:
    add_confirmed(engine, 2, prefix="zeta")
    with transaction(engine) as session:
        subscriptions.subscribe(
            session, email="ops@acme.example", lang="en", organisation="ACME Corp"
        )
        subscriptions.subscribe(session, email="dpo@other.example", lang="ko")

    def page(**params: Any) -> dict[str, Any]:
        answer = client.get("/api/v1/subscribers", params=params, headers=viewer_headers)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def emails(result: dict[str, Any]) -> list[str]:
        return [item["email"] for item in result["items"]]

    everyone = page()
    assert everyone["total"] == 4
    assert emails(everyone) == [
        "dpo@other.example",
        "ops@acme.example",
        "zeta1@example.com",
        "zeta0@example.com",
    ]
    assert everyone["counts"] == {"pending": 2, "confirmed": 2, "unsubscribed": 0}
    assert emails(page(q="  ZETA1 ")) == ["zeta1@example.com"]  # trimmed, any case
    assert emails(page(q="corp")) == ["ops@acme.example"]  # the organisation, any case
    assert emails(page(status="pending")) == ["dpo@other.example", "ops@acme.example"]
    assert emails(page(q="example.com", status="confirmed")) == [
        "zeta1@example.com",
        "zeta0@example.com",
    ]
    second = page(limit=2, offset=1)
    assert second["total"] == 4  # the total counts every match, not the page
    assert emails(second) == ["ops@acme.example", "zeta1@example.com"]
    assert page(q="nobody")["counts"]["confirmed"] == 2  # counts ignore the search


def test_removing_a_subscriber_drops_what_is_still_owed_to_it(
    client: Any, engine: Any, settings: Settings, editor_headers: Any
) -> None:
    with transaction(engine) as session:
        subscriptions.subscribe(session, email="gone@example.com", lang="en")
    deliver_all(engine, settings)  # no SMTP URL: written under var/mail, and sent
    with transaction(engine) as session:
        subscriptions.subscribe(session, email="gone@example.com", lang="en")
        subscriptions.subscribe(session, email="stays@example.com", lang="en")
    with read_session(engine) as session:
        owed = {m.recipient: m.subscriber_id for m in session.exec(select(OutboxMessage))}
    assert set(owed) == {"gone@example.com", "stays@example.com"}
    url = f"/api/v1/subscribers/{owed['gone@example.com']}"
    assert client.delete(url, headers=editor_headers).status_code == 204
    with read_session(engine) as session:
        left = sorted(
            (m.recipient, m.sent_at is not None) for m in session.exec(select(OutboxMessage))
        )
        people = [s.email for s in session.exec(select(Subscriber))]
    # What was sent stays as the record of sending; what was still owed goes.
    assert left == [("gone@example.com", True), ("stays@example.com", False)]
    assert "gone@example.com" not in people and "stays@example.com" in people
    again = client.delete(url, headers=editor_headers)
    assert again.status_code == 404
    assert again.json()["detail"] == f"Subscriber {owed['gone@example.com']} does not exist"
