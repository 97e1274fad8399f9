"""Hashes anyone can recompute, a chain through every version, and `registry verify` on it."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import rfc8785
from sqlalchemy import Engine

from registry.db import transaction
from registry.services import versions
from tests.integrity.conftest import publish_retention, set_snapshot, stored, verify


def test_every_served_hash_is_sha256_of_the_rfc8785_snapshot(client: Any, engine: Engine) -> None:
    publish_retention(engine, "for 15 months")
    publish_retention(engine, "for 13 months")
    listed = client.get("/api/v1/versions").json()
    assert [v["version"] for v in listed] == [3, 2, 1]
    for item in listed:
        served = client.get(item["snapshot_url"])
        assert served.status_code == 200
        assert rfc8785.dumps(json.loads(served.content)) == served.content  # a JCS library's view
        assert hashlib.sha256(served.content).hexdigest() == item["content_hash"]
        assert item["hash_scheme"] == "jcs-sha256"
        assert served.headers["x-content-hash"] == item["content_hash"]
    by_number = {v["version"]: v for v in listed}
    for number in (2, 3):
        version = client.get(f"/api/v1/versions/{number}").json()
        assert version["previous"] == {
            "version": number - 1,
            "content_hash": by_number[number - 1]["content_hash"],
        }
    assert client.get("/api/v1/versions/1").json()["previous"] is None


def test_verify_holds_on_a_fresh_chain(database_url: str, engine: Engine) -> None:
    publish_retention(engine, "for 15 months")
    result = verify(database_url)
    assert result.exit_code == 0, result.output
    assert "ok: 2 versions" in result.output


def test_editing_a_stored_snapshot_breaks_it_and_every_later_version(
    database_url: str, engine: Engine
) -> None:
    for months in (15, 14, 13):
        publish_retention(engine, f"for {months} months")
    snapshot, _hash = stored(engine, 2)
    set_snapshot(engine, 2, snapshot.replace("for 15 months", "for 5 months"))
    result = verify(database_url)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("verify: version 2: content hash")
    assert any(line.startswith("  also: version 3:") for line in lines)
    assert any(line.startswith("  also: version 4:") for line in lines)
    assert not any("version 1:" in line for line in lines)


def test_rewriting_a_snapshot_with_its_hash_breaks_the_next_version(
    database_url: str, engine: Engine
) -> None:
    publish_retention(engine, "for 15 months")
    publish_retention(engine, "for 14 months")
    snapshot, _hash = stored(engine, 2)
    forged = rfc8785.dumps(json.loads(snapshot.replace("for 15 months", "for 5 months")))
    set_snapshot(engine, 2, forged.decode(), hashlib.sha256(forged).hexdigest())
    result = verify(database_url)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("verify: version 3: previous says version 2")


def test_a_stored_snapshot_that_is_not_canonical_is_named(
    database_url: str, engine: Engine
) -> None:
    snapshot, _hash = stored(engine, 1)
    set_snapshot(engine, 1, json.dumps(json.loads(snapshot), indent=1))
    result = verify(database_url)
    assert result.exit_code == 1
    assert "version 1" in result.output.splitlines()[0]


def test_a_withdrawn_version_is_skipped_by_the_next_link(
    client: Any, database_url: str, engine: Engine
) -> None:
    upcoming = publish_retention(engine, "for 15 months", days=30)
    with transaction(engine) as session:
        versions.withdraw_version(session, upcoming, "Postponed", actor="test")
    after = publish_retention(engine, "for 14 months")
    first = client.get("/api/v1/versions/1").json()
    assert client.get(f"/api/v1/versions/{after}").json()["previous"] == {
        "version": 1,
        "content_hash": first["content_hash"],
    }
    assert verify(database_url).exit_code == 0


def test_a_link_that_skips_a_standing_version_is_named(database_url: str, engine: Engine) -> None:
    publish_retention(engine, "for 15 months")
    publish_retention(engine, "for 14 months")
    snapshot, _hash = stored(engine, 3)
    _one, one_hash = stored(engine, 1)
    data = json.loads(snapshot) | {"previous": {"version": 1, "content_hash": one_hash}}
    forged = rfc8785.dumps(data)
    set_snapshot(engine, 3, forged.decode(), hashlib.sha256(forged).hexdigest())
    result = verify(database_url)
    assert result.exit_code == 1
    assert "skipping version 2" in result.output


def test_versions_published_before_jcs_keep_their_hash_and_the_chain_links_them(
    client: Any, database_url: str, engine: Engine
) -> None:
    snapshot, _hash = stored(engine, 1)
    data = json.loads(snapshot)
    data.pop("previous")
    legacy = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    legacy_hash = hashlib.sha256(legacy.encode()).hexdigest()
    set_snapshot(engine, 1, legacy, legacy_hash)
    with engine.begin() as connection:
        from sqlalchemy import text

        connection.execute(text("UPDATE registry_version SET hash_scheme = 'sorted-json-sha256'"))
    publish_retention(engine, "for 15 months")
    assert client.get("/api/v1/versions/1").json()["hash_scheme"] == "sorted-json-sha256"
    assert client.get("/api/v1/versions/2").json()["previous"]["content_hash"] == legacy_hash
    result = verify(database_url)
    assert result.exit_code == 0, result.output


def test_a_version_withdrawn_after_the_next_was_published_stays_its_link(
    database_url: str, engine: Engine
) -> None:
    upcoming = publish_retention(engine, "for 15 months", days=30)
    later = publish_retention(engine, "for 14 months", days=40)
    with transaction(engine) as session:
        versions.withdraw_version(session, upcoming, "Postponed", actor="test")
    assert verify(database_url).exit_code == 0
    snapshot, _hash = stored(engine, later)
    _one, one_hash = stored(engine, 1)
    data = json.loads(snapshot) | {"previous": {"version": 1, "content_hash": one_hash}}
    forged = rfc8785.dumps(data)
    set_snapshot(engine, later, forged.decode(), hashlib.sha256(forged).hexdigest())
    result = verify(database_url)
    assert result.exit_code == 1
    assert f"skipping version {upcoming}" in result.output
