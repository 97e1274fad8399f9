"""The company's own details: importer (Annex I.A), authority (I.C), measures (Annex II)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from registry.auth import requires
from registry.enums import MeasureHeading, UserRole
from registry.errors import Conflict, InvalidInput
from registry.services.company import get_company, update_company, validate_company
from registry.services.snapshot import company_record
from registry.web.admin.common import (
    PATH_COMPANY,
    current_user,
    friendly,
    lines,
    one,
    page,
    see_other,
)
from registry.web.admin.company_legal import (
    company_legal_from_form,
    korean_from_form,
    set_korean_words,
)
from registry.web.admin.translation_form import COMPANY_LISTS, company_rows, confirmed, posted
from registry.web.deps import DB, WriteDB
from registry.web.inputs import optional_id

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
TEXT = (
    "name",
    "address",
    "contact_person",
    "contact_email",
    "activities",
    "role",
    "authority_name",
    "authority_address",
    "authority_website",
    "authority_reason",
)


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {name: one(data, name) for name in TEXT}
    values["data_subjects"] = lines(data.get("data_subjects"))
    values["measures"] = {h.value: one(data, f"measure-{h.value}") for h in MeasureHeading}
    values |= company_legal_from_form(data)
    version = one(data, "version_id")
    values["version_id"] = optional_id(version) or 0
    korean = posted(data, COMPANY_LISTS)
    if korean is not None:
        values["translations"] = korean
    values["confirm_translations"] = confirmed(data)
    return values


def _korean(values: dict[str, Any], sources: dict[str, Any]) -> dict[str, Any]:
    """The company form's Korean column (admin/_company_translations.html)."""
    shown = values | {"translations": values.get("translations") or {}}
    return {"ko_rows_company": company_rows(shown, sources)}


class CompanyReadController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_COMPANY, sync_to_thread=True)
    def show(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        company = get_company(db)
        values = company_record(company) | {"version_id": company.version_id}
        return page(
            request,
            "admin/company.html",
            values=values,
            errors={},
            conflict=False,
            **_korean(values, company.translation_sources),
        )


class CompanyWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_COMPANY, sync_to_thread=True, status_code=303)
    def save(self, request: Request[Any, Any, Any], write_db: WriteDB, data: Form) -> Response[Any]:
        values = _values(data)
        try:
            update_company(
                write_db,
                validate_company(values),
                actor=current_user(request).email,
                message=one(data, "message"),
            )
            set_korean_words(write_db, korean_from_form(data), actor=current_user(request).email)
        except InvalidInput as error:
            write_db.rollback()
            return page(
                request,
                "admin/company.html",
                status_code=400,
                values=values,
                errors={error.field: friendly(error.message)},
                conflict=False,
                **_korean(values, get_company(write_db).translation_sources),
            )
        except Conflict:
            write_db.rollback()
            current = get_company(write_db)
            return page(
                request,
                "admin/company.html",
                status_code=409,
                values=values | {"version_id": current.version_id},
                errors={},
                conflict=True,
                theirs=company_record(current),
                **_korean(values, current.translation_sources),
            )
        return see_other(PATH_COMPANY, "saved")
