"""What the final screenshot audit of issue #14 found unfinished, pinned.

Each test names what a reader saw: two sentences run together, codes where names
belong, labels with nothing after them, the reason publication is blocked below the
fold, an error the user had to scroll to find, a Korean customer's objection answered
in English.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from bs4 import BeautifulSoup

from registry.db import read_session, transaction
from registry.documents import DocumentMeta, render_html
from registry.enums import UserRole
from registry.i18n import language
from registry.services import draft, versions
from registry.services.diff import diff_snapshots
from registry.templating import build_environment
from tests.support.admin import make_user, sign_in

COUNTRIES = {"US": {"en": "USA", "ko": "미국"}, "JP": {"en": "Japan", "ko": "일본"}}


def _added_line(lang: str) -> str:
    record = {
        "slug": "acme",
        "name": "Acme, Inc.",
        "destinations": ["US"],
        "corporate_country": "US",
        "mechanisms": {"US": {"mechanism": "scc", "scc_module": "3"}},
        "purposes": ["Support"],
        "data_categories": ["Email"],
        "role": "sub_processor",
        "list_style": "commas",
        "destination_note": "",
        "translations": {"ko": {"purposes": ["지원"], "data_categories": ["이메일"]}},
    }
    company = {"name": "AlpacaX"}
    diff = diff_snapshots(
        {"company": company, "recipients": []},
        {"company": company, "recipients": [record], "countries": COUNTRIES},
    )
    template = build_environment().from_string(
        '{% from "_macros/changes.html" import diff_html %}{{ diff_html(diff, countries) }}'
    )
    with language(lang):
        html = template.render(diff=diff, countries=COUNTRIES)
    return " ".join(BeautifulSoup(html, "html.parser").select_one("ul.added li").get_text().split())


def test_an_added_recipient_reads_as_separate_sentences_in_english_and_korean() -> None:
    assert "Established in USA. Transfer mechanism:" in _added_line("en")
    korean = _added_line("ko")
    assert "설립 국가: 미국. " in korean
    assert "미국이전" not in korean


def _admin(client: Any) -> None:
    email = make_user(client.app.state.engine, UserRole.ADMIN)
    assert sign_in(client, email).status_code == 303


def _diff_cells(page: str) -> list[str]:
    soup = BeautifulSoup(page, "html.parser")
    return [" ".join(td.get_text().split()) for td in soup.select("table.diff-table td")]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_preview_diff_names_countries_and_grounds_not_codes(client: Any, lang: str) -> None:
    _admin(client)
    with transaction(client.app.state.engine) as session:
        record = draft.get_recipient(session, "ipinfo")
        draft.patch_recipient(
            session,
            "ipinfo",
            {
                "destinations": [*record.destinations, "JP"],
                "pipa_basis": "consent" if record.pipa_basis != "consent" else "law",
            },
            actor="legal",
        )
    page = client.get(f"/admin/preview?lang={lang}")
    cells = _diff_cells(page.text)
    japan = "Japan" if lang == "en" else "일본"
    assert any(japan in cell for cell in cells), cells
    assert not any(cell in ("US", "JP", "consent", "law") for cell in cells), cells
    assert not any(item.split() == ["US", "JP"] for item in cells), cells
    soup = BeautifulSoup(page.text, "html.parser")
    assert not soup.select("table.diff-table table, table.diff-table dl.kv dl")  # no nesting
    assert soup.select_one("dl.kv") is None or "scc" not in soup.select_one("dl.kv").get_text()


def test_the_preview_shows_what_stops_publication_before_the_diff(client: Any) -> None:
    _admin(client)
    with transaction(client.app.state.engine) as session:
        draft.patch_recipient(session, "ipinfo", {"retention": "One year"}, actor="legal")
    page = client.get("/admin/preview?lang=en")
    soup = BeautifulSoup(page.text, "html.parser")
    sections = [s.get("id") or s.get("aria-labelledby") for s in soup.select("main section")]
    assert sections.index("checklist") < sections.index("diff-h")
    reminder = soup.select_one("#checklist-reminder a")
    assert reminder is not None and reminder["href"] == "#checklist"


def test_a_stale_translation_is_told_in_the_readers_language_and_links_to_its_row(
    client: Any,
) -> None:
    _admin(client)
    with transaction(client.app.state.engine) as session:
        draft.patch_recipient(session, "ipinfo", {"retention": "One year"}, actor="legal")
    page = client.get("/admin/preview?lang=ko")
    items = BeautifulSoup(page.text, "html.parser").select(".checklist-items li")
    stale = [li for li in items if li.get("data-field") == "translations.ko.retention"]
    assert stale, [li.get_text() for li in items]
    text = stale[0].get_text()
    assert text.startswith("한국어: ")
    assert "ipinfo" not in text and "English of" not in text
    assert stale[0].a["href"] == "/admin/recipients/ipinfo#translation-retention"
    form = client.get("/admin/recipients/ipinfo?lang=ko")
    assert BeautifulSoup(form.text, "html.parser").find(id="translation-retention") is not None


def test_a_published_annex_iii_leaves_out_parts_the_data_leaves_blank(client: Any) -> None:
    with read_session(client.app.state.engine) as session:
        version = versions.get_version(session, 1)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        snapshot = copy.deepcopy(versions.snapshot_of(version))
    auth0 = next(r for r in snapshot["recipients"] if r["slug"] == "auth0")
    auth0["mechanisms"] = {}
    auth0["onward"], auth0["onward_list_url"], auth0["onward_recipients"] = [], "", ""
    auth0["explicit_values"] = {}
    auth0["processing_nature"] = ""
    html = render_html("annexes", snapshot, meta, "en")
    soup = BeautifulSoup(html, "html.parser")
    cells = soup.select_one("#sub-processor-auth0").find_all("td")
    description = " ".join(cells[-1].get_text().split())
    assert description.startswith("Purposes: "), description
    assert "Its own sub-processors" not in description
    assert ": ." not in description
    mechanisms = [" ".join(s.get_text().split()) for s in soup.select(".mechanism")]
    assert not any(m.endswith(":") for m in mechanisms), mechanisms


def test_a_korean_notice_opens_the_objection_form_in_korean(client: Any) -> None:
    """The browser may prefer English; the notice's link says the notice's language."""
    from registry.models import Subscriber
    from registry.notices.render import subscriber_links

    subscriber = Subscriber(public_id="p" * 16, email="kim@example.kr", lang="ko")
    link = subscriber_links(subscriber, "http://testserver.local", "secret", version=1).objection
    path = link.removeprefix("http://testserver.local")
    assert "lang=ko" in path
    page = client.get(path, headers={"Accept-Language": "en-US,en"})
    soup = BeautifulSoup(page.text, "html.parser")
    assert soup.html["lang"] == "ko"
    assert any("\uac00" <= ch <= "\ud7a3" for ch in soup.h1.get_text())  # said in Korean


def test_every_field_a_notice_can_name_has_a_label_not_its_key() -> None:
    """Korean notices printed 'governing_law: 아일랜드' and 'courts: Ireland'."""
    import inspect

    from pydantic import BaseModel

    from registry import company_schemas, schemas
    from registry.labels import field_label

    internal = {"version_id", "confirm_translations", "short_notice_reason"}
    unlabelled = sorted(
        f"{model.__name__}.{name}"
        for module in (company_schemas, schemas)
        for model in vars(module).values()
        if inspect.isclass(model) and issubclass(model, BaseModel)
        for name in model.model_fields
        if name not in internal and field_label(name) == name
    )
    assert unlabelled == []
    with language("ko"):
        assert field_label("governing_law") == "준거법(제17조)"


def test_the_regimes_page_names_each_setting_as_its_form_does(client: Any) -> None:
    _admin(client)
    page = client.get("/admin/regimes?lang=ko")
    cells = [
        " ".join(td.get_text().split())
        for td in BeautifulSoup(page.text, "html.parser").select("table.regime-gaps td[title]")
    ]
    assert cells
    assert not [c for c in cells if "_" in c or c.startswith(("br-anpd", "cn-pipl"))], cells


def test_the_history_reads_statuses_and_countries_without_a_snapshot() -> None:
    """The admin's history has no version at hand: 'open → change_kept', 'JP: …' were shown."""
    from registry.notices.changeview import change_value
    from registry.notices.entryview import entry_lines

    with language("ko"):
        assert change_value("change_kept", "status") == "종결: 사유를 밝히고 변경 유지"
        lines = entry_lines(
            {"field": "mechanisms", "old": {}, "new": {"JP": {"mechanism": "adequacy"}}}, None
        )
    assert lines[0].startswith("일본: "), lines


