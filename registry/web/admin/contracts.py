"""An organisation's contract terms (contacts, objection window, scope, language, DPA), and
the vendors whose published lists of sub-processors nobody has checked lately."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter
from sqlmodel import Session

from registry.auth import requires
from registry.enums import UserRole
from registry.errors import InvalidInput, NotFound
from registry.models import Organisation
from registry.services import onward, versions
from registry.services.org_contracts import Terms, save_terms, terms_of
from registry.web.admin.common import PATH_ORGANISATIONS, current_user, lines, one, page, see_other
from registry.web.deps import DB, WriteDB

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]
PATH_CONTRACT = PATH_ORGANISATIONS + "/{organisation_id:int}/contract"
PATH_ONWARD_CHECKS = "/admin/onward-checks"
OrganisationId = Parameter(ge=1, le=2_147_483_647)


def _organisation(db: Session, organisation_id: int) -> Organisation:
    found = db.get(Organisation, organisation_id)
    if found is None:
        raise NotFound(f"No organisation {organisation_id}")
    return found


def _contract_page(
    request: Request[Any, Any, Any],
    db: Session,
    organisation: Organisation,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response[Any]:
    values = form or terms_of(db, organisation)
    return page(
        request,
        "admin/contract.html",
        status_code=status_code,
        organisation=organisation,
        values=values,
        errors=errors or {},
        versions=[v.number for v in versions.all_versions(db)],
    )


def _date(value: str, field: str) -> date | None:
    try:
        return date.fromisoformat(value) if value.strip() else None
    except ValueError:
        raise InvalidInput(field, "write a date as YYYY-MM-DD") from None


def _days(value: str, field: str) -> int | None:
    if not value.strip():
        return None
    if not value.strip().isdigit():
        raise InvalidInput(field, "write a number of days, e.g. 30")
    return int(value)


def terms_from_form(data: dict[str, Any]) -> tuple[dict[str, Any], Terms]:
    """The posted form as typed (to show again) and as terms (InvalidInput naming the field)."""
    typed: dict[str, Any] = {
        "contacts": lines(data.get("contacts")),
        "objection_days": one(data, "objection_days"),
        "lang": one(data, "lang") or "en",
        "countries": [c for c in one(data, "countries").replace(",", " ").split() if c],
        "recipients": [s for s in one(data, "recipients").replace(",", " ").split() if s],
        "dpa_signed_on": one(data, "dpa_signed_on"),
        "dpa_version": one(data, "dpa_version"),
    }
    terms = Terms(
        contacts=typed["contacts"],
        objection_days=_days(typed["objection_days"], "objection_days"),
        lang=typed["lang"],
        countries=typed["countries"],
        recipients=typed["recipients"],
        dpa_signed_on=_date(typed["dpa_signed_on"], "dpa_signed_on"),
        dpa_version=_days(typed["dpa_version"], "dpa_version"),
    )
    return typed, terms


class ContractsController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_CONTRACT, sync_to_thread=True)
    def contract(
        self, request: Request[Any, Any, Any], db: DB, organisation_id: int = OrganisationId
    ) -> Response[Any]:
        return _contract_page(request, db, _organisation(db, organisation_id))

    @get(PATH_ONWARD_CHECKS, sync_to_thread=True)
    def onward_checks(
        self,
        request: Request[Any, Any, Any],
        db: DB,
        days: int = Parameter(default=onward.STALE_AFTER_DAYS, ge=0, le=3650),
    ) -> Response[Any]:
        """Vendors whose published list was not checked for more than `days` days."""
        return page(
            request,
            "admin/onward_checks.html",
            stale=onward.stale_vendors(db, versions.today(), days),
            days=days,
        )


class ContractsWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_CONTRACT, sync_to_thread=True, status_code=303)
    def save(
        self,
        request: Request[Any, Any, Any],
        write_db: WriteDB,
        data: Form,
        organisation_id: int = OrganisationId,
    ) -> Response[Any]:
        organisation = _organisation(write_db, organisation_id)
        typed: dict[str, Any] = {}
        try:
            typed, terms = terms_from_form(data)
            save_terms(
                write_db,
                organisation,
                terms,
                actor=current_user(request).email,
                today=versions.today(),
            )
        except InvalidInput as error:
            write_db.rollback()
            return _contract_page(
                request,
                write_db,
                _organisation(write_db, organisation_id),
                form=typed or None,
                errors={error.field: error.message},
                status_code=400,
            )
        return see_other(
            PATH_CONTRACT.replace("{organisation_id:int}", str(organisation_id)), "organisation"
        )
