"""Seeding: idempotent, publishing version 1 on an empty registry only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, func, select

from registry.db import make_engine, transaction
from registry.errors import InvalidInput
from registry.migrate import upgrade
from registry.models import AdequacyDecision, ChangeRecord, Recipient, RegistryVersion
from registry.services.seed import load_seed


def counts(engine: Any) -> tuple[int, ...]:
    with Session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(model)).one()
            for model in (Recipient, RegistryVersion, AdequacyDecision, ChangeRecord)
        )


def test_seed_twice_changes_nothing(engine: Any) -> None:
    before = counts(engine)
    with transaction(engine) as session:
        report = load_seed(session)
    assert report.recipients_added == 0
    assert report.reference_rows_changed == 0
    assert report.published_version is None
    assert counts(engine) == before


def test_seed_on_empty_registry_publishes_version_one_in_force(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(engine)
    with transaction(engine) as session:
        report = load_seed(session)
    assert report.recipients_added == 7
    assert report.published_version == 1
    from registry.services.versions import timeline

    with Session(engine) as session:
        assert timeline(session).in_force == 1
    engine.dispose()


def test_seed_keeps_edits_made_since(client: Any, editor_headers: Any, engine: Any) -> None:
    client.patch(
        "/api/v1/draft/recipients/aws", json={"retention": "Edited"}, headers=editor_headers
    )
    with transaction(engine) as session:
        load_seed(session)
    aws = client.get("/api/v1/draft/recipients/aws", headers=editor_headers).json()
    assert aws["retention"] == "Edited"


def test_adequacy_list_is_reference_data_with_dates(engine: Any) -> None:
    with Session(engine) as session:
        decisions = {d.key: d for d in session.exec(select(AdequacyDecision))}
    assert decisions["KR"].decision == "Decision (EU) 2022/254"
    assert decisions["US-DPF"].requires_dpf is True
    assert decisions["GB"].valid_until is not None and decisions["GB"].valid_until.year == 2031
    assert {
        "AD",
        "AR",
        "CA",
        "FO",
        "GG",
        "IL",
        "IM",
        "JP",
        "JE",
        "NZ",
        "CH",
        "UY",
        "BR",
        "EPO",
    } <= set(decisions)


def test_a_broken_seed_file_names_the_recipient_and_field(tmp_path: Path, engine: Any) -> None:
    (tmp_path / "recipients.toml").write_text(
        '[[recipient]]\nslug = "bad"\nname = "Bad"\ndestinations = ["XX"]\n'
        'purposes = ["p"]\ndata_categories = ["c"]\nretention = "r"\n'
    )
    with pytest.raises(InvalidInput) as error, transaction(engine) as session:
        load_seed(session, tmp_path)
    assert "recipient 1" in error.value.field and "destinations" in error.value.field