def test_an_objection_log_entry_reads_as_its_status_label_in_korean() -> None:
    """The evidence PDF printed 'status · legal: change_kept: …' and '… · change_kept'."""
    from registry.labels import objection_entry_kind, objection_entry_text

    with language("ko"):
        assert (
            objection_entry_text("status", "change_kept: 사유")
            == "종결: 사유를 밝히고 변경 유지: 사유"
        )
        assert objection_entry_text("status", "open") == "접수됨"
        assert objection_entry_text("reply", "open: a reply") == "open: a reply"
        assert objection_entry_kind("status") != "status"
    page = build_environment().get_template("documents/evidence.html")
    source = page.environment.loader.get_source(page.environment, "documents/evidence.html")[0]
    assert "o.status }}" not in source and "h.kind }}" not in source and "d.status }}" not in source


def test_the_version_page_shows_the_korean_summary_beside_the_english(client: Any) -> None:
    from sqlmodel import select

    from registry.models import RegistryVersion

    _admin(client)
    with transaction(client.app.state.engine) as session:
        version = session.exec(select(RegistryVersion)).first()
        number = version.number
        words = dict(version.translations or {})
        words["ko"] = dict(words.get("ko", {})) | {"summary": "등록부 최초 게시"}
        version.translations = words
        session.add(version)
    page = BeautifulSoup(client.get(f"/admin/versions/{number}?lang=ko").text, "html.parser")
    assert page.select_one("dd.summary[lang=ko]").get_text() == "등록부 최초 게시"


