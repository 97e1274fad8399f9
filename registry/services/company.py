"""The company's own details (row id 1): edited in the admin, versioned with the draft."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)
from sqlmodel import Session, select

from registry.company_schemas import NoticesIn, ProcessingIn, SccIn, company_translations
from registry.enums import MeasureHeading
from registry.errors import Conflict, InvalidInput
from registry.models import Company
from registry.models.base import utcnow
from registry.services.audit import record_change
from registry.services.snapshot import COMPANY_FIELDS, company_record
from registry.services.translation_status import bind
from registry.text_fields import Items, Line, Paragraph, RequiredLine

# Every field the snapshot freezes but the translations, which have their own form.
EDITABLE = tuple(name for name in COMPANY_FIELDS if name != "translations")


class CompanyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[RequiredLine, Field(max_length=200)]  # no control character (the feed)
    address: Paragraph = ""
    contact_person: Paragraph = ""
    contact_email: Line = ""
    activities: Paragraph = ""
    role: Paragraph = ""
    data_subjects: Items = Field(default_factory=list)
    authority_name: Paragraph = ""
    authority_address: Paragraph = ""
    authority_website: Line = ""
    authority_reason: Paragraph = ""
    measures: dict[MeasureHeading, Paragraph] = Field(default_factory=dict)
    processing: ProcessingIn = Field(default_factory=ProcessingIn)
    scc: SccIn = Field(default_factory=SccIn)
    notices: NoticesIn = Field(default_factory=NoticesIn)
    version_id: int = Field(ge=1)
    # Left out (None): the translations stay as they are. Given: they replace them.
    translations: dict[str, Any] | None = None
    confirm_translations: list[str] = Field(default_factory=list, max_length=100)

    @field_validator("translations")
    @classmethod
    def _translations(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else company_translations(value)


def get_company(session: Session, *, for_update: bool = False) -> Company:
    statement = select(Company).where(Company.id == 1)
    if for_update:
        statement = statement.with_for_update()
    company = session.exec(statement).first()
    if company is None:
        company = Company(id=1)
        session.add(company)
        session.flush()
    return company


def validate_company(data: dict[str, Any]) -> CompanyIn:
    try:
        return CompanyIn.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise InvalidInput(field, first["msg"].removeprefix("Value error, ")) from None


def update_company(session: Session, data: CompanyIn, *, actor: str, message: str = "") -> Company:
    """Replace the editable fields; a stale `version_id` is a Conflict and changes nothing."""
    company = get_company(session, for_update=True)
    if data.version_id != company.version_id:
        raise Conflict(
            "The company details were changed meanwhile by someone else",
            extra=[{"key": "version_id", "message": "stale", "current": company.version_id}],
        )
    before = company_record(company) | {"translation_sources": company.translation_sources}
    values = data.model_dump(mode="json", exclude={"version_id"})
    values["measures"] = {k: v for k, v in values["measures"].items() if v}
    for name in EDITABLE:
        setattr(company, name, values[name])
    if data.translations is not None:
        company.translations = data.translations
    company.translation_sources = bind(
        before,
        company_record(company),
        company.translation_sources,
        confirmed=data.confirm_translations,
    )
    after = company_record(company) | {"translation_sources": company.translation_sources}
    if after != before:
        company.version_id += 1
        company.updated_at = utcnow()
        session.add(company)
        record_change(
            session,
            actor=actor,
            action="update",
            object_type="company",
            object_key="1",
            before=before,
            after=after,
            message=message,
        )
    session.flush()
    return company
