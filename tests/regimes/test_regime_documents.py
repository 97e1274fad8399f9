"""Each regime's document names its instrument and holds every element it needs, read back from
the PDF; HTML and PDF say the same."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup

from registry import regimes
from registry.documents import DocumentMeta
from registry.regimes.render import render_regime_html, render_regime_pdf
from tests.documents.conftest import holds, pdf_text

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

Snapshot = dict[str, Any]


def _sub_processors(s: Snapshot) -> list[dict[str, Any]]:
    return [r for r in s["recipients"] if r["role"] == "sub_processor"]


def _eu_scc(s: Snapshot) -> list[str]:
    company = s["company"]
    return [
        "A. List of parties",
        "B. Description of transfer",
        "C. Competent supervisory authority",
        "Annex II",
        "List of sub-processors",
        company["name"],
        company["authority_name"],
        *(r["name"] for r in _sub_processors(s)),
    ]


def _uk(s: Snapshot) -> list[str]:
    chosen = s["regime_settings"]["uk-addendum"]
    return [
        "Table 1: Parties",
        "Table 2: Selected SCCs, Modules and Selected Clauses",
        "Table 3: Appendix Information",
        "Table 4: Ending this Addendum when the Approved Addendum Changes",
        "Part 2: Mandatory Clauses",
        "incorporated by reference",
        s["company"]["name"],
        s["company"]["address"],
        chosen["importer_trading_name"],
        chosen["importer_registration"],
        chosen["key_contact_title"],
        "General written authorisation",
        "30 days",
        "Annex 1B: Description of Transfer",
    ]


def _ch(s: Snapshot) -> list[str]:
    fdpic = s["reference"]["authority"]["FDPIC"]["data"]
    chosen = s["regime_settings"]["ch-fadp"]
    return [
        "27 August 2021",
        fdpic["name"],
        fdpic["address"],
        "references to the FADP",
        "place of habitual residence (Switzerland)",
        s["company"]["authority_name"],
        chosen["governing_law"],
        chosen["courts"],
    ]


def _br(s: Snapshot) -> list[str]:
    p = s["company"]["processing"]
    return [
        "in full and without any change",
        "Designated party",
        "Importer",
        s["company"]["name"],
        s["company"]["role"],
        *p["purposes"],
        *p["data_categories"],
        p["duration"],
        "Period of storage",
        *(r["name"] for r in _sub_processors(s)),
    ]


def _cn(s: Snapshot) -> list[str]:
    p = s["company"]["processing"]
    chosen = s["regime_settings"]["cn-pipl"]
    return [
        "Appendix I",
        *p["purposes"],
        p["nature"],
        *p["data_categories"],
        p["sensitive_data"],
        p["duration"],
        chosen["volume"],
        chosen["transmission_method"],
        chosen["pia_date"],
        s["countries"]["US"]["en"],
        *(r["name"] for r in _sub_processors(s)),
    ]


def _jp(s: Snapshot) -> list[str]:
    found = [
        "Name of the foreign country",
        "Whether there is a system for the protection of personal information",
    ]
    # The foreign countries the company's sub-processors send data to (a country only
    # a recipient of another role reaches, e.g. a Korean entrustment, is not listed).
    abroad = {c for r in _sub_processors(s) for c in r["destinations"] if c != "JP"}
    abroad.add(s["regime_settings"]["jp-appi"]["importer_country"])
    for code, entry in s["reference"]["jp_appi_country"].items():
        if code not in abroad:
            continue
        found.append(s["countries"][code]["en"])
        found.extend(v for k, v in entry["data"].items() if k != "translations")
    found.extend(s["company"]["measures"].values())
    return found


def _kr(s: Snapshot) -> list[str]:
    found = ["Article 28-8(2)", "PIPC recognition of equivalence", "EU adequacy decision"]
    for r in s["recipients"]:
        if set(r["destinations"]) <= {"KR"}:
            continue  # a domestic entrustment: Art. 28-8(2) speaks of transfers abroad
        found.extend([r["name"], r["retention"], r["transfer_timing"], r["refusal_procedure"]])
    return found


REQUIRED: dict[str, Callable[[Snapshot], list[str]]] = {
    "eu-scc": _eu_scc,
    "uk-addendum": _uk,
    "ch-fadp": _ch,
    "br-anpd": _br,
    "cn-pipl": _cn,
    "jp-appi": _jp,
    "kr-pipa": _kr,
}


def test_every_declared_regime_is_tested() -> None:
    assert {r.slug for r in regimes.all_regimes()} == set(REQUIRED)


@pytest.mark.parametrize("slug", sorted(REQUIRED))
def test_the_pdf_names_its_instrument_and_holds_every_required_element(
    slug: str, full: tuple[Snapshot, DocumentMeta]
) -> None:
    snapshot, meta = full
    regime = regimes.get(slug)
    text = pdf_text(render_regime_pdf(regime, snapshot, meta, "en"))
    assert holds(text, str(regime.instrument)), regime.instrument
    assert "Version 1" in text and meta.content_hash in text
    for element in REQUIRED[slug](snapshot):
        assert holds(text, element), (slug, element)


def _cells(html: str) -> list[str]:
    sheet = BeautifulSoup(html, "html.parser").select_one("article.sheet")
    assert sheet is not None
    found = [node.get_text(" ", strip=True) for node in sheet.select("h1, h2, h3, th, td, li, p")]
    return [text for text in found if text]


@pytest.mark.parametrize("slug", sorted(REQUIRED))
def test_html_and_pdf_say_the_same(slug: str, full: tuple[Snapshot, DocumentMeta]) -> None:
    snapshot, meta = full
    regime = regimes.get(slug)
    html = render_regime_html(regime, snapshot, meta, "en")
    text = pdf_text(render_regime_pdf(regime, snapshot, meta, "en"))
    cells = _cells(html)
    assert len(cells) > 10
    for cell in cells:
        assert holds(text, cell), (slug, cell)


def test_korean_documents_speak_korean_and_english_only_ones_say_so(
    full: tuple[Snapshot, DocumentMeta],
) -> None:
    snapshot, meta = full
    korean = pdf_text(render_regime_pdf(regimes.get("kr-pipa"), snapshot, meta, "ko"))
    assert "국외 이전" in korean and "개인정보보호위원회" in korean
    japanese = render_regime_html(regimes.get("jp-appi"), snapshot, meta, "ko")
    assert "외국의 명칭" in japanese
    english_only = render_regime_html(regimes.get("uk-addendum"), snapshot, meta, "ko")
    soup = BeautifulSoup(english_only, "html.parser")
    note = soup.select_one(".language-note")
    assert note is not None and "영어" in note.get_text()
    assert soup.select_one("h1.doc-title").get_text(strip=True) == "UK Addendum to the SCCs"  # type: ignore[union-attr]


def test_the_korean_documents_name_decisions_and_sources_in_korean(
    full: tuple[Snapshot, DocumentMeta],
) -> None:
    """The reference data's Korean (seed/adequacy.toml, seed/regimes.toml) is what a Korean
    reader gets: the EU decision and its scope, the Japanese survey, and where each was read."""
    snapshot, meta = full
    korean = {
        slug: pdf_text(render_regime_pdf(regimes.get(slug), snapshot, meta, "ko"))
        for slug in ("kr-pipa", "jp-appi")
    }
    us_decision = "결정 (EU) 2023/1795 (EU-미국 데이터 프라이버시 프레임워크(DPF)"
    assert holds(korean["kr-pipa"], us_decision)
    assert "Only organisations certified" not in korean["kr-pipa"]
    assert holds(korean["kr-pipa"], "출처: 개인정보보호위원회 2025년 9월 16일 발표")
    assert holds(korean["jp-appi"], "개인정보 보호에 관한 포괄적인 연방법은 없습니다")
    assert "survey of foreign systems" not in korean["jp-appi"]