def test_the_public_objection_form_says_what_is_wrong_in_korean() -> None:
    """A Korean customer who left the reason empty read 'say why you object'."""
    from registry.web.objections import field_message

    assert (
        field_message("reason", "ko")
        == "이의를 제기하는 이유를 적어 주십시오. 법무팀이 읽고 답변드립니다."
    )
    assert field_message("contact_email", "en").startswith("Enter your email address")


def test_an_objection_link_without_its_version_opens_a_page_not_json(client: Any) -> None:
    page = client.get("/objections/new?lang=ko")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert BeautifulSoup(page.text, "html.parser").html["lang"] == "ko"


def test_the_regimes_page_names_recipients_not_slugs(client: Any) -> None:
    _admin(client)
    with transaction(client.app.state.engine) as session:
        draft.patch_recipient(session, "datadog", {"processing_nature": ""}, actor="legal")
    page = BeautifulSoup(client.get("/admin/regimes").text, "html.parser")
    links = [a.get_text() for a in page.select("table.regime-gaps th[scope=row] a")]
    assert "Datadog" in links and "datadog" not in links, links


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_documents_page_offers_only_the_languages_a_document_exists_in(
    client: Any, lang: str
) -> None:
    """An English-only regime (UK, Swiss, Brazil, China) was offered in 한국어 too; and the
    version choice fits a phone's select ("Version 1 · Nov 29, 2026 · in force")."""
    from registry.regimes import all_regimes

    soup = BeautifulSoup(client.get("/documents", params={"lang": lang}).text, "html.parser")
    for regime in all_regimes():
        form = soup.select_one(f"#{regime.slug}-form")
        assert form is not None, regime.slug
        offered = [option["value"] for option in form.select("select[name=lang] option")]
        chosen = [field["value"] for field in form.select("input[type=hidden][name=lang]")]
        assert (offered or chosen) == list(regime.languages), regime.slug
    option = soup.select_one("#annexes-version option[selected]")
    assert option is not None
    assert len(option.get_text(" ", strip=True)) <= 40, option.get_text()
