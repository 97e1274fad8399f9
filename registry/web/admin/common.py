"""What every admin page shares: paths, the session middleware, rendering, form helpers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import anyio
from litestar import MediaType, Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.response import Redirect
from litestar.types import ASGIApp, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState
from sqlalchemy import Engine

from registry.db import transaction
from registry.errors import RegistryError
from registry.i18n import gettext as _
from registry.i18n import language, negotiate
from registry.models import User
from registry.services.sessions import SessionPolicy, session_user
from registry.settings import Settings
from registry.web.admin.csrf import session_cookie_name
from registry.web.admin.nav import open_objections

PATH_HOME = "/admin"
PATH_LOGIN = "/admin/login"
PATH_LOGOUT = "/admin/logout"
PATH_PASSWORD = "/admin/password"  # noqa: S105 (a path)
PATH_RECIPIENTS = "/admin/recipients"
PATH_PREVIEW = "/admin/preview"
PATH_COMPANY = "/admin/company"
PATH_HISTORY = "/admin/history"
PATH_USERS = "/admin/users"
PATH_SUBSCRIBERS = "/admin/subscribers"
PATH_VERSIONS = "/admin/versions"
PATH_OBJECTIONS = "/admin/objections"
PATH_ORGANISATIONS = "/admin/organisations"

NOTICES = {
    "saved": _("Saved. The change is in the draft; publish it to make it public."),
    "saved_stale": _(
        "Saved. A translation is now stale because its English changed: update it (below), "
        "or confirm that it still says the same, before publishing."
    ),
    "created": _("Recipient added to the draft."),
    "retired": _("Recipient retired: it leaves the table at the next publication."),
    "reactivated": _("Recipient reactivated in the draft."),
    "published": _("Published. Customers are being told; the notices show below as they go."),
    "withdrawn": _("The version was withdrawn and will not take effect."),
    "password": _("Your password was changed; other sign-ins were ended."),
    "user": _("User updated."),
    "revoked": _("Token revoked: it stops working at once."),
    "signed_out": _("You are signed out."),
    "subscriber_removed": _("The subscriber was removed with any messages still owed to them."),
    "retried": _("The failed and waiting messages will be sent again now."),
    "objection_status": _("The objection's status was changed."),
    "objection_note": _("Internal note added."),
    "objection_reply": _("Reply added; it is emailed to the objector shortly."),
    "organisation": _("Organisation saved."),
}


def policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.admin_session_idle_minutes),
        absolute=timedelta(hours=settings.admin_session_max_hours),
        max_failures=settings.admin_login_max_failures,
        max_failures_per_ip=settings.admin_login_max_failures_per_ip,
        window=timedelta(minutes=settings.admin_login_lockout_minutes),
        hash_profile=settings.password_hash_profile,
    )


def _lookup(engine: Engine, session_id: str, session_policy: SessionPolicy) -> User | None:
    with transaction(engine) as session:
        return session_user(session, session_id, session_policy)


def admin_session_middleware(app: ASGIApp) -> ASGIApp:
    """The admin session cookie → `scope["user"]` (None when absent or expired)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            cookies = Request(scope).cookies  # type: ignore[var-annotated]
            state = scope["app"].state
            session_id = cookies.get(session_cookie_name(state.settings), "")
            user = None
            if session_id:
                user = await anyio.to_thread.run_sync(
                    _lookup, state.engine, session_id, policy(state.settings)
                )
            scope["user"] = user
        await app(scope, receive, send)

    return middleware


def session_cookie(request: Request[Any, Any, Any]) -> str:
    """The admin session cookie's name: `__Host-registry_admin` when served over https."""
    return session_cookie_name(request.app.state.settings)


def current_user(request: Request[Any, Any, Any]) -> User:
    user = request.scope.get("user")
    if not isinstance(user, User):
        raise NotAuthorizedException("Sign-in required")
    return user


def csrf_token(request: Request[Any, Any, Any]) -> str:
    token = ScopeState.from_scope(request.scope).csrf_token
    return token if isinstance(token, str) else ""


def page(
    request: Request[Any, Any, Any], template: str, *, status_code: int = 200, **context: Any
) -> Response[str]:
    """Render an admin page with what the layout needs (user, CSRF token, notice)."""
    state: State = request.app.state
    notice = NOTICES.get(request.query_params.get("notice", ""), "")
    lang = negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )
    user = request.scope.get("user")
    waiting = open_objections(state.engine) if isinstance(user, User) else 0
    with language(lang):
        html = state.templates.get_template(template).render(
            open_objections=waiting,
            request_path=request.url.path,
            user=request.scope.get("user"),
            csrf_token=csrf_token(request),
            notice=notice,
            lang=lang,
            **context,
        )
    return Response(
        html,
        status_code=status_code,
        media_type=MediaType.HTML,
        headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY"},
    )


def see_other(path: str, notice: str = "", anchor: str = "") -> Redirect:
    where = path + (f"?notice={notice}" if notice else "") + (f"#{anchor}" if anchor else "")
    return Redirect(where, status_code=303)


def lines(value: Any) -> list[str]:
    """A textarea (one item a line) or repeated fields, as a clean list."""
    items = value if isinstance(value, list) else str(value or "").splitlines()
    return [str(item).strip() for item in items if str(item).strip()]


def many(data: dict[str, Any], name: str) -> list[str]:
    """Every value of a repeated field (checkboxes), none missing."""
    value = data.get(name)
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def one(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)


def anonymous_to_login(request: Request[Any, Any, Any], _: Exception) -> Response[Any]:
    target = request.url.path
    if request.url.query:
        target += "?" + request.url.query
    from urllib.parse import quote

    return Redirect(f"{PATH_LOGIN}?next={quote(target, safe='')}", status_code=303)


def error_page(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    status = getattr(error, "status_code", 500)
    detail = getattr(error, "detail", "") or _("Something went wrong.")
    if not isinstance(error, HTTPException | RegistryError):
        status, detail = 500, _("Something went wrong; the change was not saved.")
    return page(request, "admin/error.html", status_code=status, status=status, detail=detail)


FRIENDLY = {
    "String should have at least 1 character": _("This is required."),
    "List should have at least 1 item after validation, not 0": _("Choose or write at least one."),
    "Field required": _("This is required."),
}


def friendly(message: str) -> str:
    """Validation messages in words a lawyer reads without a manual."""
    return FRIENDLY.get(message, message)
