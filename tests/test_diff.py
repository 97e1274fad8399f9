"""Diffs: recipients added, removed, and each changed field from what to what."""

from __future__ import annotations

from typing import Any

from tests.support.legal import COMPLETE_RECIPIENT

# A new recipient complete enough to publish (the checklist is empty with it).
NEW_RECIPIENT = dict(COMPLETE_RECIPIENT)


def publish(client: Any, headers: Any, summary: str) -> dict[str, Any]:
    response = client.post("/api/v1/publications", json={"summary": summary}, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_first_version_diff_adds_every_recipient(client: Any) -> None:
    diff = client.get("/api/v1/versions/1/diff").json()
    assert diff["previous_version"] is None
    assert len(diff["added"]) == 7
    assert diff["removed"] == [] and diff["changed"] == []


def test_diff_names_added_removed_and_changed_fields(client: Any, editor_headers: Any) -> None:
    assert (
        client.post(
            "/api/v1/draft/recipients", json=NEW_RECIPIENT, headers=editor_headers
        ).status_code
        == 201
    )
    assert (
        client.delete("/api/v1/draft/recipients/ipinfo", headers=editor_headers).status_code == 204
    )
    client.patch(
        "/api/v1/draft/recipients/datadog",
        json={
            "destinations": ["US", "DE"],
            "retention": "One year",
            "translations": {"ko": {"retention": "1년"}},
        },
        headers=editor_headers,
    )
    version = publish(client, editor_headers, "OpenAI in, IPinfo out, Datadog to Germany")
    diff = client.get(f"/api/v1/versions/{version['version']}/diff").json()
    assert [r["slug"] for r in diff["added"]] == ["openai"]
    assert [r["slug"] for r in diff["removed"]] == ["ipinfo"]
    (datadog,) = diff["changed"]
    assert datadog["slug"] == "datadog"
    assert datadog["added_destinations"] == ["DE"]
    fields = {f["field"]: (f["old"], f["new"]) for f in datadog["fields"]}
    # The Korean written with the English change is a change too.
    old_ko, new_ko = fields.pop("translations")
    assert old_ko["ko"]["retention"] != "1년"
    assert new_ko["ko"]["retention"] == "1년"
    assert {k: v for k, v in old_ko["ko"].items() if k != "retention"} == {
        k: v for k, v in new_ko["ko"].items() if k != "retention"
    }
    assert fields == {
        "destinations": (["US"], ["US", "DE"]),
        "retention": (
            "Until membership withdrawal or termination of the entrusted contract",
            "One year",
        ),
    }
    assert diff["new_destinations"] == ["DE"]


def test_new_destination_changes_come_first(client: Any, editor_headers: Any) -> None:
    client.patch(
        "/api/v1/draft/recipients/auth0",
        json={"retention": "Two years", "translations": {"ko": {"retention": "2년"}}},
        headers=editor_headers,
    )
    client.patch(
        "/api/v1/draft/recipients/stripe",
        json={"destinations": ["US", "IE"]},
        headers=editor_headers,
    )
    version = publish(client, editor_headers, "Two changes")
    changed = client.get(f"/api/v1/versions/{version['version']}/diff").json()["changed"]
    assert [c["slug"] for c in changed] == ["stripe", "auth0"]


def test_published_version_never_changes_after_later_edits(
    client: Any, editor_headers: Any
) -> None:
    before = client.get("/api/v1/versions/1").json()
    client.patch(
        "/api/v1/draft/recipients/aws",
        json={"retention": "Forever", "translations": {"ko": {"retention": "영구"}}},
        headers=editor_headers,
    )
    publish(client, editor_headers, "AWS retention")
    assert client.get("/api/v1/versions/1").json() == before
