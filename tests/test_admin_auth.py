"""Admin sign-in: CSRF, session fixation, timeouts, throttling, sign-out, passwords."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar.testing import TestClient
from sqlalchemy import update

from registry.app import create_app
from registry.db import transaction
from registry.enums import UserRole
from registry.models import AdminSession
from registry.models.base import utcnow
from registry.settings import Settings
from tests.support.admin import PASSWORD, csrf_of, make_user, sign_in

SESSION = "registry_admin"


def _client(settings: Settings) -> TestClient[Any]:
    return TestClient(app=create_app(settings), base_url="http://testserver.local")


def test_sign_in_sets_an_httponly_lax_session_cookie(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    with _client(settings) as client:
        answer = sign_in(client, email)
        assert answer.status_code == 303
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        assert client.get("/admin/recipients").status_code == 200


def test_a_form_without_csrf_token_is_refused(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    with _client(settings) as client:
        sign_in(client, email)
        answer = client.post(
            "/admin/company", data={"name": "Evil Corp", "version_id": "1"}, follow_redirects=False
        )
        assert answer.status_code == 403
        bad = client.post("/admin/company", data={"_csrf_token": "forged", "name": "Evil"})
        assert bad.status_code == 403


def test_csrf_does_not_apply_to_the_api(client: TestClient[Any], editor_headers: Any) -> None:
    answer = client.patch(
        "/api/v1/draft/recipients/auth0", json={"retention": "One year"}, headers=editor_headers
    )
    assert answer.status_code == 200


def test_session_id_changes_at_sign_in(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    with _client(settings) as client:
        client.cookies.set(SESSION, "planted-by-attacker", domain="testserver.local", path="/admin")
        sign_in(client, email)
        first = client.cookies.get(SESSION)
        assert first and first != "planted-by-attacker"
        sign_in(client, email)
        second = client.cookies.get(SESSION)
        assert second and second != first
    with _client(settings) as other:
        other.cookies.set(SESSION, first, domain="testserver.local", path="/admin")
        assert other.get("/admin/recipients", follow_redirects=False).status_code == 303


def test_idle_session_ends(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    with _client(settings) as client:
        sign_in(client, email)
        stale = utcnow() - timedelta(minutes=settings.admin_session_idle_minutes + 1)
        with transaction(engine) as session:
            session.execute(update(AdminSession).values(last_seen_at=stale))
        answer = client.get("/admin/recipients", follow_redirects=False)
        assert answer.status_code == 303
        assert answer.headers["location"].startswith("/admin/login")


def test_sign_in_is_throttled_after_repeated_failures(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    strict = settings.model_copy(update={"admin_login_max_failures": 3})
    with _client(strict) as client:
        for _ in range(3):
            assert sign_in(client, email, "wrong password!").status_code == 400
        throttled = sign_in(client, email)  # even the right password now waits
        assert throttled.status_code == 429
    with _client(strict) as elsewhere:  # another process, same database
        assert sign_in(elsewhere, email).status_code == 429


def test_sign_in_is_throttled_per_address(settings: Settings, engine: Any) -> None:
    strict = settings.model_copy(update={"admin_login_max_failures_per_ip": 2})
    with _client(strict) as client:
        sign_in(client, "nobody1@example.com", "x")
        sign_in(client, "nobody2@example.com", "x")
        assert sign_in(client, make_user(engine, UserRole.VIEWER)).status_code == 429


def test_sign_out_ends_the_session(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    with _client(settings) as client:
        sign_in(client, email)
        sid = client.cookies.get(SESSION)
        token = csrf_of(client, "/admin/recipients")
        client.post("/admin/logout", data={"_csrf_token": token}, follow_redirects=False)
    with _client(settings) as other:
        other.cookies.set(SESSION, sid, domain="testserver.local", path="/admin")
        assert other.get("/admin/recipients", follow_redirects=False).status_code == 303


def test_change_password(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    new = "a brand new passphrase"
    with _client(settings) as client:
        sign_in(client, email)
        token = csrf_of(client, "/admin/password")
        wrong = client.post(
            "/admin/password",
            data={
                "_csrf_token": token,
                "current_password": "nope",
                "new_password": new,
                "confirm_password": new,
            },
        )
        assert wrong.status_code == 400
        done = client.post(
            "/admin/password",
            data={
                "_csrf_token": token,
                "current_password": PASSWORD,
                "new_password": new,
                "confirm_password": new,
            },
            follow_redirects=False,
        )
        assert done.status_code == 303
    with _client(settings) as client:
        assert sign_in(client, email, PASSWORD).status_code == 400
        assert sign_in(client, email, new).status_code == 303


def test_next_parameter_never_leaves_the_admin(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    with _client(settings) as client:
        token = csrf_of(client, "/admin/login")
        answer = client.post(
            "/admin/login",
            data={
                "email": email,
                "password": PASSWORD,
                "_csrf_token": token,
                "next": "//evil.example/admin",
            },
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/admin/recipients"


def test_session_ends_after_the_absolute_timeout(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    with _client(settings) as client:
        sign_in(client, email)
        began = utcnow() - timedelta(hours=settings.admin_session_max_hours, minutes=1)
        with transaction(engine) as session:
            session.execute(update(AdminSession).values(created_at=began))
        assert client.get("/admin/recipients", follow_redirects=False).status_code == 303


def test_cookies_are_secure_over_https(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.VIEWER)
    app = create_app(settings.model_copy(update={"base_url": "https://registry.example"}))
    with TestClient(app=app, base_url="https://testserver.local") as client:
        answer = sign_in(client, email)
        assert "secure" in answer.headers["set-cookie"].lower()
