"""Who is calling: API bearer tokens, and guards by role."""

from __future__ import annotations

from typing import Any

import anyio
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from sqlalchemy import Engine

from registry.db import read_session
from registry.enums import UserRole
from registry.models import User
from registry.services.users import user_for_token


def _lookup(engine: Engine, token: str) -> User | None:
    with read_session(engine) as session:
        return user_for_token(session, token)


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    """`Authorization: Bearer TOKEN` → `request.user`, or 401."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException("An API token is required: Authorization: Bearer TOKEN")
        engine: Engine = connection.app.state.engine
        user = await anyio.to_thread.run_sync(_lookup, engine, token.strip())
        if user is None:
            raise NotAuthorizedException("The API token is unknown or revoked")
        return AuthenticationResult(user=user, auth=token)


def requires(role: UserRole) -> Any:
    """A guard: the signed-in user must hold `role` or a higher one."""

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = connection.scope.get("user")
        if not isinstance(user, User):
            raise NotAuthorizedException("Sign-in required")
        if not UserRole(user.role).may(role):
            raise PermissionDeniedException(
                f"Your role ({UserRole(user.role).value}) may not do this; it needs {role.value}"
            )

    guard.__name__ = f"requires_{role.value}"
    return guard
