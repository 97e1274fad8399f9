"""The read API: the version in force, the versions, one version, its diff."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from registry.services.snapshot import canonical_json

SEED_SLUGS = ["auth0", "aws", "datadog", "google", "stripe", "toss-payments", "ipinfo"]


def test_registry_returns_the_version_in_force(client: Any) -> None:
    body = client.get("/api/v1/registry").json()
    assert {
        "version",
        "published_at",
        "effective_at",
        "summary",
        "content_hash",
        "recipients",
    } <= set(body)
    assert body["version"] == 1
    assert [r["slug"] for r in body["recipients"]] == SEED_SLUGS
    auth0 = body["recipients"][0]
    assert auth0["name"] == "Auth0, Inc."
    assert auth0["display_name"] == "Auth0"
    assert auth0["services"] == ["Auth0"]
    assert auth0["destinations"] == ["US"]
    assert auth0["data_categories"] == ["Email", "User ID", "MFA settings"]


def test_content_hash_is_sha256_of_the_canonical_snapshot(client: Any, engine: Any) -> None:
    from sqlmodel import Session

    from registry.models import RegistryVersion

    with Session(engine) as session:
        version = session.get(RegistryVersion, 1)
        assert version is not None
        snapshot = json.loads(version.snapshot)
    assert canonical_json(snapshot) == version.snapshot
    expected = hashlib.sha256(version.snapshot.encode()).hexdigest()
    assert client.get("/api/v1/registry").json()["content_hash"] == expected


def test_versions_lists_newest_first_without_recipients(client: Any, editor_headers: Any) -> None:
    client.delete("/api/v1/draft/recipients/ipinfo", headers=editor_headers)
    client.post("/api/v1/publications", json={"summary": "Drop IPinfo"}, headers=editor_headers)
    versions = client.get("/api/v1/versions").json()
    assert [v["version"] for v in versions] == [2, 1]
    assert all("recipients" not in v for v in versions)
    assert versions[0]["upcoming"] is True and versions[1]["in_force"] is True


def test_one_version_and_unknown_version(client: Any) -> None:
    assert client.get("/api/v1/versions/1").json()["version"] == 1
    missing = client.get("/api/v1/versions/7")
    assert missing.status_code == 404
    assert missing.json()["status_code"] == 404
    not_a_number = client.get("/api/v1/versions/abc")  # no such route: a version is a number
    assert not_a_number.status_code == 404
    assert not_a_number.json()["status_code"] == 404


def test_openapi_schema_is_served(client: Any) -> None:
    schema = client.get("/schema/openapi.json").json()
    assert "/api/v1/registry" in schema["paths"]
    assert "/api/v1/draft/recipients" in schema["paths"]


def test_registry_as_of_a_day_gives_the_version_then_in_force(client: Any) -> None:
    from datetime import UTC, datetime

    today = datetime.now(UTC).date().isoformat()
    assert client.get(f"/api/v1/registry?as_of={today}").json()["version"] == 1
    assert client.get("/api/v1/registry?as_of=2000-01-01").status_code == 404
    assert client.get("/api/v1/registry?as_of=yesterday").status_code == 400
