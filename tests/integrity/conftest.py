"""Helpers for the integrity tests: publishing versions, running `registry verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from sqlalchemy import Engine, text

from registry.cli import main
from registry.db import transaction
from registry.services import draft, versions


def publish_retention(engine: Engine, retention: str, *, days: int = 0) -> int:
    """Change Datadog's retention and publish it; returns the new version's number."""
    with transaction(engine) as session:
        draft.patch_recipient(session, "datadog", {"retention": retention}, actor="test")
        version = versions.publish(
            session,
            summary=f"Datadog keeps logs {retention}",
            effective_at=versions.today() if days == 0 else None,
            notice_days=days,
            actor="test",
        )
        return version.number


def verify(database_url: str, *args: str) -> Result:
    runner = CliRunner()
    return runner.invoke(
        main,
        ["verify", *args],
        env={"REGISTRY_DATABASE_URL": database_url, "REGISTRY_VAR_DIR": str(Path.cwd() / "var")},
    )


def set_snapshot(
    engine: Engine, number: int, snapshot: str, content_hash: str | None = None
) -> None:
    statement = "UPDATE registry_version SET snapshot = :s WHERE number = :n"
    values: dict[str, Any] = {"s": snapshot, "n": number}
    if content_hash is not None:
        statement = "UPDATE registry_version SET snapshot = :s, content_hash = :h WHERE number = :n"
        values["h"] = content_hash
    with engine.begin() as connection:
        connection.execute(text(statement), values)


def stored(engine: Engine, number: int) -> tuple[str, str]:
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT snapshot, content_hash FROM registry_version WHERE number = :n"),
            {"n": number},
        ).one()
    return str(row[0]), str(row[1])
