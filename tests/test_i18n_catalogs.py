"""The message catalogs: current with the code, fully translated, compiled and loaded."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

from registry import enums
from registry.catalogs import TEMPLATE, po_path, read_catalog, untranslated
from registry.i18n import LANGUAGES, gettext, language, translations

ROOT = Path(__file__).resolve().parents[1]
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def msgids(path: Path) -> set[str]:
    return {str(m.id) for m in read_catalog(path) if m.id}


def test_every_catalog_message_is_translated_and_none_is_fuzzy() -> None:
    for lang in LANGUAGES:
        if lang != "en":
            assert untranslated(lang) == [], f"run `make messages` and translate {po_path(lang)}"


def test_catalogs_hold_every_message_the_code_and_templates_mark(tmp_path: Path) -> None:
    extracted = tmp_path / "messages.pot"
    CommandLineInterface().run(
        [
            "pybabel",
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* __pycache__ var",
            "-o",
            str(extracted),
            str(ROOT),
        ]
    )
    marked = msgids(extracted)
    assert marked - msgids(TEMPLATE) == set(), "new messages: run `make messages`"
    assert marked - msgids(po_path("ko")) == set(), "new messages: run `make messages`"


def test_korean_catalog_is_loaded_for_korean_requests() -> None:
    assert translations("ko").gettext("Retention period") == "보유 및 이용 기간"
    with language("ko"):
        assert gettext("Version %(number)s", number=3) == "버전 3"
    with language("en"):
        assert gettext("Version %(number)s", number=3) == "Version 3"


def test_every_enumeration_label_reads_in_korean() -> None:
    labelled = [
        member
        for enum_class in vars(enums).values()
        if isinstance(enum_class, type) and issubclass(enum_class, enums.StrEnum)
        for member in enum_class
        if hasattr(member, "label") and enum_class is not enums.StrEnum
    ]
    assert len(labelled) > 40
    with language("ko"):
        english_left = [member for member in labelled if not HANGUL.search(member.label)]
    assert english_left == []


def test_annex_ii_headings_use_the_korean_scc_wording() -> None:
    with language("ko"):
        assert (
            enums.MeasureHeading.PSEUDONYMISATION_ENCRYPTION.label
            == "개인정보의 가명처리 및 암호화 조치"
        )
        assert enums.SccModule.C2P.label == "모듈 2: 컨트롤러에서 프로세서로의 이전"
        assert enums.PipaRelationship.PROVISION.label == "제3자 제공"
