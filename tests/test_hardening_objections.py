"""Issue 11.6: objections are rate-limited like /subscribe, and lists come a page at a time."""

from __future__ import annotations

from typing import Any

from litestar.testing import TestClient
from sqlmodel import Session, func, select

from registry.app import create_app
from registry.db import transaction
from registry.enums import OutboxKind
from registry.models import OutboxMessage
from registry.services import objection_limits, objections
from registry.settings import Settings
from tests.support.admin import make_user, sign_in
from tests.test_objections import objection_form, publish_upcoming, stored


def client_of(settings: Settings) -> TestClient[Any]:
    return TestClient(app=create_app(settings), base_url="http://testserver.local")


def emails_to(engine: Any, address: str) -> int:
    with Session(engine) as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.recipient == address, OutboxMessage.kind == OutboxKind.MESSAGE)
            ).one()
        )


def test_objections_are_limited_per_client_address(
    settings: Settings, editor_headers: Any, engine: Any
) -> None:
    strict = settings.model_copy(update={"subscribe_ip_limit": 2})
    with client_of(strict) as client:
        number = publish_upcoming(client, editor_headers)
        for i in range(2):
            form = objection_form(version=str(number), contact_email=f"dpo{i}@customer.example")
            assert client.post("/objections", data=form).status_code == 200
        refused = client.post("/objections", data=objection_form(version=str(number)))
    assert refused.status_code == 429
    assert len(stored(engine)) == 2


def test_one_victim_address_gets_at_most_a_few_confirmations_a_day(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    victim = "victim@example.org"
    answers = [
        client.post("/objections", data=objection_form(version=str(number), contact_email=victim))
        for _ in range(objection_limits.PER_ADDRESS_PER_DAY + 3)
    ]
    codes = [a.status_code for a in answers]
    assert codes.count(200) == objection_limits.PER_ADDRESS_PER_DAY
    assert set(codes[objection_limits.PER_ADDRESS_PER_DAY :]) == {429}
    assert emails_to(engine, victim) == objection_limits.PER_ADDRESS_PER_DAY


def plant_objections(engine: Any, number: int, count: int) -> None:
    with transaction(engine) as session:
        for i in range(count):
            objections.submit(
                session,
                secret="s",
                version_number=number,
                reason="No.",
                contact_email=f"legal{i}@customer.example",
                contact_name="",
                organisation="",
                recipient_slug="openai",
                token="",
                lang="en",
            )


def test_the_objections_api_is_paginated_with_a_total(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    number = publish_upcoming(client, editor_headers)
    plant_objections(engine, number, 7)
    first = client.get("/api/v1/objections?limit=5", headers=editor_headers)
    second = client.get("/api/v1/objections?limit=5&offset=5", headers=editor_headers)
    assert first.status_code == second.status_code == 200
    assert first.headers["x-total-count"] == "7"
    references = [o["reference"] for o in first.json() + second.json()]
    assert len(references) == len(set(references)) == 7
    huge = client.get("/api/v1/objections?limit=100000", headers=editor_headers)
    assert huge.status_code == 400


def test_the_admin_objections_list_is_paginated(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    from bs4 import BeautifulSoup

    from registry.enums import UserRole
    from registry.web.admin.objections import ADMIN_PAGE

    number = publish_upcoming(client, editor_headers)
    plant_objections(engine, number, ADMIN_PAGE + 1)
    sign_in(client, make_user(engine, UserRole.VIEWER))
    first = BeautifulSoup(client.get("/admin/objections").text, "html.parser")
    second = BeautifulSoup(client.get("/admin/objections?page=2").text, "html.parser")
    assert len(first.select("table.objections tbody tr")) == ADMIN_PAGE
    assert len(second.select("table.objections tbody tr")) == 1
    assert first.select_one("a[rel=next]") is not None
    assert client.get("/admin/objections?page=²").status_code == 200  # page 1, not a 500


def test_the_deliveries_of_a_publication_come_a_page_at_a_time(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    from tests.support.notices import add_confirmed, publish_change

    add_confirmed(engine, 3)
    number = publish_change(engine)
    url = f"/api/v1/publications/{number}/deliveries"
    first = client.get(f"{url}?limit=2", headers=editor_headers).json()
    rest = client.get(f"{url}?limit=2&offset=2", headers=editor_headers).json()
    assert first["counts"]["pending"] == 3
    ids = [m["id"] for m in first["unsent"] + rest["unsent"]]
    assert len(first["unsent"]) == 2 and len(ids) == len(set(ids)) == 3
    assert client.get(f"{url}?limit=100000", headers=editor_headers).status_code == 400
