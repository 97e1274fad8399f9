"""Objections to upcoming changes (list, detail, status, notes and replies) and organisations."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from sqlmodel import Session, col, select

from registry.auth import requires
from registry.enums import ObjectionStatus, UserRole
from registry.errors import Conflict, InvalidInput
from registry.i18n import gettext as _
from registry.models import Recipient
from registry.services import objection_limits, objections, organisations, versions
from registry.services.objection_mail import Mailer
from registry.web.admin import objection_respond
from registry.web.admin.common import (
    PATH_OBJECTIONS,
    PATH_ORGANISATIONS,
    current_user,
    one,
    page,
    see_other,
)
from registry.web.deps import DB, WriteDB

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

CHOSEN_STATUSES = [s for s in ObjectionStatus if s != ObjectionStatus.PENDING_CONFIRMATION]


def _status(value: str) -> ObjectionStatus | None:
    try:
        return ObjectionStatus(value)
    except ValueError:
        return None


def _int(value: str) -> int | None:
    text = value.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


ADMIN_PAGE = 200  # objections per page


def _mailer(state: State) -> Mailer:
    return Mailer(state.templates, state.settings.base_url)


def _detail(
    request: Request[Any, Any, Any],
    db: Session,
    reference: str,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response[Any]:
    objection = objections.get(db, reference)
    upcoming = {number for number, _ in versions.timeline(db).upcoming}
    return page(
        request,
        "admin/objection.html",
        status_code=status_code,
        objection=objection,
        recipient_name=_recipient_name(db, objection.recipient_slug),
        entries=objections.entries(db, objection),
        statuses=CHOSEN_STATUSES,
        all_statuses=list(ObjectionStatus),
        upcoming=objection.version_number in upcoming,
        withdrawn=objection.version_number in versions.withdrawals(db),
        errors=errors or {},
        form=form or {},
    )


def _recipient_name(db: Session, slug: str | None) -> str:
    """ "IPinfo, Inc. (IPinfo Lite)" for the objection's recipient, rather than its slug."""
    if not slug:
        return ""
    return _recipient_names(db, {slug}).get(slug, slug)


def _recipient_names(db: Session, slugs: set[str]) -> dict[str, str]:
    """The names of several recipients in one query: the objections list names them too."""
    wanted = [slug for slug in slugs if slug]
    if not wanted:
        return {}
    found = db.exec(select(Recipient).where(col(Recipient.slug).in_(wanted))).all()
    names = {}
    for recipient in found:
        services = ", ".join(recipient.services or [])
        names[recipient.slug] = f"{recipient.name} ({services})" if services else recipient.name
    return names


