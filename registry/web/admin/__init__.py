"""The admin UI for legal, under /admin: one router, one controller module per area.

Every controller but the sign-in page carries a role guard on its class;
tests/test_admin_access.py walks the app's route table to prove it.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Router
from litestar.di import Provide
from litestar.exceptions import HTTPException, NotAuthorizedException
from litestar.middleware import DefineMiddleware

from registry.errors import RegistryError
from registry.i18n import use_language
from registry.settings import Settings
from registry.web.admin.auth import AccountController, LoginController
from registry.web.admin.common import admin_session_middleware, anonymous_to_login, error_page
from registry.web.admin.company import CompanyReadController, CompanyWriteController
from registry.web.admin.contracts import ContractsController, ContractsWriteController
from registry.web.admin.csrf import SessionBoundCSRFMiddleware, csrf_config, session_cookie_name
from registry.web.admin.draft_documents import DraftDocumentsController
from registry.web.admin.history import HistoryController
from registry.web.admin.notices import (
    DeliveriesController,
    DeliveriesWriteController,
    SubscribersController,
    SubscribersWriteController,
)
from registry.web.admin.objections import (
    ObjectionsController,
    ObjectionsWriteController,
    OrganisationsController,
    OrganisationsWriteController,
)
from registry.web.admin.publishing import PreviewController, PublishController
from registry.web.admin.recipients import RecipientsReadController, RecipientsWriteController
from registry.web.admin.regimes import RegimesReadController, RegimesWriteController
from registry.web.admin.users import UsersController
from registry.web.admin.version_page import VersionPageController
from registry.web.deps import provide_write_db, request_language


async def _in_readers_language(request: Request[Any, Any, Any]) -> None:
    use_language(request_language(request.scope))


def admin_router(settings: Settings, secret: str) -> Router:
    """Every /admin page, behind the session middleware and CSRF protection.

    CSRF (Litestar's double-submit cookie, bound to the admin session: see
    `registry.web.admin.csrf`) is middleware of this router only, so
    it never applies to routes other parts own: /api/* (bearer tokens),
    /subscribe, /subscriptions/* (RFC 8058 one-click), /webhooks*, /objections*.
    """
    csrf = DefineMiddleware(
        SessionBoundCSRFMiddleware,
        config=csrf_config(settings, secret),
        session_cookie=session_cookie_name(settings),
    )
    return Router(
        path="/",
        route_handlers=[
            LoginController,
            AccountController,
            RecipientsReadController,
            RecipientsWriteController,
            PreviewController,
            PublishController,
            DraftDocumentsController,
            CompanyReadController,
            CompanyWriteController,
            HistoryController,
            UsersController,
            SubscribersController,
            SubscribersWriteController,
            DeliveriesController,
            DeliveriesWriteController,
            VersionPageController,
            ObjectionsController,
            ObjectionsWriteController,
            OrganisationsController,
            OrganisationsWriteController,
            RegimesReadController,
            RegimesWriteController,
            ContractsController,
            ContractsWriteController,
        ],
        middleware=[csrf, admin_session_middleware],
        # Messages a handler composes (checklists, gaps, labels) in the reader's language.
        before_request=_in_readers_language,
        exception_handlers={
            NotAuthorizedException: anonymous_to_login,
            HTTPException: error_page,
            RegistryError: error_page,
        },
        dependencies={"write_db": Provide(provide_write_db)},
    )
