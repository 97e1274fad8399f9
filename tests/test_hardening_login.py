"""Issue 11.4 and 11.5: no lock-out as a weapon, no account oracle in sign-in.

Guesses are throttled per (account, client) with growing delays and per client
over all accounts; the owner signing in from elsewhere is never locked out, and
is told by email when the account sees many failures. A sign-in for an address
with no account verifies a dummy hash made like a real one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import argon2
import pytest
from litestar.testing import TestClient
from sqlmodel import Session, select

from registry.app import create_app
from registry.db import transaction
from registry.enums import OutboxKind, UserRole
from registry.models import OutboxMessage, User
from registry.services import login_throttle, sessions
from registry.services.sessions import SessionPolicy
from registry.settings import Settings
from tests.support.admin import PASSWORD, csrf_of, make_user, sign_in

POLICY = SessionPolicy(
    idle=timedelta(minutes=30),
    absolute=timedelta(hours=12),
    max_failures=5,
    max_failures_per_ip=20,
    window=timedelta(minutes=15),
    hash_profile="cheap",
)


def client_of(settings: Settings) -> TestClient[Any]:
    return TestClient(app=create_app(settings), base_url="http://testserver.local")


def attempt(engine: Any, email: str, password: str, ip: str) -> User | None:
    with transaction(engine) as session:
        return sessions.authenticate(session, email, password, ip=ip, policy=POLICY)


def test_guesses_from_one_client_never_lock_out_the_owner_elsewhere(engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    for _ in range(5):
        assert attempt(engine, email, "wrong password!", "203.0.113.9") is None
    with pytest.raises(login_throttle.Throttled) as raised:
        attempt(engine, email, PASSWORD, "203.0.113.9")  # the guesser now waits
    assert 0 < raised.value.retry_after <= login_throttle.FIRST_DELAY_SECONDS
    assert attempt(engine, email, PASSWORD, "198.51.100.7") is not None  # the owner does not


def test_the_delay_grows_with_each_failure_up_to_the_window() -> None:
    delays = [login_throttle.delay_after(n, POLICY).total_seconds() for n in range(4, 12)]
    assert delays == [0, 15, 30, 60, 120, 240, 480, 900]


def test_a_throttled_sign_in_answers_429_with_retry_after(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    with client_of(settings) as client:
        for _ in range(settings.admin_login_max_failures):
            assert sign_in(client, email, "wrong password!").status_code == 400
        throttled = sign_in(client, email)
    assert throttled.status_code == 429
    assert 0 < int(throttled.headers["retry-after"]) <= login_throttle.FIRST_DELAY_SECONDS
    assert "seconds" in throttled.text


def test_the_owner_is_emailed_once_when_the_account_sees_many_failures(
    settings: Settings, engine: Any
) -> None:
    email = make_user(engine, UserRole.EDITOR)
    lenient = settings.model_copy(update={"admin_login_max_failures": 50})
    with client_of(lenient) as client:
        for _ in range(login_throttle.ALERT_AFTER + 3):
            assert sign_in(client, email, "wrong password!").status_code == 400
    with Session(engine) as session:
        alerts = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.MESSAGE)
        ).all()
    assert [a.recipient for a in alerts] == [email]
    assert "failed sign-ins" in alerts[0].subject
    assert "not locked" in alerts[0].body_text


def test_guesses_at_the_current_password_are_throttled(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    with client_of(settings) as client:
        sign_in(client, email)
        token = csrf_of(client, "/admin/password")
        form = {
            "_csrf_token": token,
            "current_password": "guess guess guess",
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        }
        for _ in range(settings.admin_login_max_failures):
            assert client.post("/admin/password", data=form).status_code == 400
        throttled = client.post("/admin/password", data=form | {"current_password": PASSWORD})
    assert throttled.status_code == 429
    assert "retry-after" in throttled.headers


def test_an_unknown_address_is_checked_against_a_hash_made_like_a_real_one(
    engine: Any,
) -> None:
    email = make_user(engine, UserRole.VIEWER)
    with Session(engine) as session:
        real = session.exec(select(User.password_hash).where(User.email == email)).one()
    dummy = login_throttle.dummy_hash("cheap")
    assert argon2.extract_parameters(dummy) == argon2.extract_parameters(real)
    assert attempt(engine, "nobody@example.com", PASSWORD, "192.0.2.1") is None
