"""Every /admin route but the sign-in page refuses anonymous users and lower roles.

The routes come from the app's own route table, so a route added later without
a guard fails here.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.enums import UserRole
from registry.settings import Settings
from tests.support.admin import csrf_of, make_user, sign_in

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

OPEN = {("GET", "/admin/login"), ("POST", "/admin/login")}
ORDER = [UserRole.VIEWER, UserRole.EDITOR, UserRole.ADMIN]
SAMPLE = {
    "slug": "auth0",
    "organisation_id": "1",
    "number": "1",
    "user_id": "1",
    "token_id": "1",
    "subscriber_id": "1",
    "reference": "OBJ-1",
    "kind": "annexes",
}


def _admin_routes() -> list[tuple[str, str, UserRole | None]]:
    app = create_app(
        Settings(database_url="sqlite://", secret_key="k" * 40, _env_file=None)  # type: ignore[call-arg]
    )
    found = []
    for route in app.routes:
        if not route.path.startswith("/admin"):
            continue
        for handler in getattr(route, "route_handlers", []):
            names = [g.__name__ for layer in handler.ownership_layers for g in layer.guards or []]
            roles = [
                UserRole(n.removeprefix("requires_")) for n in names if n.startswith("requires_")
            ]
            needed = max(roles, key=ORDER.index) if roles else None
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                found.append((method, route.path, needed))
    return found


ROUTES = sorted(_admin_routes(), key=lambda route: (route[1], route[0]))


def _url(path: str) -> str:
    return re.sub(r"\{(\w+):\w+\}", lambda m: SAMPLE[m.group(1)], path)


def test_the_route_table_has_the_admin_areas() -> None:
    paths = {path for _, path, _ in ROUTES}
    for area in (
        "/admin/recipients",
        "/admin/preview",
        "/admin/company",
        "/admin/history",
        "/admin/subscribers",
        "/admin/objections",
        "/admin/organisations",
        "/admin/versions/{number:int}/deliveries",
        "/admin/versions/{number:int}/evidence.json",
    ):
        assert area in paths


@pytest.mark.parametrize(("method", "path", "needed"), ROUTES, ids=lambda v: str(v))
def test_admin_route_refuses_anonymous_and_lower_roles(
    settings: Settings, engine: Any, method: str, path: str, needed: UserRole | None
) -> None:
    if (method, path) in OPEN:
        assert needed is None
        return
    assert needed is not None, f"{method} {path} has no role guard"
    app = create_app(settings)
    with TestClient(app=app, base_url="http://testserver.local") as anonymous:
        token = csrf_of(anonymous, "/admin/login")
        answer = anonymous.request(
            method, _url(path), data={"_csrf_token": token}, follow_redirects=False
        )
        assert answer.status_code in (303, 401), answer.text[:200]
        if answer.status_code == 303:
            assert answer.headers["location"].startswith("/admin/login")
    for role in ORDER[: ORDER.index(needed)]:
        with TestClient(app=app, base_url="http://testserver.local") as client:
            sign_in(client, make_user(engine, role))
            token = csrf_of(client, "/admin/password")
            answer = client.request(
                method, _url(path), data={"_csrf_token": token}, follow_redirects=False
            )
            assert answer.status_code == 403, f"{role} got {answer.status_code} on {path}"
