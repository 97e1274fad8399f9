"""Documents a lawyer can sign (issue 12): roles, Annex I.B, the SCC options, the
authority, the checklist as a gate, and nothing printed that the data does not say."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient
from pypdf import PdfReader
from sqlmodel import Session, func, select

from registry.app import create_app
from registry.db import make_engine, read_session, transaction
from registry.migrate import upgrade
from registry.models import AdequacyDecision, ChangeRecord, RegistryVersion
from registry.services import versions
from registry.services.authorities import authority_for
from registry.services.roles import entries
from registry.services.seed import load_seed
from registry.settings import Settings
from tests.support.legal import COMPLETE_RECIPIENT, complete_recipient

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

DRAFT = "/api/v1/draft/recipients"
CHECKLIST = "/api/v1/draft/checklist"
PUBLISH = "/api/v1/publications"


def pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def section(html: str, css: str) -> str:
    node = BeautifulSoup(html, "html.parser").select_one(css)
    assert node is not None, css
    return " ".join(node.get_text(" ").split())


def snapshot_in_force(client: Any) -> dict[str, Any]:
    with read_session(client.app.state.engine) as session:
        return versions.snapshot_of(versions.version_in_force(session))


@pytest.fixture
def fresh(tmp_path: Path, settings: Settings) -> Iterator[TestClient[Any]]:
    """The real seed alone (no confirmations by legal): version 1 with its honest blanks."""
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as session:
        load_seed(session)
    engine.dispose()
    own = settings.model_copy(update={"database_url": url, "var_dir": tmp_path / "fresh-var"})
    with TestClient(app=create_app(own), base_url="http://testserver.local") as client:
        yield client


# ------------------------------------------------------------------ roles


def test_google_is_split_by_service_and_each_list_has_the_right_entries(client: Any) -> None:
    snapshot = snapshot_in_force(client)
    subs = {e["slug"]: e for e in entries(snapshot, "sub_processor")}
    own = {e["slug"]: e for e in entries(snapshot, "processor")}
    assert set(subs) == {"auth0", "aws", "datadog", "google"}
    assert set(own) == {"google", "stripe", "toss-payments", "ipinfo"}
    assert subs["google"]["services"] == ["Google Cloud"]
    assert "Referral paths" not in subs["google"]["data_categories"]
    assert own["google"]["services"] == ["Google Analytics"]
    assert "Referral paths" in own["google"]["data_categories"]
    google = next(r for r in snapshot["recipients"] if r["slug"] == "google")
    assert google["service_roles"] == {
        "Google Analytics": "processor",
        "Google Cloud": "sub_processor",
    }


def test_a_processor_vendor_is_on_the_transfer_table_and_absent_from_annex_iii(
    client: Any,
) -> None:
    table = section(client.get("/?lang=en").text, "table.transfers")
    assert "Stripe, Inc. (Stripe)" in table
    assert "Google LLC (Google Analytics, Google Cloud)" in table
    annex_iii = section(client.get("/annexes?lang=en").text, "#annex-3")
    assert "Stripe" not in annex_iii and "Toss" not in annex_iii and "IPinfo" not in annex_iii
    assert "Google LLC (Google Cloud)" in annex_iii
    assert "Google Analytics" not in annex_iii
    text = pdf_text(client.get("/annexes.pdf?lang=en").content)
    annex_iii_pdf = text[text.index("List of sub-processors") :]
    assert "Stripe" not in annex_iii_pdf and "Google Cloud" in annex_iii_pdf


def test_roles_per_service_are_written_and_read_through_the_api(
    client: Any, editor_headers: Any
) -> None:
    body = COMPLETE_RECIPIENT | {
        "slug": "acme",
        "services": ["Acme Mail", "Acme CRM"],
        "service_roles": {"Acme CRM": "processor"},
        "service_details": {"Acme CRM": {"purposes": ["Customer relations"]}},
    }
    created = client.post(DRAFT, json=body, headers=editor_headers)
    assert created.status_code == 201, created.text
    assert created.json()["service_roles"] == {"Acme CRM": "processor"}
    wrong = client.post(
        DRAFT,
        json=body | {"slug": "acme2", "service_roles": {"Nope": "processor"}},
        headers=editor_headers,
    )
    assert wrong.status_code == 400 and "service_roles" in wrong.text


# ------------------------------------------------------------------ annexes


def test_annexes_for_a_processor_exporter_say_module_three(client: Any) -> None:
    text = pdf_text(client.get("/annexes.pdf?lang=en&exporter_role=processor").content)
    assert "Module Three" in text and "Module Two: transfer controller" not in text
    page = client.get("/annexes?lang=en&exporter_role=processor").text
    assert "Processor" in section(page, "#exporter")


def test_annexes_for_a_controller_exporter_say_module_two(client: Any) -> None:
    text = pdf_text(client.get("/annexes.pdf?lang=en&exporter_role=controller").content)
    assert "Module Two" in text and "Module Three: transfer processor" not in text
    assert "Controller" in section(client.get("/annexes?lang=en").text, "#exporter")


def test_annexes_state_clause_9_option_2_with_the_notice_days_and_every_option(
    client: Any,
) -> None:
    text = pdf_text(client.get("/annexes.pdf?lang=en").content)
    assert "Option 2: general written authorisation" in text
    assert "at least 30 days in advance" in text
    for clause in ("Clause 7", "Clause 11(a)", "Clause 13", "Clause 17", "Clause 18(b)"):
        assert clause in text, clause
    assert "law of Ireland" in text
    annex_iii = section(client.get("/annexes?lang=en").text, "#annex-3")
    assert "Option 2" in annex_iii and "30 days" in annex_iii
    assert "has authorised the use of" not in annex_iii


def test_annex_i_b_describes_what_customers_send_not_the_vendors_data(client: Any) -> None:
    description = section(client.get("/annexes?lang=en").text, "#transfer-description")
    assert "Web-shell sessions" in description and "Command-line input" in description
    assert "Referral paths" not in description and "Payment method" not in description
    assert "membership withdrawal" not in description
    assert "term of the agreement" in description
    korean = section(client.get("/annexes?lang=ko").text, "#transfer-description")
    assert "웹 셸 세션" in korean


def test_exporter_country_de_names_a_german_authority(client: Any) -> None:
    berlin = section(
        client.get("/annexes?lang=en&exporter_country=DE&exporter_region=BE").text, "#authority"
    )
    assert "Berliner Beauftragte für Datenschutz und Informationsfreiheit" in berlin
    assert "Alt-Moabit" in berlin
    text = pdf_text(
        client.get("/annexes.pdf?lang=en&exporter_country=de&exporter_region=BY").content
    )
    assert "Bayerisches Landesamt" in text
    no_land = section(client.get("/annexes?lang=en&exporter_country=DE").text, "#authority")
    assert "Land" in no_land
    assert "CNIL" in section(client.get("/annexes?exporter_country=FR").text, "#authority")
    assert authority_for("DE", "HH") is not None and authority_for("US") is None


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("exporter_country=ZZ", "exporter_country"),
        ("exporter_country=DE&exporter_region=XX", "exporter_region"),
        ("exporter_role=owner", "exporter_role"),
    ],
)
def test_bad_exporter_parameters_are_refused_naming_the_field(
    client: Any, query: str, field: str
) -> None:
    response = client.get(f"/annexes?{query}", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert field in response.text


# ------------------------------------------------------------------ checklist and gate


def _add_incomplete(client: Any, headers: Any) -> None:
    body = {
        "slug": "acme",
        "name": "Acme Ltd.",
        "destinations": ["IN"],
        "purposes": ["Support"],
        "data_categories": ["Email"],
        "retention": "One year",
    }
    assert client.post(DRAFT, json=body, headers=headers).status_code == 201


def test_checklist_is_empty_for_the_completed_seed(client: Any, editor_headers: Any) -> None:
    response = client.get(CHECKLIST, headers=editor_headers)
    assert response.status_code == 200 and response.json() == []


def test_checklist_names_a_missing_mechanism_refusal_procedure_and_korean_field(
    client: Any, editor_headers: Any
) -> None:
    _add_incomplete(client, editor_headers)
    items = client.get(CHECKLIST, headers=editor_headers).json()
    named = {(i["recipient"], i["field"], i["problem"]) for i in items}
    assert ("acme", "mechanisms.IN", "missing") in named
    assert ("acme", "refusal_procedure", "missing") in named
    assert ("acme", "translations.ko.purposes", "missing") in named
    assert all(set(i) == {"recipient", "field", "problem", "message"} for i in items)


def test_checklist_needs_an_editor_token(client: Any, viewer_headers: Any) -> None:
    assert client.get(CHECKLIST).status_code == 401
    assert client.get(CHECKLIST, headers=viewer_headers).status_code == 403


def test_publication_is_refused_with_422_until_the_checklist_is_empty(
    client: Any, editor_headers: Any, engine: Any
) -> None:
    _add_incomplete(client, editor_headers)

    def counts() -> tuple[int, int]:
        with Session(engine) as session:
            return (
                session.exec(select(func.count()).select_from(RegistryVersion)).one(),
                session.exec(
                    select(func.count())
                    .select_from(ChangeRecord)
                    .where(ChangeRecord.action == "publish")
                ).one(),
            )

    before = counts()
    refused = client.post(PUBLISH, json={"summary": "Acme"}, headers=editor_headers)
    assert refused.status_code == 422
    assert refused.json()["extra"] == client.get(CHECKLIST, headers=editor_headers).json()
    assert counts() == before
    with transaction(engine) as session:
        complete_recipient(session, "acme")
    assert client.get(CHECKLIST, headers=editor_headers).json() == []
    assert client.post(PUBLISH, json={"summary": "Acme"}, headers=editor_headers).status_code == 201


def test_an_explicit_none_satisfies_the_checklist_and_records_who_and_when(
    client: Any, editor_headers: Any
) -> None:
    body = COMPLETE_RECIPIENT | {"slug": "acme", "explicit_values": {}}
    client.post(DRAFT, json=body, headers=editor_headers)
    fields = {i["field"] for i in client.get(CHECKLIST, headers=editor_headers).json()}
    assert "onward" in fields
    changed = client.patch(
        f"{DRAFT}/acme",
        json={"explicit_values": {"onward": "none"}},
        headers=editor_headers,
    ).json()
    stamp = changed["explicit_values"]["onward"]
    assert stamp["value"] == "none" and stamp["set_by"].startswith("editor-") and stamp["set_on"]
    assert client.get(CHECKLIST, headers=editor_headers).json() == []


# ------------------------------------------------------------------ nothing printed unsaid


UNSAID = ("None", "Not specified", "No transfer mechanism recorded", "없음", "지정되지 않음")


def test_no_published_document_prints_none_for_a_field_nobody_set(fresh: Any) -> None:
    for path in ("/transfers.pdf", "/annexes.pdf"):
        for lang in ("en", "ko"):
            text = pdf_text(fresh.get(f"{path}?lang={lang}").content)
            for word in UNSAID:
                assert not re.search(rf"\b{word}\b", text), (path, lang, word)
    for lang in ("en", "ko"):
        page = BeautifulSoup(fresh.get(f"/?lang={lang}").text, "html.parser").get_text(" ")
        for word in UNSAID:
            assert not re.search(rf"\b{word}\b", page), (lang, word)


def test_the_seed_alone_lists_its_unknowns_on_the_checklist(fresh: Any, engine: Any) -> None:
    from registry.services.checklist import draft_checklist

    with Session(fresh.app.state.engine) as session:
        fields = {(i.recipient, i.field) for i in draft_checklist(session)}
    assert ("ipinfo", "mechanisms.US") in fields
    assert ("stripe", "mechanisms.other") in fields
    assert ("google", "service_details.Google Cloud.data_categories") in fields
    assert ("toss-payments", "retention_law") in fields
    assert (None, "company.processing.sensitive_data") in fields
    assert (None, "company.scc.governing_law") in fields


# ------------------------------------------------------------------ the PIPA page


def test_toss_is_a_domestic_entrustment_apart_from_overseas_transfers(client: Any) -> None:
    soup = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    toss = soup.select_one("details#toss-payments")
    assert toss is not None and "How to refuse" not in toss.get_text()
    assert "Republic of Korea" in toss.find_previous("h3").get_text()
    text = pdf_text(client.get("/transfers.pdf?lang=en").content)
    domestic = text[text.index("Entrustment within the Republic of Korea") :]
    assert "Toss Payments" in domestic
    overseas = text[text.index("Overseas transfers") : text.index("Entrustment within")]
    assert "Toss Payments Co., Ltd. (Toss Payments) Items" not in overseas


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_public_page_shows_every_pipa_item_in_a_details_block_per_recipient(
    client: Any, lang: str
) -> None:
    soup = BeautifulSoup(client.get(f"/?lang={lang}").text, "html.parser")
    for slug in ("auth0", "aws", "datadog", "google", "stripe", "ipinfo"):
        block = soup.select_one(f"details#{slug}")
        assert block is not None, slug
        rows = {th.get_text(strip=True) for th in block.select("th")}
        assert len(rows) >= 12, (slug, rows)
        assert soup.select_one(f"tr#recipient-{slug} a[href='#{slug}']") is not None
    auth0 = soup.select_one("details#auth0").get_text(" ")
    assert "privacy@okta.com" in auth0
    assert ("28-8(1)" in auth0) or ("제28조의8" in auth0)


def test_public_table_marks_last_change_and_upcoming_changes(
    client: Any, editor_headers: Any
) -> None:
    client.patch(f"{DRAFT}/aws", json={"destinations": ["US", "JP"]}, headers=editor_headers)
    published = client.post(
        PUBLISH,
        json={"summary": "AWS adds Japan", "effective_at": "2099-01-31"},
        headers=editor_headers,
    )
    assert published.status_code == 201, published.text
    soup = BeautifulSoup(client.get("/?lang=en").text, "html.parser")
    row = soup.select_one("tr#recipient-aws")
    assert "upcoming-change" in row["class"]
    assert "version 2" in row.select_one("th")["data-upcoming"]
    assert soup.select_one("tr#recipient-auth0").get("class") is None
    assert "last changed in version 1" in soup.select_one("details#aws").get_text()


# ------------------------------------------------------------------ reference data


def test_reference_data_rows_carry_their_corrections_and_sources(engine: Any) -> None:
    with Session(engine) as session:
        rows = {d.key: d for d in session.exec(select(AdequacyDecision))}
    assert rows["GB"].adopted_on is not None and rows["GB"].adopted_on.isoformat() == "2025-12-19"
    assert rows["GB"].valid_until is not None and rows["GB"].valid_until.isoformat() == "2031-12-27"
    assert "renewed" not in rows["GB"].decision
    assert "2026/179" in rows["BR"].decision and rows["BR"].source
    assert "Supplementary Rules" in rows["JP"].scope
    assert "religious" in rows["KR"].scope and "political parties" in rows["KR"].scope


# ------------------------------------------------------------------ notices


def test_a_notice_names_the_new_recipients_location_mechanism_and_the_right_to_object(
    client: Any, editor_headers: Any
) -> None:
    from registry.notices.render import render_notice, version_context

    client.post(DRAFT, json=COMPLETE_RECIPIENT, headers=editor_headers)
    published = client.post(
        PUBLISH, json={"summary": "OpenAI", "effective_at": "2099-01-31"}, headers=editor_headers
    )
    assert published.status_code == 201, published.text
    with read_session(client.app.state.engine) as session:
        version = versions.get_version(session, published.json()["version"])
        context = version_context(session, version, "http://testserver.local")
    parts = render_notice(client.app.state.templates, context, "en")
    assert "Standard Contractual Clauses (Module 3: processor to processor)" in parts.text
    assert "Sub-processor" in parts.text
    assert "reasonable grounds relating to data protection" in parts.text
    assert "January 31, 2099" in parts.text
    assert "governed by your agreement" in parts.text
    korean = render_notice(client.app.state.templates, context, "ko")
    assert "표준계약조항" in korean.text


def test_admin_publish_is_refused_with_the_checklist_linked_to_fields(
    settings: Settings, engine: Any, editor_headers: Any, client: Any
) -> None:
    from registry.enums import UserRole
    from tests.support.admin import csrf_of, make_user, sign_in

    _add_incomplete(client, editor_headers)
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as admin:
        sign_in(admin, make_user(engine, UserRole.EDITOR))
        preview = BeautifulSoup(admin.get("/admin/preview").text, "html.parser")
        link = preview.select_one("#checklist li[data-field='mechanisms.IN'] a")
        assert link is not None and link["href"] == "/admin/recipients/acme#f-mechanism-IN"
        refused = admin.post(
            "/admin/preview/publish",
            data={"_csrf_token": csrf_of(admin, "/admin/preview"), "summary": "Acme"},
            follow_redirects=False,
        )
    assert refused.status_code == 422
    assert "#checklist" in refused.text
    with Session(engine) as session:
        assert versions.timeline(session).numbers[0][0] == 1