class ObjectionsController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_OBJECTIONS, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        params = request.query_params
        version = _int(params.get("version", ""))
        status = _status(params.get("status", ""))
        size = ADMIN_PAGE
        total = objection_limits.count_objections(db, version=version, status=status)
        pages = max(1, -(-total // size))
        number = min(max(_int(params.get("page", "")) or 1, 1), pages)
        rows = objections.list_objections(
            db, version=version, status=status, limit=size, offset=(number - 1) * size
        )
        return page(
            request,
            "admin/objections.html",
            rows=rows,
            recipient_names=_recipient_names(
                db, {o.recipient_slug for o in rows if o.recipient_slug}
            ),
            days_left=objection_respond.days_left(db, rows, versions.today()),
            total=total,
            pages=pages,
            page_number=number,
            version=version,
            status=status.value if status else "",
            statuses=list(ObjectionStatus),
            numbers=[v.number for v in versions.all_versions(db)],
        )

    @get(PATH_OBJECTIONS + "/{reference:str}", sync_to_thread=True)
    def detail(
        self, request: Request[Any, Any, Any], db: DB, reference: FromPath[str]
    ) -> Response[Any]:
        return _detail(request, db, reference)


class ObjectionsWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_OBJECTIONS + "/{reference:str}/status", sync_to_thread=True, status_code=303)
    def change_status(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        reference: FromPath[str],
        data: Form,
    ) -> Response[Any]:
        form = {"status": one(data, "status"), "note": one(data, "note")}
        try:
            status = _status(form["status"])
            if status is None:
                raise InvalidInput("status", _("Choose a status."))
            objections.change_status(
                write_db,
                reference,
                status,
                actor=current_user(request).email,
                note=form["note"],
                version_id=_int(one(data, "version_id")),
                mailer=_mailer(state),
            )
        except InvalidInput as error:
            return self._again(request, write_db, reference, form, error.field, error.message)
        except Conflict as error:
            return self._again(request, write_db, reference, form, "status", error.detail, 409)
        return see_other(f"{PATH_OBJECTIONS}/{reference}", "objection_status")

    @post(PATH_OBJECTIONS + "/{reference:str}/respond", sync_to_thread=True, status_code=303)
    def respond(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        reference: FromPath[str],
        data: Form,
    ) -> Response[Any]:
        """Reply (or note) and set the status, in one action and one transaction."""
        form = {k: one(data, k) for k in ("kind", "body", "status")}
        try:
            flash = objection_respond.respond(
                write_db,
                reference,
                form,
                actor=current_user(request).email,
                version_id=_int(one(data, "version_id")),
                mailer=_mailer(state),
            )
        except InvalidInput as error:
            return self._again(request, write_db, reference, form, error.field, error.message)
        except Conflict as error:
            return self._again(request, write_db, reference, form, "status", error.detail, 409)
        return see_other(f"{PATH_OBJECTIONS}/{reference}", flash)

    @post(PATH_OBJECTIONS + "/{reference:str}/entries", sync_to_thread=True, status_code=303)
    def add_entry(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        reference: FromPath[str],
        data: Form,
    ) -> Response[Any]:
        form = {"kind": one(data, "kind"), "body": one(data, "body")}
        try:
            objections.add_entry(
                write_db,
                reference,
                actor=current_user(request).email,
                kind=form["kind"],
                body=form["body"],
                mailer=_mailer(state),
            )
        except InvalidInput as error:
            return self._again(request, write_db, reference, form, error.field, error.message)
        notice = "objection_reply" if form["kind"] == "reply" else "objection_note"
        return see_other(f"{PATH_OBJECTIONS}/{reference}", notice)

    def _again(
        self,
        request: Request[Any, Any, Any],
        db: Session,
        reference: str,
        form: dict[str, str],
        field: str,
        message: str,
        status_code: int = 400,
    ) -> Response[Any]:
        db.rollback()
        return _detail(
            request, db, reference, status_code=status_code, errors={field: message}, form=form
        )


def _organisations(
    request: Request[Any, Any, Any],
    db: Session,
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response[Any]:
    return page(
        request,
        "admin/organisations.html",
        status_code=status_code,
        rows=organisations.list_organisations(db),
        errors=errors or {},
        form=form or {},
    )


class OrganisationsController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_ORGANISATIONS, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        return _organisations(request, db)


class OrganisationsWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_ORGANISATIONS, sync_to_thread=True, status_code=303)
    def save(self, request: Request[Any, Any, Any], write_db: WriteDB, data: Form) -> Response[Any]:
        form = {
            "id": one(data, "id"),
            "name": one(data, "name"),
            "notice_days": one(data, "notice_days"),
            "note": one(data, "note"),
        }
        days = _int(form["notice_days"])
        try:
            if days is None:
                raise InvalidInput("notice_days", _("Write a number of days, e.g. 30."))
            organisations.save_organisation(
                write_db,
                name=form["name"],
                notice_days=days,
                note=form["note"],
                actor=current_user(request).email,
                organisation_id=_int(form["id"]),
                version_id=_int(one(data, "version_id")),
            )
        except (InvalidInput, Conflict) as error:
            write_db.rollback()
            field = getattr(error, "field", "name")
            message = getattr(error, "message", error.detail)
            return _organisations(
                request, write_db, status_code=400, errors={field: message}, form=form
            )
        return see_other(PATH_ORGANISATIONS, "organisation")
