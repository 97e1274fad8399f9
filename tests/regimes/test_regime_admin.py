"""Legal's side: the regime-by-field table, each regime's settings, the draft preview's effect
on each regime, and a version keeping the reference data and settings it was published with."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from sqlmodel import select

from registry.db import transaction
from registry.enums import UserRole
from registry.models import ChangeRecord, RegimeReference
from tests.documents.conftest import add_recipient, publish
from tests.support.admin import csrf_of, make_user, sign_in


def _editor(client: Any, engine: Any) -> None:
    response = sign_in(client, make_user(engine, UserRole.EDITOR))
    assert response.status_code in (302, 303)


def _change_aws(client: Any, headers: dict[str, str], **fields: Any) -> None:
    current = client.get("/api/v1/draft/recipients/aws", headers=headers).json()
    body = fields | {"version_id": current["version_id"]}
    response = client.patch("/api/v1/draft/recipients/aws", json=body, headers=headers)
    assert response.status_code == 200, response.text


def _row(soup: BeautifulSoup, recipient: str, field: str) -> Any:
    return soup.select_one(f'tr[data-recipient="{recipient}"][data-field="{field}"]')


def test_the_table_marks_each_missing_field_under_the_regimes_that_need_it(
    client: Any, engine: Any, editor_headers: dict[str, str]
) -> None:
    _change_aws(client, editor_headers, contact="")
    _editor(client, engine)
    soup = BeautifulSoup(client.get("/admin/regimes?lang=en").text, "html.parser")
    row = _row(soup, "aws", "contact")
    assert row is not None
    marked = {td["data-regime"] for td in row.select("td.regime-cell") if td.get_text(strip=True)}
    assert marked == {"eu-scc", "cn-pipl", "kr-pipa"}
    heads = [th.a.get_text(strip=True) for th in soup.select("th.regime-col")]
    assert "EU SCC" in heads and "UK" in heads and not any("-" in head for head in heads)
    assert row.select_one('a[href="/admin/recipients/aws"]') is not None
    setting = _row(soup, "", "settings.uk-addendum.ending_party")
    assert setting is not None and setting.select_one('a[href="#settings-uk-addendum"]')


def test_saving_a_setting_completes_it_in_the_next_version_and_is_logged(
    client: Any, engine: Any, editor_headers: dict[str, str]
) -> None:
    _editor(client, engine)
    token = csrf_of(client, "/admin/regimes")
    response = client.post(
        "/admin/regimes/jp-appi",
        data={"importer_country": "us", "_csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    soup = BeautifulSoup(client.get("/admin/regimes").text, "html.parser")
    assert _row(soup, "", "settings.jp-appi.importer_country") is None
    assert soup.select_one("#jp-appi-importer_country")["value"] == "US"  # type: ignore[index]
    with transaction(engine) as session:
        log = session.exec(
            select(ChangeRecord).where(ChangeRecord.object_type == "regime_settings")
        ).all()
        assert [(r.object_key, r.after) for r in log] == [("jp-appi", {"importer_country": "US"})]
    number = publish(client, editor_headers)
    report = client.get(f"/api/v1/versions/{number}/regimes").json()
    jp = next(r for r in report if r["regime"] == "jp-appi")
    assert "settings.jp-appi.importer_country" not in {g["field"] for g in jp["missing"]}
    first = next(
        r for r in client.get("/api/v1/versions/1/regimes").json() if r["regime"] == "jp-appi"
    )
    assert "settings.jp-appi.importer_country" in {g["field"] for g in first["missing"]}


def test_a_bad_setting_is_refused_naming_it_and_changes_nothing(client: Any, engine: Any) -> None:
    _editor(client, engine)
    for data, field in (
        ({"ending_party": "the cat"}, "ending_party"),
        ({"importer_registration": "x" * 501}, "importer_registration"),
    ):
        token = csrf_of(client, "/admin/regimes")
        response = client.post("/admin/regimes/uk-addendum", data=data | {"_csrf_token": token})
        assert response.status_code == 400
        soup = BeautifulSoup(response.text, "html.parser")
        assert soup.select_one(f"#settings-uk-addendum .has-error #uk-addendum-{field}")
    token = csrf_of(client, "/admin/regimes")
    bad_date = client.post(
        "/admin/regimes/cn-pipl", data={"pia_date": "1 Oct", "volume": "5", "_csrf_token": token}
    )
    assert bad_date.status_code == 400
    with transaction(engine) as session:
        assert (
            session.exec(
                select(ChangeRecord).where(ChangeRecord.object_type == "regime_settings")
            ).all()
            == []
        )
    assert client.post("/admin/regimes/nope", data={"_csrf_token": token}).status_code == 404


def test_a_viewer_sees_the_table_but_cannot_save(client: Any, engine: Any) -> None:
    sign_in(client, make_user(engine, UserRole.VIEWER))
    page = client.get("/admin/regimes")
    assert page.status_code == 200
    assert BeautifulSoup(page.text, "html.parser").select_one(
        "#settings-uk-addendum fieldset[disabled]"
    )
    token = csrf_of(client, "/admin/regimes")
    refused = client.post(
        "/admin/regimes/uk-addendum", data={"ending_party": "importer", "_csrf_token": token}
    )
    assert refused.status_code in (401, 403)


def test_the_preview_shows_what_a_change_adds_to_or_removes_from_each_regime(
    client: Any, engine: Any, editor_headers: dict[str, str]
) -> None:
    add_recipient(client, editor_headers, role="sub_processor", destinations=["BR"])
    _editor(client, engine)
    soup = BeautifulSoup(client.get("/admin/preview?lang=en").text, "html.parser")
    rows = {tr["data-regime"]: tr for tr in soup.select("#regime-changes tr[data-regime]")}
    assert "Acme" in rows["eu-scc"].select_one("td.entering").get_text()  # type: ignore[union-attr]
    assert "reference.jp_appi_country.BR" not in rows["kr-pipa"].get_text()
    jp_added = rows["jp-appi"].select_one("td.gaps-added").get_text(" ")  # type: ignore[union-attr]
    assert "Brazil" in jp_added or "BR" in jp_added
    assert "Acme" not in rows["uk-addendum"].select_one("td.entering").get_text()  # type: ignore[union-attr]
    draft = client.get("/admin/preview/regimes/br-anpd?lang=en")
    assert draft.status_code == 200 and "Acme Analytics Ltd." in draft.text
    assert "Draft (not published)" in draft.text


def test_a_version_keeps_the_reference_data_it_was_published_with(
    client: Any, engine: Any, editor_headers: dict[str, str]
) -> None:
    before = client.get("/documents/jp-appi?version=1&lang=en").text
    with transaction(engine) as session:
        entry = session.exec(
            select(RegimeReference).where(
                RegimeReference.kind == "jp_appi_country", RegimeReference.key == "US"
            )
        ).one()
        entry.data = {**entry.data, "system": "Rewritten after publication."}
        entry.verified = True
        session.add(entry)
    client.app.state.documents.clear_memory()
    assert client.get("/documents/jp-appi?version=1&lang=en").text == before
    _change_aws(
        client,
        editor_headers,
        retention="Two years",
        translations={"ko": {"retention": "2년"}},  # the Korean follows, or it goes stale
    )
    number = publish(client, editor_headers)
    assert (
        "Rewritten after publication."
        in client.get(f"/documents/jp-appi?version={number}&lang=en").text
    )
