"""Issue 11.10: no 500 for bad input, anywhere; webhooks reach only what was checked.

Each input below answered 500 before; now a 4xx naming the field, and nothing
changed. Webhook addresses that smuggle a private IPv4 address through NAT64
or 6to4 are refused, a delivery goes to the address that was checked, and one
deadline bounds the whole delivery.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from sqlmodel import Session, select

from registry.models import Company, Objection, RegistryVersion
from registry.notices import webhook_net
from registry.services.snapshot import canonical_json, content_hash
from tests.test_changes_and_webhooks import Receiver, hook_client, hook_settings, receiver  # noqa: F401
from tests.test_objections import objection_form, publish_upcoming


def field_of(response: Any) -> str:
    return str(response.json()["extra"][0]["key"])


def test_an_offset_past_the_integer_column_is_400(client: Any, viewer_headers: Any) -> None:
    response = client.get(
        "/api/v1/subscribers?offset=2485568345523669172224", headers=viewer_headers
    )
    assert response.status_code == 400
    assert field_of(response) == "offset"


@pytest.mark.parametrize("path", ["/annexes", "/annexes.pdf", "/transfers.pdf"])
def test_a_version_of_five_thousand_digits_is_400(client: Any, path: str) -> None:
    response = client.get(f"{path}?version={'9' * 5000}")
    assert response.status_code == 400
    assert field_of(response) == "version"


def test_an_objection_for_version_superscript_two_is_400(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    publish_upcoming(client, editor_headers)
    response = client.post("/objections", data=objection_form(version="²"))
    assert response.status_code == 400
    assert field_of(response) == "version"
    with Session(engine) as session:
        assert session.exec(select(Objection)).all() == []


@pytest.mark.parametrize("path", ["/api/v1/webhooks", "/api/v1/draft/recipients"])
def test_json_nested_too_deeply_is_400(client: Any, editor_headers: Any, path: str) -> None:
    nested = "[" * 100_000 + "]" * 100_000
    response = client.post(
        path, content=nested, headers={"content-type": "application/json", **editor_headers}
    )
    assert response.status_code == 400
    assert field_of(response) == "body"


def test_a_duplicate_organisation_name_is_409_on_create_and_replace(
    client: Any, editor_headers: Any
) -> None:
    body = {"name": "Acme GmbH", "notice_days": 30}
    assert (
        client.post("/api/v1/organisations", json=body, headers=editor_headers).status_code == 201
    )
    again = client.post("/api/v1/organisations", json=body, headers=editor_headers)
    assert again.status_code == 409 and field_of(again) == "name"
    other = client.post(
        "/api/v1/organisations", json={"name": "Beta", "notice_days": 30}, headers=editor_headers
    ).json()
    renamed = client.put(f"/api/v1/organisations/{other['id']}", json=body, headers=editor_headers)
    assert renamed.status_code == 409 and field_of(renamed) == "name"


def test_the_feed_survives_a_control_character_frozen_in_an_old_version(
    client: Any, engine: Any
) -> None:
    """The company name now refuses control characters; versions frozen before keep them."""
    with Session(engine) as session:
        version = session.get(RegistryVersion, 1)
        assert version is not None
        import json

        snapshot = json.loads(version.snapshot)
        snapshot["company"]["name"] = "Acme\x0b\x01 Inc."
        version.snapshot = canonical_json(snapshot)
        version.content_hash = content_hash(version.snapshot)
        company = session.get(Company, 1)
        assert company is not None
        session.commit()
    response = client.get("/changes.atom")
    assert response.status_code == 200
    ElementTree.fromstring(response.content)  # noqa: S314 (our own feed) well-formed XML


@pytest.mark.parametrize(
    "url",
    [
        "https://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254 (cloud metadata)
        "https://[64:ff9b:1::a00:1]/hook",  # local-use NAT64
        "https://[2002:a00:1::]/hook",  # 6to4 of 10.0.0.1
        "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
        "https://[::ffff:192.168.0.1]/hook",  # IPv4-mapped
    ],
)
def test_webhook_addresses_embedding_private_ipv4_are_refused(client: Any, url: str) -> None:
    response = client.post("/api/v1/webhooks", json={"url": url})
    assert response.status_code == 400
    assert field_of(response) == "url"
    assert "public" in response.json()["detail"]


def test_nat64_and_6to4_of_a_public_address_are_public() -> None:
    import ipaddress

    assert webhook_net.is_public(ipaddress.ip_address("64:ff9b::808:808"))
    assert webhook_net.is_public(ipaddress.ip_address("2002:808:808::"))


def test_a_delivery_goes_to_the_address_that_was_checked(receiver: Receiver) -> None:
    """The host name is never resolved again: a second DNS answer cannot redirect it."""
    port = receiver.server_address[1]
    target = webhook_net.Target("http", "rebound.invalid", port, "/hook", "127.0.0.1")
    status, _answer = webhook_net.post(
        target, b'{"event": "x"}', {"Content-Type": "application/json"}
    )
    assert status == 200
    assert receiver.deliveries[0][0]["Host"] == f"rebound.invalid:{port}"


@pytest.fixture
def trickler() -> Iterator[int]:
    """Answers one byte every 0.2 s forever: each read is quick, the whole never ends."""
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(5)
        try:
            connection, _ = server.accept()
        except OSError:
            return
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\n")
            while not stop.is_set():
                try:
                    connection.sendall(b"X")
                except OSError:
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    server.close()


def test_one_deadline_bounds_the_whole_delivery(trickler: int) -> None:
    target = webhook_net.Target("http", "127.0.0.1", trickler, "/", "127.0.0.1")
    with pytest.raises(TimeoutError):
        webhook_net.post(target, b"{}", {}, deadline=1.0)


def test_a_validation_error_on_the_new_recipient_form_is_400_with_the_form(
    client: Any, engine: Any
) -> None:
    from bs4 import BeautifulSoup

    from registry.enums import UserRole
    from tests.support.admin import csrf_of, make_user, sign_in

    sign_in(client, make_user(engine, UserRole.EDITOR))
    token = csrf_of(client, "/admin/recipients/new")
    response = client.post(
        "/admin/recipients/new", data={"_csrf_token": token, "name": "", "version_id": "²"}
    )
    assert response.status_code == 400
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.select_one("form") is not None
    assert "name" in response.text
