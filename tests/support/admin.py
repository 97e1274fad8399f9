"""Helpers for admin tests: users, the CSRF token of a page, signing in."""

from __future__ import annotations

import uuid
from typing import Any

from bs4 import BeautifulSoup

from registry.db import transaction
from registry.enums import UserRole
from registry.services.users import create_user

PASSWORD = "correct horse battery"


def make_user(engine: Any, role: UserRole, email: str = "") -> str:
    address = email or f"{role.value}-{uuid.uuid4().hex[:6]}@example.com"
    with transaction(engine) as session:
        create_user(session, address, PASSWORD, role, profile="cheap")
    return address


def csrf_of(client: Any, path: str) -> str:
    page = client.get(path)
    field = BeautifulSoup(page.text, "html.parser").find("input", {"name": "_csrf_token"})
    assert field is not None, f"no CSRF field on {path}"
    return str(field["value"])


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    token = csrf_of(client, "/admin/login")
    return client.post(
        "/admin/login",
        data={"email": email, "password": password, "_csrf_token": token},
        follow_redirects=False,
    )
