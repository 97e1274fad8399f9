"""The request pipeline: every response (404 and 405 included) gets the security headers and
the Host check; the client address comes from trusted proxies only; health endpoints."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from registry.app import create_app
from registry.models import LoginAttempt
from registry.settings import Settings
from registry.web.clients import TrustedProxies, client_address
from tests.support.admin import sign_in

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


def _has_security_headers(headers: Any) -> bool:
    return (
        "frame-ancestors 'none'" in headers.get("content-security-policy", "")
        and headers.get("x-content-type-options") == "nosniff"
        and headers.get("x-frame-options") == "DENY"
        and bool(headers.get("x-request-id"))
    )


def test_a_missing_page_and_a_wrong_method_carry_the_security_headers(client: Any) -> None:
    missing = client.get("/no/such/page")
    wrong_method = client.delete("/")
    assert missing.status_code == 404 and _has_security_headers(missing.headers)
    assert wrong_method.status_code == 405 and _has_security_headers(wrong_method.headers)


def test_a_foreign_host_is_refused_on_a_missing_path_and_a_wrong_method(client: Any) -> None:
    for method, path in (("GET", "/no/such/page"), ("DELETE", "/"), ("GET", "/static/x")):
        response = client.request(method, path, headers={"Host": "evil.example"})
        assert response.status_code == 400, (method, path)
        assert response.json()["extra"][0]["key"] == "Host"
        assert response.headers["x-frame-options"] == "DENY"


def test_a_caller_request_id_is_kept_and_others_get_distinct_ones(client: Any) -> None:
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == (
        "abc-123"
    )
    ids = {client.get("/health").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_the_client_is_the_nearest_untrusted_hop() -> None:
    proxies = TrustedProxies(["127.0.0.1", "10.0.0.0/8"])
    headers = {b"x-forwarded-for": b"198.51.100.7, 203.0.113.9, 10.1.2.3"}
    # The left entry was written by the client itself: only 203.0.113.9 is vouched for.
    assert client_address("127.0.0.1", headers, proxies) == "203.0.113.9"
    assert client_address("192.0.2.1", headers, proxies) == "192.0.2.1"  # peer not a proxy
    forwarded = {b"forwarded": b'for=192.0.2.60;proto=https, for="[2001:db8::1]:4711"'}
    assert client_address("10.9.9.9", forwarded, proxies) == "2001:db8::1"
    garbage = {b"x-forwarded-for": b"not-an-address"}
    assert client_address("127.0.0.1", garbage, proxies) == "127.0.0.1"


def _subscribe(client: Any, forwarded_for: str) -> int:
    response = client.post(
        "/subscribe",
        data={"email": "someone@example.com"},
        headers={"X-Forwarded-For": forwarded_for, "Accept": "application/json"},
    )
    return int(response.status_code)


def test_the_subscribe_limit_counts_forwarded_clients_behind_a_trusted_proxy(
    settings: Settings,
) -> None:
    trusting = settings.model_copy(
        update={"trusted_proxies": "testclient", "subscribe_ip_limit": 1}
    )
    with TestClient(app=create_app(trusting), base_url="http://testserver.local") as client:
        assert _subscribe(client, "203.0.113.1") == 200
        assert _subscribe(client, "203.0.113.2") == 200  # another client: its own limit
        assert _subscribe(client, "203.0.113.1") == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings: Settings) -> None:
    limited = settings.model_copy(update={"subscribe_ip_limit": 1})
    with TestClient(app=create_app(limited), base_url="http://testserver.local") as client:
        assert _subscribe(client, "203.0.113.1") == 200
        assert _subscribe(client, "203.0.113.2") == 429  # a forged header buys nothing


def test_sign_in_attempts_record_the_forwarded_client(settings: Settings, engine: Any) -> None:
    trusting = settings.model_copy(update={"trusted_proxies": "testclient"})
    with TestClient(app=create_app(trusting), base_url="http://testserver.local") as client:
        client.headers["X-Forwarded-For"] = "198.51.100.23"
        assert sign_in(client, "nobody@example.com", "wrong password!").status_code == 400
    with Session(engine) as session:
        ips = {attempt.ip for attempt in session.exec(select(LoginAttempt))}
    assert ips == {"198.51.100.23"}


def test_health_checks_the_database_and_live_does_not(settings: Settings) -> None:
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        assert client.get("/health/live").json() == {"status": "ok"}
        for path in ("/health", "/health/ready"):
            ready = client.get(path)
            assert ready.status_code == 200 and ready.json() == {"status": "ok"}
            assert ready.headers["cache-control"] == "no-store"


def test_health_answers_503_when_the_database_is_gone(settings: Settings) -> None:
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite only: the database file is what this test takes away")
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        client.app.state.engine.dispose()
        database.rename(database.with_suffix(".moved"))
        database.mkdir()  # where the file was, nothing SQLite can open
        assert client.get("/health/live").status_code == 200  # the process still serves
        for path in ("/health", "/health/ready"):
            ready = client.get(path)
            assert ready.status_code == 503 and ready.json() == {"status": "unavailable"}
            assert ready.headers["retry-after"] == "1"
