"""What the API and the admin read to publish: the summary, its translations, the effective
date and the reason for a short notice."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from registry.text_fields import Paragraph, check_translation_languages, no_control_characters


class SummaryTranslation(BaseModel):
    """A version's summary in another language."""

    model_config = ConfigDict(extra="forbid")

    summary: Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=5000),
        AfterValidator(no_control_characters),
    ] = ""

    def written(self) -> dict[str, str]:
        return {"summary": self.summary} if self.summary else {}


class PublicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=5000),
        AfterValidator(no_control_characters),
    ]
    effective_at: date | None = None
    short_notice_reason: Paragraph = ""
    translations: Annotated[
        dict[str, SummaryTranslation], BeforeValidator(check_translation_languages)
    ] = Field(
        default_factory=dict,
        description='The summary in other languages: {"ko": {"summary": "..."}}; '
        "the Korean notice and pages show it.",
    )

    def written_translations(self) -> dict[str, dict[str, str]]:
        return {
            lang: words.written() for lang, words in self.translations.items() if words.written()
        }

    @field_validator("effective_at", mode="before")
    @classmethod
    def _date_only(cls, value: Any) -> Any:
        if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
            raise ValueError("must be a date written YYYY-MM-DD")
        if value is not None and not isinstance(value, str | date):
            raise ValueError("must be a date written YYYY-MM-DD")
        return value
