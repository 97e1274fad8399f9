"""What legal would confirm before publishing: fills the seed's honest blanks for tests.

The seed leaves unknown what the privacy policy does not say (transfer
mechanisms, the PIPA Art. 28-8(1) basis, onward recipients, Annex II headings,
the SCC law and courts). Tests that publish need a draft whose checklist is
empty, so the shared template database is completed with these values before
version 1 is published. `COMPLETE_RECIPIENT` is a new recipient that passes the
checklist as it stands.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from registry.enums import MeasureHeading
from registry.services import draft
from registry.services.company import get_company
from registry.services.snapshot import company_record
from registry.services.translation_status import bind

CONFIRMED_MECHANISM = {"mechanism": "scc", "scc_module": "3"}
NONE_CHOSEN = {"value": "none"}

COMPLETE_RECIPIENT: dict[str, Any] = {
    "slug": "openai",
    "name": "OpenAI, L.L.C.",
    "display_name": "OpenAI",
    "services": ["OpenAI API"],
    "role": "sub_processor",
    "address": "1455 3rd Street, San Francisco, CA 94158, USA",
    "contact": "privacy@openai.com",
    "destinations": ["US"],
    "mechanisms": {"US": CONFIRMED_MECHANISM},
    "purposes": ["AI-assisted features"],
    "data_categories": ["Prompts"],
    "retention": "30 days",
    "transfer_timing": "At each request to an AI feature",
    "transfer_method": "Encrypted (TLS) API calls",
    "processing_nature": "Generation of answers to prompts",
    "refusal_procedure": "Write to privacy@alpacax.com",
    "refusal_consequences": "The AI features cannot be used",
    "pipa_basis": "contract",
    "explicit_values": {"onward": NONE_CHOSEN},
    "translations": {
        "ko": {
            "purposes": ["AI 지원 기능"],
            "data_categories": ["프롬프트"],
            "retention": "30일",
            "transfer_timing": "AI 기능을 요청할 때마다",
            "transfer_method": "암호화된(TLS) API 호출",
            "processing_nature": "프롬프트에 대한 답변 생성",
            "refusal_procedure": "privacy@alpacax.com으로 요청",
            "refusal_consequences": "AI 기능을 이용할 수 없습니다",
        }
    },
}


def confirm_unknowns(session: Session) -> None:
    """Fill every blank the seed leaves, as legal would before publishing."""
    for slug in ("auth0", "aws", "datadog", "google", "stripe", "ipinfo"):
        record = draft.get_recipient(session, slug)
        mechanisms = {"US": CONFIRMED_MECHANISM}
        if record.destination_note:
            mechanisms["other"] = CONFIRMED_MECHANISM
        changes: dict[str, Any] = {"mechanisms": mechanisms, "pipa_basis": "contract"}
        if not (record.onward or record.onward_list_url):
            changes["explicit_values"] = {"onward": NONE_CHOSEN}
        draft.patch_recipient(session, slug, changes, actor="legal")
    toss = draft.get_recipient(session, "toss-payments")
    draft.patch_recipient(
        session,
        "toss-payments",
        {"explicit_values": dict(toss.explicit_values) | {"onward": NONE_CHOSEN}},
        actor="legal",
    )
    law = "Act on Consumer Protection in Electronic Commerce: payment records, 5 years"
    for slug in ("stripe", "toss-payments"):
        record = draft.get_recipient(session, slug)
        words = dict(record.translations)
        words["ko"] = dict(words.get("ko", {})) | {
            "retention_law": "전자상거래 등에서의 소비자보호에 관한 법률: 대금결제 기록 5년"
        }
        draft.patch_recipient(
            session, slug, {"retention_law": law, "translations": words}, actor="legal"
        )
    google = draft.get_recipient(session, "google")
    details = dict(google.service_details)
    cloud = dict(details["Google Cloud"])
    cloud["data_categories"] = ["Service data"]
    cloud["translations"] = {
        "ko": dict(cloud["translations"]["ko"]) | {"data_categories": ["서비스 데이터"]}
    }
    details["Google Cloud"] = cloud
    draft.patch_recipient(session, "google", {"service_details": details}, actor="legal")
    _confirm_company(session)


def _confirm_company(session: Session) -> None:
    company = get_company(session)
    measures = dict(company.measures)
    translations = dict(company.translations)
    ko = dict(translations.get("ko", {}))
    ko_measures = dict(ko.get("measures", {}))
    for heading in MeasureHeading:
        measures.setdefault(heading.value, f"Confirmed measure: {heading.value}")
        ko_measures.setdefault(heading.value, f"확인된 조치: {heading.value}")
    processing = dict(company.processing) | {
        "sensitive_data": "None expected",
        "sensitive_safeguards": "Encryption",
    }
    ko["measures"] = ko_measures
    ko["scc"] = dict(ko.get("scc", {})) | {"governing_law": "아일랜드", "courts": "아일랜드"}
    ko["processing"] = dict(ko.get("processing", {})) | {
        "sensitive_data": "예정 없음",
        "sensitive_safeguards": "암호화",
    }
    translations["ko"] = ko
    company.measures = measures
    company.processing = processing
    company.translations = translations
    company.scc = dict(company.scc) | {"governing_law": "Ireland", "courts": "Ireland"}
    # Legal checked every Korean text against the English: bind each to it.
    company.translation_sources = bind(None, company_record(company), {})
    session.add(company)
    session.flush()


def complete_recipient(session: Session, slug: str) -> None:
    """Fill what a new recipient still lacks for the checklist (as legal would), in one write.

    Text fields get a stand-in, Korean copies of every printed field, the
    PIPA ground, "none" for onward recipients, and mechanisms for destinations
    without an adequacy decision.
    """
    from registry.services.completeness import PIPA_ITEMS, PRINTED_IN_KOREAN
    from registry.services.snapshot import recipient_record

    record = recipient_record(draft.get_recipient(session, slug))
    changes: dict[str, Any] = {
        field: f"Stand-in {field}"
        for field in (*PIPA_ITEMS, "address", "processing_nature")
        if not record.get(field) and field not in ("purposes", "data_categories")
    }
    changes["pipa_basis"] = record.get("pipa_basis") or "contract"
    explicit = dict(record.get("explicit_values") or {})
    if not (record.get("onward") or record.get("onward_list_url")):
        explicit.setdefault("onward", NONE_CHOSEN)
    changes["explicit_values"] = explicit
    mechanisms = dict(record.get("mechanisms") or {})
    for code in record["destinations"]:
        if code not in ("JP", "KR", "BR", "GB", "CH", "CA", "NZ", "IL", "AR", "UY"):
            mechanisms.setdefault(code, CONFIRMED_MECHANISM)
    if record.get("destination_note"):
        mechanisms.setdefault("other", CONFIRMED_MECHANISM)
    changes["mechanisms"] = mechanisms
    merged = record | changes
    korean = dict((record.get("translations") or {}).get("ko", {}))
    for field in PRINTED_IN_KOREAN:
        if merged.get(field) and not korean.get(field):
            korean[field] = merged[field]
    changes["translations"] = dict(record.get("translations") or {}) | {"ko": korean}
    draft.patch_recipient(session, slug, changes, actor="legal")


if __name__ == "__main__":  # python -m tests.support.legal DATABASE_URL (the benchmarks' server)
    import sys

    from registry.db import make_engine, transaction

    engine = make_engine(sys.argv[1])
    with transaction(engine) as session:
        confirm_unknowns(session)
    engine.dispose()
