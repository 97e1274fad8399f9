"""Backup: `registry export` and `registry import` round-trip exactly."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from registry.db import make_engine
from registry.errors import Conflict, InvalidInput
from registry.migrate import upgrade
from registry.services.backup import export_registry, import_registry
from tests.test_diff import NEW_RECIPIENT


def migrate(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def tables_of(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    with engine.connect() as connection:
        tables = export_registry(connection)["tables"]
    engine.dispose()
    return tables


@pytest.fixture
def empty_url(database_url: str, tmp_path: Path) -> Any:
    """A second, migrated but empty database on the same backend."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'restored.db'}"
        migrate(url)
        yield url
        return
    server = database_url.rsplit("/", 1)[0]
    admin = create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    name = database_url.rsplit("/", 1)[1] + "_restored"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    migrate(f"{server}/{name}")
    yield f"{server}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_export_import_round_trips_exactly(
    client: Any, editor_headers: Any, database_url: str, empty_url: str
) -> None:
    client.post("/api/v1/draft/recipients", json=NEW_RECIPIENT, headers=editor_headers)
    client.post("/api/v1/publications", json={"summary": "OpenAI"}, headers=editor_headers)
    client.patch(
        "/api/v1/draft/recipients/aws", json={"retention": "Draft only"}, headers=editor_headers
    )
    source = make_engine(database_url)
    with source.connect() as connection:
        exported = json.loads(json.dumps(export_registry(connection)))
    source.dispose()
    target = make_engine(empty_url)
    with target.begin() as connection:
        import_registry(connection, exported, with_accounts=True)
    target.dispose()
    assert tables_of(empty_url) == exported["tables"]
    assert exported["tables"]["registry_version"][1]["number"] == 2
    assert any(r["retention"] == "Draft only" for r in exported["tables"]["recipient"])


def test_import_continues_ids_after_the_imported_rows(
    database_url: str, empty_url: str, client: Any
) -> None:
    source = make_engine(database_url)
    with source.connect() as connection:
        exported = export_registry(connection)
    source.dispose()
    target = make_engine(empty_url)
    with target.begin() as connection:
        import_registry(connection, exported)
        connection.execute(
            text(
                "INSERT INTO change_record (at, actor, request_id, action, object_type, "
                "object_key, message) VALUES (CURRENT_TIMESTAMP, 'x', '', 'create', 't', 'k', '')"
            )
        )
    target.dispose()


def test_import_refuses_a_newer_schema_with_a_clear_message(engine: Any) -> None:
    with engine.connect() as connection:
        exported = export_registry(connection)
    exported["schema_revision"] = "9999_from_the_future"
    with pytest.raises(InvalidInput, match="newer registry"), engine.begin() as connection:
        import_registry(connection, exported, replace=True)


def test_import_into_a_non_empty_registry_needs_replace(engine: Any) -> None:
    with engine.connect() as connection:
        exported = export_registry(connection)
    with pytest.raises(Conflict, match="--replace"), engine.begin() as connection:
        import_registry(connection, exported)
    with engine.begin() as connection:
        counts = import_registry(connection, exported, replace=True)
    assert counts["recipient"] == 7


def test_cli_export_then_import(tmp_path: Path, sqlite_template: Path) -> None:
    import shutil

    from tests.test_cli import run

    shutil.copyfile(sqlite_template, tmp_path / "cli.db")
    assert run(["export", "backup.json"], tmp_path).returncode == 0
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    shutil.copyfile(tmp_path / "backup.json", fresh / "backup.json")
    assert run(["migrate"], fresh).returncode == 0
    result = run(["import", "backup.json"], fresh)
    assert result.returncode == 0, result.stderr
    again = run(["import", "backup.json"], fresh)
    assert again.returncode == 1 and "--replace" in again.stderr
    (fresh / "bad.json").write_text("{nope")
    bad = run(["import", "bad.json"], fresh)
    assert bad.returncode == 1 and "not valid JSON" in bad.stderr
