"""The draft as it will be published, its diff against the newest version, publish, withdraw."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from pydantic import ValidationError

from registry.auth import requires
from registry.enums import UserRole
from registry.errors import Conflict, Incomplete, InvalidInput
from registry.publication_schemas import PublicationIn
from registry.regimes.compare import draft_changes, newest_snapshot
from registry.services import notice_periods, versions
from registry.services.mechanisms import adequacy_by_country, transfer_warnings
from registry.services.objection_mail import Mailer
from registry.services.snapshot import build_snapshot
from registry.web.admin.checklist_view import checklist_groups
from registry.web.admin.common import (
    PATH_PREVIEW,
    PATH_VERSIONS,
    current_user,
    one,
    page,
    see_other,
)
from registry.web.admin.publish_errors import publish_errors, publish_refusal, publish_unconfirmed
from registry.web.admin.version_page import audience
from registry.web.deps import DB, WriteDB

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _told(db: Any, effective_at: str, default_date: date) -> tuple[Any, ...]:
    """Organisations the draft concerns, with the days the chosen (or, if unreadable, the
    default) date gives each against the days owed."""
    try:
        chosen = date.fromisoformat(effective_at) if effective_at else default_date
    except ValueError:
        chosen = default_date
    return notice_periods.preview(db, chosen, versions.today())


def _context(db: Any, settings: Any, form: dict[str, str] | None = None) -> dict[str, Any]:
    snapshot = build_snapshot(db)
    adequacy = adequacy_by_country(db)
    warnings = {
        r["slug"]: transfer_warnings(r["destinations"], r["mechanisms"], adequacy, versions.today())
        for r in snapshot["recipients"]
    }
    timeline = versions.timeline(db)
    default_date = versions.today() + timedelta(days=settings.notice_days)
    form = form or {"summary": "", "effective_at": default_date.isoformat(), "reason": ""}
    return {
        "snapshot": snapshot,
        "diff": versions.draft_diff(db),
        "warnings": {slug: w for slug, w in warnings.items() if w},
        "all_versions": versions.all_versions(db),
        "withdrawn": versions.withdrawals(db),
        "in_force": timeline.in_force,
        "upcoming": {number for number, _ in timeline.upcoming},
        "notice_days": settings.notice_days,
        "form": form,
        **_told_context(db, _told(db, form["effective_at"], default_date)),
        "today": versions.today().isoformat(),
        "errors": {},
        "checklist": checklist_groups(db),
        "regime_changes": draft_changes(newest_snapshot(db), snapshot),
        "audience": audience(db),
    }


def _told_context(db: Any, told: tuple[Any, ...]) -> dict[str, Any]:
    return {
        "owed": {o.organisation.id for o in told if o.cut_short},
        "organisations": [o.organisation for o in told],
        "told": notice_periods.owed_out(db, told),
    }


class PreviewController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_PREVIEW, sync_to_thread=True)
    def preview(self, request: Request[Any, Any, Any], state: State, db: DB) -> Response[Any]:
        return page(request, "admin/preview.html", **_context(db, state.settings))


class PublishController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_PREVIEW + "/publish", sync_to_thread=True, status_code=303)
    def publish(
        self, request: Request[Any, Any, Any], state: State, write_db: WriteDB, data: Form
    ) -> Response[Any]:
        form = {
            "summary": one(data, "summary"),
            "effective_at": one(data, "effective_at"),
            "reason": one(data, "short_notice_reason"),
            "ko_summary": one(data, "ko-summary"),
        }
        told = audience(write_db)
        if sum(told.values()) and not one(data, "confirm_audience"):
            return self._refused(request, state, write_db, form, publish_unconfirmed(told))
        try:
            publication = PublicationIn.model_validate(
                {
                    "summary": form["summary"],
                    "effective_at": form["effective_at"] or None,
                    "short_notice_reason": form["reason"],
                    "translations": {"ko": {"summary": form["ko_summary"]}},
                }
            )
            version = versions.publish(
                write_db,
                summary=publication.summary,
                effective_at=publication.effective_at,
                notice_days=state.settings.notice_days,
                actor=current_user(request).email,
                short_notice_reason=publication.short_notice_reason,
                require_reason=True,
                enforce_checklist=True,
                translations=publication.written_translations(),
            )
        except ValidationError as error:
            return self._refused(request, state, write_db, form, publish_errors(error))
        except (InvalidInput, Incomplete) as error:
            return self._refused(
                request, state, write_db, form, publish_refusal(error), error.status_code
            )
        except Conflict as error:
            return self._refused(request, state, write_db, form, publish_refusal(error))
        return see_other(f"{PATH_VERSIONS}/{version.number}", "published")

    def _refused(
        self,
        request: Any,
        state: State,
        db: Any,
        form: dict[str, str],
        errors: Any,
        status_code: int = 400,
    ) -> Response[Any]:
        db.rollback()
        context = _context(db, state.settings, form)
        context["errors"] = errors
        return page(request, "admin/preview.html", status_code=status_code, **context)

    @post(PATH_PREVIEW + "/withdraw/{number:int}", sync_to_thread=True, status_code=303)
    def withdraw(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        number: FromPath[int],
        data: Form,
    ) -> Response[Any]:
        versions.withdraw_version(
            write_db,
            number,
            one(data, "reason"),
            actor=current_user(request).email,
            mailer=Mailer(state.templates, state.settings.base_url),
        )
        return see_other(PATH_PREVIEW, "withdrawn")
