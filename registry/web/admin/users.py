"""Users and API tokens (administrators only)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from sqlmodel import col, select

from registry.auth import requires
from registry.enums import UserRole
from registry.errors import Conflict, InvalidInput, NotFound
from registry.i18n import gettext as _
from registry.models import ApiToken, User
from registry.services import sessions, users
from registry.web.admin.common import PATH_USERS, current_user, one, page, see_other
from registry.web.deps import DB, WriteDB

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _listing(db: Any) -> dict[str, Any]:
    people = db.exec(select(User).order_by(col(User.email))).all()
    tokens = db.exec(select(ApiToken).order_by(col(ApiToken.created_at).desc())).all()
    emails = {person.id: person.email for person in people}
    return {"people": people, "tokens": tokens, "emails": emails, "roles": list(UserRole)}


def _role(value: str) -> UserRole:
    try:
        return UserRole(value)
    except ValueError:
        raise InvalidInput("role", _("choose viewer, editor or administrator")) from None


class UsersController(Controller):
    guards = [requires(UserRole.ADMIN)]
    include_in_schema = False

    @get(PATH_USERS, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        return page(request, "admin/users.html", errors={}, form={}, **_listing(db))

    @post(PATH_USERS, sync_to_thread=True, status_code=303)
    def invite(
        self, request: Request[Any, Any, Any], state: State, write_db: WriteDB, data: Form
    ) -> Response[Any]:
        form = {"email": one(data, "email"), "role": one(data, "role")}
        password = users.generate_password()
        try:
            user = users.create_user(
                write_db,
                form["email"],
                password,
                _role(form["role"]),
                actor=current_user(request).email,
                profile=state.settings.password_hash_profile,
            )
        except (InvalidInput, Conflict) as error:
            write_db.rollback()
            field = getattr(error, "field", "email")
            message = getattr(error, "message", error.detail)
            return page(
                request,
                "admin/users.html",
                status_code=400,
                errors={field: message},
                form=form,
                **_listing(write_db),
            )
        return page(
            request,
            "admin/secret.html",
            status_code=201,
            kind="password",
            who=user.email,
            secret=password,
        )

    @post(PATH_USERS + "/{user_id:int}", sync_to_thread=True, status_code=303)
    def update(
        self, request: Request[Any, Any, Any], write_db: WriteDB, user_id: FromPath[int], data: Form
    ) -> Response[Any]:
        user = users.update_user(
            write_db,
            user_id,
            role=_role(one(data, "role")),
            is_active=one(data, "is_active") == "on",
            actor=current_user(request).email,
        )
        if not user.is_active:
            sessions.end_sessions_of(write_db, user_id)
        return see_other(PATH_USERS, "user")

    @post(PATH_USERS + "/{user_id:int}/tokens", sync_to_thread=True, status_code=303)
    def create_token(
        self, request: Request[Any, Any, Any], write_db: WriteDB, user_id: FromPath[int], data: Form
    ) -> Response[Any]:
        user = write_db.get(User, user_id)
        if user is None:
            raise NotFound(f"No user {user_id}")
        token = users.create_token(
            write_db,
            user,
            name=one(data, "name").strip()[:200],
            actor=current_user(request).email,
        )
        return page(
            request,
            "admin/secret.html",
            status_code=201,
            kind="token",
            who=user.email,
            secret=token,
        )

    @post(PATH_USERS + "/tokens/{token_id:int}/revoke", sync_to_thread=True, status_code=303)
    def revoke(
        self, request: Request[Any, Any, Any], write_db: WriteDB, token_id: FromPath[int]
    ) -> Response[Any]:
        users.revoke_token(write_db, token_id, actor=current_user(request).email)
        return see_other(PATH_USERS, "revoked")
