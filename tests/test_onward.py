"""Vendors' own sub-processors: shown under the vendor, in the documents, imported from the
vendor's list (refusing a malformed file by line), kept through export/import."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from sqlmodel import Session

from registry.db import make_engine
from registry.services import draft
from registry.services.backup import export_registry, import_registry
from tests.test_cli import run

ADYEN = {"name": "Adyen N.V.", "countries": ["NL"], "purpose": "Card acquiring", "list_url": ""}
URL = "/api/v1/draft/recipients"


def test_onward_entries_are_validated_naming_the_field(client: Any, editor_headers: Any) -> None:
    for onward, where in (
        ([{"name": "X", "countries": ["Atlantis"]}], "onward.0.countries"),
        ([{"name": ""}], "onward.0.name"),
        ([{"name": "X", "list_url": "javascript:alert(1)"}], "onward.0.list_url"),
        ([ADYEN, ADYEN], "onward"),
    ):
        answer = client.patch(f"{URL}/stripe", json={"onward": onward}, headers=editor_headers)
        assert answer.status_code == 400, answer.text
        assert answer.json()["extra"][0]["key"] == where
    assert client.get(f"{URL}/stripe", headers=editor_headers).json()["onward"] == []


def test_onward_recipients_show_under_their_vendor_and_in_annex_three(
    client: Any, editor_headers: Any
) -> None:
    client.patch(
        f"{URL}/stripe",
        json={"onward": [ADYEN], "onward_checked_on": "2026-11-01"},
        headers=editor_headers,
    )
    client.patch(
        f"{URL}/aws", json={"onward": [ADYEN | {"name": "Annapurna Labs"}]}, headers=editor_headers
    )
    today = datetime.now(UTC).date().isoformat()
    published = client.post(
        "/api/v1/publications",
        json={"summary": "Onward lists", "effective_at": today, "short_notice_reason": "Test"},
        headers=editor_headers,
    )
    assert published.status_code == 201, published.text
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    row = soup.select_one("#recipient-stripe")
    assert row is not None
    under = row.find_next_sibling("tr")
    assert under is not None and under.get("data-onward-of") == "stripe"
    assert "Adyen N.V." in under.get_text() and "Netherlands" in under.get_text()
    annexes = BeautifulSoup(client.get("/annexes").text, "html.parser")
    annex_three = annexes.select_one("#sub-processors")
    assert annex_three is not None and "Annapurna Labs" in annex_three.get_text()
    api = client.get("/api/v1/registry").json()
    stripe = next(r for r in api["recipients"] if r["slug"] == "stripe")
    assert stripe["onward"] == [ADYEN]
    assert stripe["onward_list_url"] == "https://stripe.com/legal/service-providers"


def test_onward_lists_survive_export_and_import(
    client: Any, editor_headers: Any, database_url: str, tmp_path: Path
) -> None:
    client.patch(f"{URL}/stripe", json={"onward": [ADYEN]}, headers=editor_headers)
    client.post("/api/v1/publications", json={"summary": "Adyen"}, headers=editor_headers)
    source = make_engine(database_url)
    with source.connect() as connection:
        exported = json.loads(json.dumps(export_registry(connection)))
    source.dispose()
    if not database_url.startswith("sqlite"):
        return  # the PostgreSQL round trip is test_backup's; here the onward fields matter
    target_url = f"sqlite:///{tmp_path / 'restored.db'}"
    from registry.migrate import upgrade

    target = make_engine(target_url)
    upgrade(target)
    with target.begin() as connection:
        import_registry(connection, exported)
    with Session(target) as session:
        assert draft.get_recipient(session, "stripe").onward == [ADYEN]
    target.dispose()
    version = exported["tables"]["registry_version"][-1]
    assert '"name":"Adyen N.V."' in version["snapshot"]


def test_import_onward_replaces_the_draft_list_and_shows_the_change(
    tmp_path: Path, sqlite_template: Path
) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "cli.db")
    good = tmp_path / "stripe.csv"
    good.write_text(
        "name,countries,purpose,list_url\n"
        "Adyen N.V.,NL,Card acquiring,\n"
        '"Amazon Web Services, Inc.",US;IE,Hosting,https://stripe.com/legal/service-providers\n',
        encoding="utf-8",
    )
    done = run(["import-onward", "stripe", str(good)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (
        "+ Adyen N.V. (NL)" in done.stdout and "+ Amazon Web Services, Inc. (US IE)" in done.stdout
    )
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        stripe = draft.get_recipient(session, "stripe")
        assert [e["name"] for e in stripe.onward] == ["Adyen N.V.", "Amazon Web Services, Inc."]
        assert stripe.onward_checked_on is not None
    engine.dispose()


def test_import_onward_refuses_a_malformed_file_naming_the_line(
    tmp_path: Path, sqlite_template: Path
) -> None:
    shutil.copyfile(sqlite_template, tmp_path / "cli.db")
    bad = tmp_path / "stripe.csv"
    bad.write_text(
        "name,countries,purpose,list_url\nAdyen N.V.,NL,Card acquiring,\nNobody,Atlantis,x,\n",
        encoding="utf-8",
    )
    refused = run(["import-onward", "stripe", str(bad)], tmp_path)
    assert refused.returncode != 0
    assert "line 3" in refused.stderr and "countries" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    as_json = tmp_path / "stripe.json"
    as_json.write_text('[\n {"name": "Adyen N.V."},\n {"name": "X", "colour": "red"}\n]\n')
    refused = run(["import-onward", "stripe", str(as_json)], tmp_path)
    assert refused.returncode != 0 and "line 3" in refused.stderr, refused.stderr
    engine = make_engine(f"sqlite:///{tmp_path / 'cli.db'}")
    with Session(engine) as session:
        assert draft.get_recipient(session, "stripe").onward == []
    engine.dispose()
