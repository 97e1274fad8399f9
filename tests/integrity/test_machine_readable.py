"""What tools read: the JSON Schema holds every served version, the well-known URL,
the CSV opens in the stdlib reader, the JSON-LD expands offline to DPV terms,
and the feed and webhooks carry the hash with a link to the snapshot."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from pyld import jsonld
from sqlalchemy import Engine

from registry.db import read_session
from registry.models import RegistryVersion
from registry.notices import render
from tests.integrity.conftest import publish_retention
from tests.support.notices import publish_change

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

DPV = "https://w3id.org/dpv#"


def _validator(client: Any) -> Draft202012Validator:
    response = client.get("/schema/registry.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/schema+json")
    schema = response.json()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_the_schema_validates_every_served_version(client: Any, engine: Engine) -> None:
    publish_change(engine)
    publish_retention(engine, "for 15 months")
    validator = _validator(client)
    served = [
        client.get("/api/v1/registry").json(),
        client.get("/.well-known/subprocessors.json").json(),
    ]
    served += [
        client.get(f"/api/v1/versions/{v['version']}").json()
        for v in client.get("/api/v1/versions").json()
    ]
    assert len(served) == 5
    for version in served:
        errors = [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(version)]
        assert errors == [], errors


def test_the_schema_describes_every_field_and_accepts_added_keys(client: Any) -> None:
    schema = client.get("/schema/registry.json").json()
    undocumented = [n for n, p in schema["properties"].items() if not p.get("description")]
    recipient = schema["properties"]["recipients"]["items"]["properties"]
    undocumented += [n for n, p in recipient.items() if not p.get("description")]
    assert undocumented == []
    version = client.get("/api/v1/registry").json()
    version["company"]["processing"] = {"note": "a key a later registry adds"}
    version["recipients"][0]["service_roles"] = {"Auth0": "sub_processor"}
    assert list(_validator(client).iter_errors(version)) == []
    version["content_hash"] = "not-a-hash"
    assert [e.path[0] for e in _validator(client).iter_errors(version)] == ["content_hash"]


def test_the_well_known_url_is_the_version_in_force(client: Any, engine: Engine) -> None:
    publish_retention(engine, "for 15 months", days=30)  # upcoming: not in force
    well_known = client.get("/.well-known/subprocessors.json").json()
    assert well_known == client.get("/api/v1/registry").json()
    assert well_known["version"] == 1


def test_the_csv_has_one_row_per_recipient_and_destination(client: Any) -> None:
    response = client.get("/transfers.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    snapshot = client.get("/api/v1/versions/1/snapshot").json()
    expected = [(r["name"], code) for r in snapshot["recipients"] for code in r["destinations"]]
    assert [(row[0], row[3]) for row in rows[1:]] == expected
    assert rows[0][:4] == ["Recipient", "Service", "Role", "Country code"]
    assert all(len(row) == 9 for row in rows)


def test_the_korean_csv_names_countries_and_retention_in_korean(client: Any) -> None:
    response = client.get("/transfers.csv?lang=ko&version=1")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    toss = next(row for row in rows if row[3] == "KR")
    assert toss[4] == "대한민국"
    assert "회원 탈퇴" in next(row for row in rows if row[0] == "Auth0, Inc.")[8]


def test_the_csv_refuses_a_bad_version_by_name(client: Any) -> None:
    response = client.get("/transfers.csv?version=abc")
    assert response.status_code == 400 and "version" in response.text
    assert client.get("/transfers.csv?version=99").status_code == 404


def test_the_csv_defuses_cells_a_spreadsheet_would_run(client: Any, engine: Engine) -> None:
    publish_retention(engine, '=HYPERLINK("http://evil.example")')
    rows = list(csv.reader(io.StringIO(client.get("/transfers.csv").content.decode("utf-8-sig"))))
    datadog = next(row for row in rows if row[0] == "Datadog, Inc.")
    assert datadog[8].startswith("'=")


def _offline_loader(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the JSON-LD processor tried to fetch {url}")


def test_the_json_ld_expands_offline_to_dpv_recipients(client: Any) -> None:
    response = client.get("/api/v1/registry.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    expanded = jsonld.expand(response.json(), {"documentLoader": _offline_loader})
    recipients = expanded[0][DPV + "hasRecipient"]
    assert len(recipients) == 7
    by_name = {r["https://schema.org/name"][0]["@value"]: r for r in recipients}
    auth0 = by_name["Auth0, Inc."]
    assert auth0["@type"] == [DPV + "DataSubProcessor"]
    location = auth0[DPV + "hasLocation"][0]
    assert location["@type"] == [DPV + "Location"]
    assert location[DPV + "hasCountry"] == [{"@id": "https://w3id.org/dpv/loc#US"}]
    # the test registry records SCCs for the US (tests/support/legal.py)
    assert location[DPV + "hasLegalBasis"] == [
        {"@id": "https://w3id.org/dpv/legal/eu/gdpr#A46-2-c"}
    ]
    assert auth0[DPV + "hasPurpose"][0]["@type"] == [DPV + "Purpose"]
    assert auth0[DPV + "hasPersonalData"][0]["@type"] == [DPV + "PersonalData"]


def test_feed_entries_and_webhook_payloads_carry_the_hash_and_the_snapshot_link(
    client: Any, engine: Engine, settings: Any
) -> None:
    number = publish_change(engine)
    feed = client.get("/changes.atom").text
    version = client.get(f"/api/v1/versions/{number}").json()
    assert f"/api/v1/versions/{number}/snapshot" in feed
    assert f">{version['content_hash']}</reg:content_hash>" in feed
    with read_session(engine) as session:
        row = session.get(RegistryVersion, number)
        assert row is not None
        payload = json.loads(render.webhook_body(render.version_context(session, row, "http://x")))
    assert payload["content_hash"] == version["content_hash"]
    assert payload["hash_scheme"] == "jcs-sha256"
    assert payload["links"]["snapshot"] == f"http://x/api/v1/versions/{number}/snapshot"
