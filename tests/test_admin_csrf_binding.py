"""CSRF tokens bound to the admin session, and `__Host-` cookies when served over https."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from litestar.testing import TestClient

from registry.app import create_app
from registry.enums import UserRole
from registry.settings import Settings
from tests.support.admin import csrf_of, make_user, sign_in


def _client(settings: Settings, base: str = "http://testserver.local") -> TestClient[Any]:
    return TestClient(app=create_app(settings), base_url=base)


def _company_form(client: Any) -> dict[str, str]:
    """The company form as shown (a complete company: a rename alone must be valid)."""
    soup = BeautifulSoup(client.get("/admin/company").text, "html.parser")
    form = {
        field["name"]: field.get("value", "")
        for field in soup.select("form[action='/admin/company'] input")
    } | {area["name"]: area.text for area in soup.select("form[action='/admin/company'] textarea")}
    form.pop("_csrf_token", None)
    return form


def _rename(client: Any, name: str, token: str, form: dict[str, str] | None = None) -> int:
    answer = client.post(
        "/admin/company",
        data=(form or {}) | {"_csrf_token": token, "name": name, "version_id": "1"},
        follow_redirects=False,
    )
    return int(answer.status_code)


def test_the_token_from_before_sign_in_stops_working_after_it(
    settings: Settings, engine: Any
) -> None:
    email = make_user(engine, UserRole.ADMIN)
    with _client(settings) as client:
        before = csrf_of(client, "/admin/login")
        sign_in(client, email)
        form = _company_form(client)
        client.cookies.set("registry_csrf", before, domain="testserver.local", path="/admin")
        assert _rename(client, "Planted Ltd", before) == 403  # a planted pair is refused
        fresh = csrf_of(client, "/admin/company")
        assert fresh != before
        assert _rename(client, "Our Company Ltd", fresh, form) in (200, 303)


def test_another_sessions_token_is_refused(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.ADMIN)
    with _client(settings) as alice, _client(settings) as mallory:
        sign_in(alice, email)
        sign_in(mallory, email)
        stolen = csrf_of(mallory, "/admin/company")
        assert stolen != csrf_of(alice, "/admin/company")
        alice.cookies.set("registry_csrf", stolen, domain="testserver.local", path="/admin")
        assert _rename(alice, "Mallory Ltd", stolen) == 403


def test_https_cookies_are_host_prefixed_and_secure(settings: Settings, engine: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    https = settings.model_copy(update={"base_url": "https://testserver.local"})
    with _client(https, "https://testserver.local") as client:
        login = client.get("/admin/login")
        csrf_cookie = login.headers["set-cookie"]
        assert csrf_cookie.startswith("__Host-registry_csrf=")
        assert "Secure" in csrf_cookie and "Path=/;" in csrf_cookie + ";"
        token = csrf_of(client, "/admin/login")
        answer = client.post(
            "/admin/login",
            data={"email": email, "password": "correct horse battery", "_csrf_token": token},
            follow_redirects=False,
        )
        assert answer.status_code == 303, answer.text
        session_cookie = answer.headers["set-cookie"]
        assert session_cookie.startswith("__Host-registry_admin=")
        assert "Secure" in session_cookie and "Path=/" in session_cookie
        assert "Domain" not in session_cookie
