"""The company's own content as legal writes it: what customers send (Annex I.B), the SCC
options, the notices' words, and their translations. Recipient schemas are in schemas.py."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from registry.enums import MeasureHeading
from registry.text_fields import Items, Line, Paragraph, check_translation_languages


class ProcessingIn(BaseModel):
    """The transfer from the customer to the company (Annex I.B): what customers send."""

    model_config = ConfigDict(extra="forbid")

    data_subjects: Items = Field(default_factory=list)
    data_categories: Items = Field(default_factory=list)
    sensitive_data: Paragraph = ""
    sensitive_safeguards: Paragraph = ""
    frequency: Paragraph = ""
    nature: Paragraph = ""
    purposes: Items = Field(default_factory=list)
    duration: Paragraph = ""


def _both_modules() -> list[Literal[2, 3]]:
    return [2, 3]


class SccIn(BaseModel):
    """The options the SCCs (Decision 2021/914) leave open, as the company offers them."""

    model_config = ConfigDict(extra="forbid")

    modules: list[Literal[2, 3]] = Field(default_factory=_both_modules, min_length=1)
    docking: bool = True
    clause9_option: Literal[1, 2] = 2
    notice_days: int = Field(default=30, ge=1, le=365)
    clause11_option: bool = False
    clause13: Literal["", "a", "b", "c"] = ""
    governing_law: Line = ""
    courts: Line = ""


class NoticesIn(BaseModel):
    """The company's own words in every change notice (what objecting means, what then)."""

    model_config = ConfigDict(extra="forbid")

    objection: Paragraph = ""
    after_effective: Paragraph = ""


class SccTranslation(BaseModel):
    """The SCC options that are words: the governing law and the courts (Clauses 17, 18)."""

    model_config = ConfigDict(extra="forbid")

    governing_law: Line = ""
    courts: Line = ""


class CompanyTranslation(BaseModel):
    """One language's version of the company's words (Annexes I.A, I.C and II)."""

    model_config = ConfigDict(extra="forbid")

    name: Line = ""
    address: Paragraph = ""
    contact_person: Paragraph = ""
    activities: Paragraph = ""
    role: Paragraph = ""
    data_subjects: Items = Field(default_factory=list)
    authority_name: Paragraph = ""
    authority_address: Paragraph = ""
    authority_reason: Paragraph = ""
    measures: dict[MeasureHeading, Paragraph] = Field(default_factory=dict)
    processing: ProcessingIn = Field(default_factory=ProcessingIn)
    notices: NoticesIn = Field(default_factory=NoticesIn)
    scc: SccTranslation = Field(default_factory=SccTranslation)

    def written(self) -> dict[str, Any]:
        words = self.model_dump(mode="json")
        words["measures"] = {key: text for key, text in words["measures"].items() if text}
        for part in ("processing", "notices", "scc"):
            words[part] = {key: text for key, text in words[part].items() if text}
        return {name: value for name, value in words.items() if value}


def company_translations(value: Any) -> dict[str, dict[str, Any]]:
    """The company's `translations`, checked; ValueError naming the field otherwise."""
    checked = check_translation_languages(value)
    if not isinstance(checked, dict):
        raise ValueError("must be an object keyed by language")
    return {
        lang: CompanyTranslation.model_validate(words).written() for lang, words in checked.items()
    }
