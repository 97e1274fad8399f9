"""Signing in and out, and changing one's own password."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body
from litestar.response import Redirect

from registry.auth import requires
from registry.enums import UserRole
from registry.errors import InvalidInput
from registry.i18n import gettext as _
from registry.services import login_throttle, sessions, users
from registry.web.admin.common import (
    PATH_HOME,
    PATH_LOGIN,
    PATH_LOGOUT,
    PATH_PASSWORD,
    PATH_RECIPIENTS,
    current_user,
    one,
    page,
    policy,
    see_other,
    session_cookie,
)
from registry.web.admin.csrf import served_over_https, session_cookie_path
from registry.web.admin.login_alerts import alert_owner, throttle_message
from registry.web.deps import WriteDB

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _safe_next(target: str) -> str:
    """Only our own admin pages: never an absolute or protocol-relative URL."""
    if target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return PATH_RECIPIENTS


class LoginController(Controller):
    """The only admin pages open to anonymous visitors."""

    include_in_schema = False

    @get(PATH_LOGIN, sync_to_thread=False)
    def login_form(self, request: Request[Any, Any, Any]) -> Response[Any]:
        return page(
            request,
            "admin/login.html",
            email="",
            error="",
            next=_safe_next(request.query_params.get("next", "")),
        )

    @post(PATH_LOGIN, sync_to_thread=True, status_code=303)
    def login(
        self, request: Request[Any, Any, Any], state: State, write_db: WriteDB, data: Form
    ) -> Response[Any]:
        email, password = one(data, "email"), one(data, "password")
        target = _safe_next(one(data, "next"))
        ip = request.client.host if request.client else ""
        session_policy = policy(state.settings)
        try:
            user = sessions.authenticate(write_db, email, password, ip=ip, policy=session_policy)
        except sessions.Throttled as throttled:
            response = page(
                request,
                "admin/login.html",
                status_code=429,
                email=email,
                error=throttle_message(throttled.retry_after),
                next=target,
            )
            response.headers["Retry-After"] = str(throttled.retry_after)
            return response
        if user is None:
            alert_owner(state, write_db, email, session_policy)
            error = _("That email and password do not match an active account.")
            return page(
                request, "admin/login.html", status_code=400, email=email, error=error, next=target
            )
        sessions.prune(write_db, session_policy)
        session_id = sessions.start_session(
            write_db,
            user,
            ip=ip,
            user_agent=request.headers.get("user-agent", ""),
            replaces=request.cookies.get(session_cookie(request), ""),
        )
        response = Redirect(target, status_code=303)
        https = served_over_https(state.settings)
        response.set_cookie(
            session_cookie(request),
            session_id,
            path=session_cookie_path(state.settings),
            httponly=True,
            samesite="lax",
            secure=https or request.url.scheme == "https",
        )
        return response


class AccountController(Controller):
    """Pages every signed-in user may see: the start page and their own password."""

    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_HOME, sync_to_thread=False)
    def home(self) -> Redirect:
        return Redirect(PATH_RECIPIENTS, status_code=303)

    @get(PATH_PASSWORD, sync_to_thread=False)
    def password_form(self, request: Request[Any, Any, Any]) -> Response[Any]:
        return page(request, "admin/password.html", errors={})

    @post(PATH_PASSWORD, sync_to_thread=True, status_code=303)
    def change_password(
        self, request: Request[Any, Any, Any], state: State, write_db: WriteDB, data: Form
    ) -> Response[Any]:
        user = write_db.merge(current_user(request))
        errors: dict[str, str] = {}
        ip = request.client.host if request.client else ""
        try:  # guesses at the current password are throttled like sign-ins
            login_throttle.check(write_db, user.email, ip, policy(state.settings))
        except login_throttle.Throttled as throttled:
            errors["current_password"] = throttle_message(throttled.retry_after)
            response = page(request, "admin/password.html", status_code=429, errors=errors)
            response.headers["Retry-After"] = str(throttled.retry_after)
            return response
        if not users.verify_password(user.password_hash, one(data, "current_password")):
            login_throttle.record_failure(write_db, user.email, ip)
            errors["current_password"] = _("This is not your current password.")
        elif one(data, "new_password") != one(data, "confirm_password"):
            errors["confirm_password"] = _("The two new passwords differ.")
        else:
            try:
                users.set_password(
                    write_db,
                    user,
                    one(data, "new_password"),
                    actor=user.email,
                    profile=state.settings.password_hash_profile,
                )
            except InvalidInput as error:
                errors[error.field] = error.message
        if errors:
            return page(request, "admin/password.html", status_code=400, errors=errors)
        sessions.end_sessions_of(
            write_db, user.id or 0, keep=request.cookies.get(session_cookie(request), "")
        )
        return see_other(PATH_PASSWORD, "password")

    @post(PATH_LOGOUT, sync_to_thread=True, status_code=303)
    def logout(self, request: Request[Any, Any, Any], write_db: WriteDB) -> Response[Any]:
        session_id = request.cookies.get(session_cookie(request), "")
        if session_id:
            sessions.end_session(write_db, session_id)
        response = see_other(PATH_LOGIN, "signed_out")
        settings = request.app.state.settings
        response.delete_cookie(session_cookie(request), path=session_cookie_path(settings))
        return response
