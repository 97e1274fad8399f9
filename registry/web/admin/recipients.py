"""Recipients of the draft: the list, and adding, editing, retiring, reactivating one."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from registry.auth import requires
from registry.enums import RecipientRole, RecipientStatus, UserRole
from registry.errors import Conflict, InvalidInput
from registry.services import draft
from registry.services.snapshot import recipient_record
from registry.web.admin.common import (
    PATH_RECIPIENTS,
    current_user,
    one,
    page,
    see_other,
)
from registry.web.admin.recipient_errors import recipient_errors, service_errors
from registry.web.admin.recipient_form import blank, form_context, from_form
from registry.web.deps import DB, WriteDB
from registry.web.inputs import optional_id

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _stored(recipient: Any) -> dict[str, Any]:
    return recipient_record(recipient) | {
        "status": str(recipient.status),
        "version_id": recipient.version_id,
        "translation_sources": recipient.translation_sources,
    }


def _choice(enum_class: type[Any], value: str) -> Any:
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


def _invalid(
    request: Request[Any, Any, Any], db: Any, recipient: Any, values: dict[str, Any], errors: Any
) -> Response[Any]:
    """The form again, as typed, with every error listed at the top and beside its field."""
    return page(
        request,
        "admin/recipient_form.html",
        status_code=400,
        recipient=recipient,
        errors=errors,
        **form_context(db, values),
    )


class RecipientsReadController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_RECIPIENTS, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        params = request.query_params
        status_value = params.get("status", "active")
        filters = {
            "q": params.get("q", "").strip()[:100],
            "country": params.get("country", "").strip().upper()[:2],
            "role": params.get("role", ""),
            "status": status_value,
        }
        rows = draft.list_recipients(
            db,
            status=_choice(RecipientStatus, status_value) if status_value != "all" else None,
            country=filters["country"] or None,
            role=_choice(RecipientRole, filters["role"]),
            query=filters["q"] or None,
        )
        return page(
            request,
            "admin/recipients.html",
            rows=rows,
            filters=filters,
            **form_context(db, blank()),
        )

    @get(PATH_RECIPIENTS + "/{slug:str}", sync_to_thread=True)
    def edit_form(
        self, request: Request[Any, Any, Any], db: DB, slug: FromPath[str]
    ) -> Response[Any]:
        recipient = draft.get_recipient(db, slug)
        values = _stored(recipient)
        return page(
            request,
            "admin/recipient_form.html",
            recipient=recipient,
            errors={},
            **form_context(db, values),
        )


class RecipientsWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @get(PATH_RECIPIENTS + "/new", sync_to_thread=True)
    def new_form(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        return page(
            request,
            "admin/recipient_form.html",
            recipient=None,
            errors={},
            **form_context(db, blank()),
        )

    @post(PATH_RECIPIENTS + "/new", sync_to_thread=True, status_code=303)
    def create(
        self, request: Request[Any, Any, Any], write_db: WriteDB, data: Form
    ) -> Response[Any]:
        values = from_form(data)
        values.pop("version_id", None)
        if errors := recipient_errors(values):
            return _invalid(request, write_db, None, values, errors)
        try:
            recipient = draft.create_recipient(
                write_db, draft.validate(values), actor=current_user(request).email
            )
        except (InvalidInput, Conflict) as error:
            write_db.rollback()
            return _invalid(request, write_db, None, values, service_errors(error))
        return see_other(f"{PATH_RECIPIENTS}/{recipient.slug}", "created")

    @post(PATH_RECIPIENTS + "/{slug:str}", sync_to_thread=True, status_code=303)
    def save(
        self, request: Request[Any, Any, Any], write_db: WriteDB, slug: FromPath[str], data: Form
    ) -> Response[Any]:
        recipient = draft.get_recipient(write_db, slug)
        values = from_form(data)
        values["status"] = str(recipient.status)
        values.setdefault("translations", recipient.translations)
        values["translation_sources"] = recipient.translation_sources
        values["service_details"] = {  # written through the API; kept for the services kept
            name: detail
            for name, detail in recipient.service_details.items()
            if name in values["services"]
        }
        if errors := recipient_errors(values):
            return _invalid(request, write_db, recipient, values, errors)
        try:
            draft.replace_recipient(
                write_db,
                slug,
                draft.validate(values),
                actor=current_user(request).email,
                message=one(data, "message"),
            )
        except InvalidInput as error:
            write_db.rollback()
            return _invalid(request, write_db, recipient, values, service_errors(error))
        except Conflict:
            write_db.rollback()
            current = draft.get_recipient(write_db, slug)
            theirs = _stored(current)
            checked = draft.validate(values | {"version_id": None})
            mine = checked.model_dump(mode="json", exclude={"slug", "version_id"})
            mine["version_id"] = current.version_id
            return page(
                request,
                "admin/conflict.html",
                status_code=409,
                recipient=current,
                theirs=theirs,
                errors={},
                message=one(data, "message"),
                **form_context(write_db, mine),
            )
        stale = _first_stale(write_db, slug)
        if stale:  # straight to it: nobody scrolls a long form to find what publishing lacks
            return see_other(f"{PATH_RECIPIENTS}/{slug}", "saved_stale", f"translation-{stale}")
        return see_other(f"{PATH_RECIPIENTS}/{slug}", "saved")

    @post(PATH_RECIPIENTS + "/{slug:str}/retire", sync_to_thread=True, status_code=303)
    def retire(
        self, request: Request[Any, Any, Any], write_db: WriteDB, slug: FromPath[str], data: Form
    ) -> Response[Any]:
        version = one(data, "version_id")
        draft.retire_recipient(
            write_db,
            slug,
            actor=current_user(request).email,
            version_id=optional_id(version),
        )
        return see_other(f"{PATH_RECIPIENTS}/{slug}", "retired")

    @post(PATH_RECIPIENTS + "/{slug:str}/reactivate", sync_to_thread=True, status_code=303)
    def reactivate(
        self, request: Request[Any, Any, Any], write_db: WriteDB, slug: FromPath[str], data: Form
    ) -> Response[Any]:
        version = one(data, "version_id")
        draft.patch_recipient(
            write_db,
            slug,
            {"status": "active"}
            | ({"version_id": optional_id(version)} if optional_id(version) else {}),
            actor=current_user(request).email,
        )
        return see_other(f"{PATH_RECIPIENTS}/{slug}", "reactivated")


def _first_stale(db: Any, slug: str) -> str:
    """The first translation of the recipient left stale by its English: its row's id part."""
    from registry.services.translation_status import status_map

    recipient = draft.get_recipient(db, slug)
    shown = status_map(recipient_record(recipient), recipient.translation_sources, "recipient")
    for paths in shown.values():
        for path, problem in paths.items():
            if problem == "stale":
                return path.replace(".", "-")
    return ""
