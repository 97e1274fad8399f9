"""Users and tokens in the admin; withdrawal rules."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient
from sqlmodel import select

from registry.app import create_app
from registry.db import read_session, transaction
from registry.enums import UserRole
from registry.errors import Conflict
from registry.models import ApiToken
from registry.services import versions
from registry.services.users import find_user
from registry.settings import Settings
from tests.support.admin import csrf_of, make_user, sign_in


@pytest.fixture
def admin(settings: Settings, engine: Any) -> Any:
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as client:
        sign_in(client, make_user(engine, UserRole.ADMIN))
        yield client


def _post(client: Any, path: str, data: dict[str, Any]) -> Any:
    token = csrf_of(client, "/admin/users")
    return client.post(path, data={"_csrf_token": token, **data}, follow_redirects=False)


def test_invite_shows_a_one_time_password_that_signs_in(admin: Any, settings: Settings) -> None:
    answer = _post(admin, "/admin/users", {"email": "new@example.com", "role": "editor"})
    assert answer.status_code == 201
    password = BeautifulSoup(answer.text, "html.parser").select_one("#secret")["value"]
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as other:
        assert sign_in(other, "new@example.com", password).status_code == 303


def test_deactivating_a_user_ends_their_sessions(
    admin: Any, settings: Settings, engine: Any
) -> None:
    email = make_user(engine, UserRole.EDITOR)
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as them:
        sign_in(them, email)
        with read_session(engine) as session:
            user_id = find_user(session, email).id
        _post(admin, f"/admin/users/{user_id}", {"role": "editor"})  # no is_active: deactivate
        assert them.get("/admin/recipients", follow_redirects=False).status_code == 303


def test_tokens_are_created_once_and_revoked(admin: Any, engine: Any, client: Any) -> None:
    email = make_user(engine, UserRole.EDITOR)
    with read_session(engine) as session:
        user_id = find_user(session, email).id
    shown = _post(admin, f"/admin/users/{user_id}/tokens", {"name": "CI"})
    token = BeautifulSoup(shown.text, "html.parser").select_one("#secret")["value"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/draft/recipients", headers=headers).status_code == 200
    with read_session(engine) as session:
        record = session.exec(select(ApiToken).where(ApiToken.name == "CI")).one()
    _post(admin, f"/admin/users/tokens/{record.id}/revoke", {})
    assert client.get("/api/v1/draft/recipients", headers=headers).status_code == 401


def test_a_version_in_force_cannot_be_withdrawn(engine: Any) -> None:
    with transaction(engine) as session, pytest.raises(Conflict):
        versions.withdraw_version(session, 1, "too late", actor="x")


def test_adding_a_user_is_named_for_what_it_does(admin: Any) -> None:
    """It creates the account and shows a password; it sends no invitation, nor says it does."""
    page = admin.get("/admin/users").text
    assert "Invite someone" not in page
    assert "Add a user" in page and "no email is sent" in page
