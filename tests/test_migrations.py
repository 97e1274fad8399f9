"""Migrations: upgrading an empty database to head gives exactly the models' schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import registry.models  # noqa: F401
from registry.db import make_engine
from registry.migrate import is_current, upgrade


def schema_differences(url: str) -> list[Any]:
    engine = make_engine(url)
    upgrade(engine)
    assert is_current(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    return differences


def test_empty_sqlite_upgraded_to_head_matches_the_models(tmp_path: Path) -> None:
    assert schema_differences(f"sqlite:///{tmp_path / 'empty.db'}") == []


def test_empty_postgresql_upgraded_to_head_matches_the_models(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: the SQLite case is the test above")
    from sqlalchemy import create_engine, text

    server = database_url.rsplit("/", 1)[0]
    admin = create_engine(server + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS migration_check WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE migration_check"))
    try:
        assert schema_differences(server + "/migration_check") == []
    finally:
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS migration_check WITH (FORCE)"))
        admin.dispose()


def test_upgrading_twice_changes_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'twice.db'}"
    assert schema_differences(url) == []
    assert schema_differences(url) == []
