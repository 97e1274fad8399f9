"""Issue 11.7: `registry import` cannot plant or tamper.

A file is refused unless it matches its manifest, every row passes the app's
own checks, and every version's hash is recomputed; sessions and login
attempts are never loaded, users and tokens only with `--with-accounts`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlmodel import select

from registry.db import make_engine, read_session, transaction
from registry.enums import OutboxStatus, SubscriberStatus
from registry.errors import InvalidInput
from registry.models import OutboxMessage, Subscriber
from registry.models.base import utcnow
from registry.notices.worker import Worker
from registry.services.backup import export_registry, import_registry
from registry.services.import_checks import manifest
from registry.settings import Settings
from tests.support.notices import add_confirmed, publish_change
from tests.test_cli import run, seeded  # noqa: F401 (the fixture)


def exported(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    with engine.connect() as connection:
        data = json.loads(json.dumps(export_registry(connection)))
    engine.dispose()
    return data


def reseal(data: dict[str, Any]) -> dict[str, Any]:
    """What a careful attacker does: recompute the manifest after editing."""
    data["manifest"] = manifest(data["tables"])
    return data


def counts(url: str, *tables: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        found = {
            t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }
    engine.dispose()
    return found


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_edited_snapshot_is_refused_even_with_a_resealed_manifest(seeded: Path) -> None:
    url = f"sqlite:///{seeded / 'cli.db'}"
    data = exported(url)
    version = data["tables"]["registry_version"][0]
    version["snapshot"] = version["snapshot"].replace("Datadog", "Datad0g")
    before = counts(url, "registry_version")
    result = run(["import", "--replace", str(write(seeded / "x.json", reseal(data)))], seeded)
    assert result.returncode == 1
    assert "tables.registry_version[0].content_hash" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert counts(url, "registry_version") == before  # nothing changed


def test_a_file_edited_after_export_is_refused_by_its_manifest(seeded: Path) -> None:
    url = f"sqlite:///{seeded / 'cli.db'}"
    data = exported(url)
    data["tables"]["recipient"][0]["retention"] = "Forever"
    result = run(["import", "--replace", str(write(seeded / "x.json", data))], seeded)
    assert result.returncode == 1
    assert "manifest.sha256" in result.stderr
    del data["tables"]["recipient"][0]
    result = run(["import", "--replace", str(write(seeded / "x.json", data))], seeded)
    assert "manifest.rows" in result.stderr and "recipient" in result.stderr
    del data["manifest"]
    result = run(["import", "--replace", str(write(seeded / "x.json", data))], seeded)
    assert result.returncode == 1 and "manifest" in result.stderr


def plant_accounts(data: dict[str, Any]) -> dict[str, Any]:
    """An admin, and a sign-in session for it dated 2099."""
    tables = data["tables"]
    tables["user_account"] = [
        {
            "id": 1,
            "email": "mallory@example.com",
            "password_hash": "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            "role": "admin",
            "is_active": True,
            "created_at": "2026-01-01T00:00:00+00:00",
        }
    ]
    tables["admin_session"] = [
        {
            "id_hash": "a" * 64,
            "user_id": 1,
            "created_at": "2099-01-01T00:00:00+00:00",
            "last_seen_at": "2099-01-01T00:00:00+00:00",
            "ip": "203.0.113.9",
            "user_agent": "",
        }
    ]
    return reseal(data)


def test_sessions_are_never_imported_and_accounts_only_when_asked(
    seeded: Path,
) -> None:
    url = f"sqlite:///{seeded / 'cli.db'}"
    path = write(seeded / "x.json", plant_accounts(exported(url)))
    result = run(["import", "--replace", str(path)], seeded)
    assert result.returncode == 0, result.stderr
    assert counts(url, "user_account", "admin_session") == {"user_account": 0, "admin_session": 0}
    result = run(["import", "--replace", "--with-accounts", str(path)], seeded)
    assert result.returncode == 0, result.stderr
    assert counts(url, "user_account", "admin_session") == {"user_account": 1, "admin_session": 0}


def test_a_header_injection_in_a_subscriber_address_is_refused(
    engine: Any, database_url: str
) -> None:
    add_confirmed(engine, 1)
    data = exported(database_url)
    data["tables"]["subscriber"][0]["email"] = "victim@example.com\r\nBcc: all@example.com"
    with pytest.raises(InvalidInput) as raised, engine.begin() as connection:
        import_registry(connection, reseal(data), replace=True)
    assert raised.value.field == "tables.subscriber[0].email"
    with read_session(engine) as session:  # nothing changed
        assert session.exec(select(Subscriber.email)).all() == ["customer0@example.com"]


def test_header_values_are_checked_again_where_the_email_is_built(
    engine: Any, settings: Settings
) -> None:
    """A row that reached the database some other way still never reaches a header."""
    add_confirmed(engine, 2)
    now = utcnow()
    row = {
        "public_id": "planted000000000",
        "email": "victim@example.com\r\nBcc: all@example.com",
        "lang": "en",
        "status": SubscriberStatus.CONFIRMED.value,
        "confirm_nonce": "n",
        "confirmations_in_window": 0,
        "created_at": now,
        "confirmed_at": now,
    }
    with transaction(engine) as session:
        session.execute(insert(Subscriber), [row])
    publish_change(engine)
    worker = Worker(engine, settings, name="w")  # writes .eml files under var/mail
    while worker.run_once():
        pass
    sent = list((settings.var_dir / "mail").glob("*.eml"))
    assert len(sent) == 2
    assert not any(b"Bcc:" in path.read_bytes() for path in sent)
    with read_session(engine) as session:
        planted = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == row["email"])
        ).one()
    assert planted.status == OutboxStatus.FAILED
    assert "line break" in planted.last_error
