"""The company form's legal parts: Annex I.B in both languages, the SCC options, notices."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from registry.company_schemas import NoticesIn, ProcessingIn
from registry.errors import InvalidInput
from registry.services.audit import record_change
from registry.services.company import get_company
from registry.web.admin.common import lines, many, one

LIST_FIELDS = ("data_subjects", "data_categories", "purposes")


def _processing(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {
        field: lines(data.get(f"{prefix}processing-{field}"))
        if field in LIST_FIELDS
        else one(data, f"{prefix}processing-{field}")
        for field in ProcessingIn.model_fields
    }


def _notices(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {field: one(data, f"{prefix}notices-{field}") for field in NoticesIn.model_fields}


def company_legal_from_form(data: dict[str, Any]) -> dict[str, Any]:
    """`processing`, `scc` and `notices` as CompanyIn validates them."""
    days = one(data, "scc-notice_days")
    option = one(data, "scc-clause9_option")
    return {
        "processing": _processing(data, ""),
        "notices": _notices(data, ""),
        "scc": {
            "modules": [int(m) for m in many(data, "scc-modules") if m in ("2", "3")],
            "docking": bool(one(data, "scc-docking")),
            "clause9_option": int(option) if option in ("1", "2") else 2,
            "notice_days": int(days) if days.isdigit() else days,
            "clause11_option": bool(one(data, "scc-clause11_option")),
            "clause13": one(data, "scc-clause13"),
            "governing_law": one(data, "scc-governing_law"),
            "courts": one(data, "scc-courts"),
        },
    }


def korean_from_form(data: dict[str, Any]) -> dict[str, Any]:
    return {"processing": _processing(data, "ko-"), "notices": _notices(data, "ko-")}


def set_korean_words(session: Session, words: dict[str, Any], *, actor: str) -> None:
    """Write the Korean Annex I.B and notice texts into the company's translations."""
    try:
        processing = ProcessingIn.model_validate(words["processing"]).model_dump()
        notices = NoticesIn.model_validate(words["notices"]).model_dump()
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInput("ko-" + ".".join(str(p) for p in first["loc"]), first["msg"]) from None
    company = get_company(session, for_update=True)
    translations = dict(company.translations or {})
    korean = dict(translations.get("ko", {}))
    before = {"processing": korean.get("processing", {}), "notices": korean.get("notices", {})}
    korean["processing"] = {k: v for k, v in processing.items() if v}
    korean["notices"] = {k: v for k, v in notices.items() if v}
    after = {"processing": korean["processing"], "notices": korean["notices"]}
    if after == before:
        return
    translations["ko"] = {k: v for k, v in korean.items() if v}
    company.translations = translations
    company.version_id += 1
    session.add(company)
    record_change(
        session,
        actor=actor,
        action="update",
        object_type="company",
        object_key="1",
        before={"translations.ko": before},
        after={"translations.ko": after},
    )
    session.flush()
