"""Dependencies shared by the controllers: database sessions and the request's language."""

from __future__ import annotations

from collections.abc import Generator

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlmodel import Session

from registry.db import read_session, write_session
from registry.i18n import negotiate


def provide_db(state: State) -> Generator[Session, None, None]:
    """A read session; nothing it does is committed."""
    with read_session(state.engine) as session:
        yield session


def provide_write_db(state: State) -> Generator[Session, None, None]:
    """A write session: committed when the handler succeeds, rolled back when it raises."""
    with write_session(state.engine) as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def provide_lang(request: Request) -> str:  # type: ignore[type-arg]
    return negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


DB = NamedDependency[Session]
WriteDB = NamedDependency[Session]
Lang = NamedDependency[str]
