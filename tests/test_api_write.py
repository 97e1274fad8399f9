"""The write API: tokens and roles, recipient CRUD, publishing, and every kind of bad input."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_diff import NEW_RECIPIENT

URL = "/api/v1/draft/recipients"


def draft_state(client: Any, headers: Any) -> Any:
    return client.get(URL, params={"status": "all"}, headers=headers).json()


def test_writes_need_a_token(client: Any) -> None:
    response = client.post(URL, json=NEW_RECIPIENT)
    assert response.status_code == 401
    assert response.json()["status_code"] == 401
    assert client.get(URL, headers={"Authorization": "Bearer reg_nope"}).status_code == 401


def test_viewer_may_read_but_not_write(client: Any, viewer_headers: Any) -> None:
    assert client.get(URL, headers=viewer_headers).status_code == 200
    assert client.post(URL, json=NEW_RECIPIENT, headers=viewer_headers).status_code == 403
    assert (
        client.patch(f"{URL}/aws", json={"retention": "x"}, headers=viewer_headers).status_code
        == 403
    )
    assert client.delete(f"{URL}/aws", headers=viewer_headers).status_code == 403
    assert (
        client.post(
            "/api/v1/publications", json={"summary": "x"}, headers=viewer_headers
        ).status_code
        == 403
    )


def test_create_read_replace_patch_retire(client: Any, editor_headers: Any) -> None:
    created = client.post(URL, json=NEW_RECIPIENT, headers=editor_headers)
    assert created.status_code == 201
    body = created.json()
    assert body["version_id"] == 1 and body["status"] == "active"
    assert client.get(f"{URL}/openai", headers=editor_headers).json()["name"] == "OpenAI, L.L.C."

    replaced = client.put(
        f"{URL}/openai",
        json=NEW_RECIPIENT | {"retention": "90 days", "version_id": 1},
        headers=editor_headers,
    )
    assert replaced.status_code == 200
    assert replaced.json()["retention"] == "90 days" and replaced.json()["version_id"] == 2

    patched = client.patch(
        f"{URL}/openai",
        json={"destinations": ["us", "ie"], "version_id": 2},
        headers=editor_headers,
    )
    assert patched.status_code == 200
    assert patched.json()["destinations"] == ["US", "IE"]
    assert patched.json()["retention"] == "90 days"

    assert client.delete(f"{URL}/openai", headers=editor_headers).status_code == 204
    assert "openai" not in [r["slug"] for r in client.get(URL, headers=editor_headers).json()]
    retired = client.get(f"{URL}/openai", headers=editor_headers).json()
    assert retired["status"] == "retired"


def test_stale_version_id_is_409_and_changes_nothing(client: Any, editor_headers: Any) -> None:
    client.patch(
        f"{URL}/aws", json={"retention": "First edit", "version_id": 1}, headers=editor_headers
    )
    before = draft_state(client, editor_headers)
    stale = client.patch(
        f"{URL}/aws", json={"retention": "Second edit", "version_id": 1}, headers=editor_headers
    )
    assert stale.status_code == 409
    assert "version_id" in stale.text
    stale_put = client.put(
        f"{URL}/aws", json=NEW_RECIPIENT | {"slug": "aws", "version_id": 1}, headers=editor_headers
    )
    assert stale_put.status_code == 409
    assert draft_state(client, editor_headers) == before


BAD_INPUTS = [
    pytest.param(NEW_RECIPIENT | {"destinations": ["XX"]}, "destinations", id="unknown-country"),
    pytest.param(NEW_RECIPIENT | {"destinations": []}, "destinations", id="no-destination"),
    pytest.param(NEW_RECIPIENT | {"name": ""}, "name", id="empty-name"),
    pytest.param(NEW_RECIPIENT | {"name": "   "}, "name", id="blank-name"),
    pytest.param(NEW_RECIPIENT | {"name": 42}, "name", id="name-not-a-string"),
    pytest.param(
        NEW_RECIPIENT | {"destinations": "US"}, "destinations", id="destinations-not-a-list"
    ),
    pytest.param(NEW_RECIPIENT | {"name": "x" * 301}, "name", id="oversize-name"),
    pytest.param(NEW_RECIPIENT | {"retention": "y" * 10_000}, "retention", id="oversize-retention"),
    pytest.param(NEW_RECIPIENT | {"slug": "Not A Slug!"}, "slug", id="bad-slug"),
    pytest.param(NEW_RECIPIENT | {"role": "overlord"}, "role", id="unknown-role"),
    pytest.param(NEW_RECIPIENT | {"name": "nul\x00byte"}, "name", id="nul-character"),
    pytest.param(NEW_RECIPIENT | {"surprise": 1}, "surprise", id="unknown-field"),
    pytest.param(
        NEW_RECIPIENT | {"mechanisms": {"JP": {"mechanism": "adequacy"}}},
        "mechanisms",
        id="mechanism-for-other-country",
    ),
    pytest.param(
        NEW_RECIPIENT | {"mechanisms": {"US": {"mechanism": "scc"}}},
        "mechanisms",
        id="scc-without-module",
    ),
]


@pytest.mark.parametrize(("payload", "field"), BAD_INPUTS)
def test_bad_recipient_is_400_naming_the_field(
    client: Any, editor_headers: Any, payload: Any, field: str
) -> None:
    before = draft_state(client, editor_headers)
    response = client.post(URL, json=payload, headers=editor_headers)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status_code"] == 400
    assert field in body["detail"]
    assert draft_state(client, editor_headers) == before


def test_duplicate_slug_is_409_naming_slug(client: Any, editor_headers: Any) -> None:
    response = client.post(URL, json=NEW_RECIPIENT | {"slug": "aws"}, headers=editor_headers)
    assert response.status_code == 409
    assert response.json()["extra"][0]["key"] == "slug"


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"[1, 2]", b'"a string"', b"null", b""],
    ids=["malformed", "array", "string", "null", "empty"],
)
def test_malformed_or_non_object_json_is_400(client: Any, editor_headers: Any, raw: bytes) -> None:
    headers = editor_headers | {"Content-Type": "application/json"}
    for method in ("POST", "PUT", "PATCH"):
        url = URL if method == "POST" else f"{URL}/aws"
        response = client.request(method, url, content=raw, headers=headers)
        assert response.status_code == 400, (method, raw, response.text)
        assert response.json()["status_code"] == 400


def test_patch_with_bad_field_is_400_and_changes_nothing(client: Any, editor_headers: Any) -> None:
    before = draft_state(client, editor_headers)
    response = client.patch(f"{URL}/aws", json={"destinations": ["ZZ"]}, headers=editor_headers)
    assert response.status_code == 400
    assert "destinations" in response.json()["detail"]
    assert (
        client.patch(f"{URL}/aws", json={"version_id": "one"}, headers=editor_headers).status_code
        == 400
    )
    assert draft_state(client, editor_headers) == before


def test_unknown_recipient_is_404(client: Any, editor_headers: Any) -> None:
    assert client.get(f"{URL}/nobody", headers=editor_headers).status_code == 404
    assert (
        client.patch(f"{URL}/nobody", json={"retention": "x"}, headers=editor_headers).status_code
        == 404
    )
    assert client.delete(f"{URL}/nobody", headers=editor_headers).status_code == 404


def test_publish_defaults_to_the_notice_period(client: Any, editor_headers: Any) -> None:
    from datetime import UTC, datetime, timedelta

    client.patch(
        f"{URL}/aws",
        json={"retention": "x", "translations": {"ko": {"retention": "x"}}},
        headers=editor_headers,
    )
    response = client.post(
        "/api/v1/publications", json={"summary": "AWS retention"}, headers=editor_headers
    )
    assert response.status_code == 201, response.text
    expected = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    assert response.json()["effective_at"] == expected
    assert response.json()["version"] == 2


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"summary": "x", "effective_at": "next week"}, "effective_at"),
        ({"summary": "x", "effective_at": "2026-02-30"}, "effective_at"),
        ({"summary": "x", "effective_at": 20261231}, "effective_at"),
        ({"summary": "x", "effective_at": "2000-01-01"}, "effective_at"),
        ({"summary": ""}, "summary"),
        ({"effective_at": "2099-01-01"}, "summary"),
    ],
)
def test_bad_publication_is_400_naming_the_field(
    client: Any, editor_headers: Any, payload: Any, field: str
) -> None:
    client.patch(f"{URL}/aws", json={"retention": "x"}, headers=editor_headers)
    response = client.post("/api/v1/publications", json=payload, headers=editor_headers)
    assert response.status_code == 400, response.text
    assert field in response.json()["detail"]
    assert [v["version"] for v in client.get("/api/v1/versions").json()] == [1]


def test_publishing_an_unchanged_draft_is_409(client: Any, editor_headers: Any) -> None:
    response = client.post(
        "/api/v1/publications", json={"summary": "Nothing"}, headers=editor_headers
    )
    assert response.status_code == 409


def test_publication_effective_today_is_in_force_at_once(client: Any, editor_headers: Any) -> None:
    from datetime import UTC, datetime

    client.post(URL, json=NEW_RECIPIENT, headers=editor_headers)
    today = datetime.now(UTC).date().isoformat()
    response = client.post(
        "/api/v1/publications",
        json={"summary": "Urgent", "effective_at": today, "short_notice_reason": "A breach"},
        headers=editor_headers,
    )
    assert response.status_code == 201
    registry = client.get("/api/v1/registry").json()
    assert registry["version"] == 2
    assert "openai" in [r["slug"] for r in registry["recipients"]]
    assert "OpenAI, L.L.C. (OpenAI API)" in client.get("/").text


def test_every_write_is_in_the_change_log(client: Any, editor_headers: Any, engine: Any) -> None:
    from sqlmodel import Session, select

    from registry.models import ChangeRecord

    client.patch(
        f"{URL}/aws",
        json={"retention": "Changed"},
        headers=editor_headers | {"X-Request-ID": "req-42"},
    )
    with Session(engine) as session:
        record = session.exec(
            select(ChangeRecord).where(
                ChangeRecord.object_key == "aws",
                ChangeRecord.action == "update",
                ChangeRecord.request_id == "req-42",
            )
        ).one()
    assert record.before is not None and record.after is not None
    assert record.after["retention"] == "Changed"
    assert record.before["retention"].startswith("Until membership")
    assert record.request_id == "req-42"
    assert record.actor.startswith("editor-")
