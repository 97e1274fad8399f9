"""`create_app(settings)`: the whole application, built from its settings.

Nothing here runs at import time; tests build as many apps as they like, each
with its own database.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from litestar.types import ASGIApp, Receive, Scope, Send

import registry.services.completeness  # noqa: F401  (registers the documents' checks)
from registry import __version__
from registry.api.checklist import ChecklistController
from registry.api.draft import DraftController, PublicationController
from registry.api.notices import DeliveryController, SubscriberController, WebhookController
from registry.api.objections import EvidenceController, LegalController
from registry.api.read import ReadController
from registry.api.regimes import DraftRegimesController, RegimesController
from registry.db import make_engine
from registry.documents import DocumentCache, fingerprint
from registry.migrate import is_current
from registry.notices.subscriptions import RateWindow
from registry.notices.worker import start_in_process, stop_in_process
from registry.pages import RenderCache
from registry.services import translation_status  # noqa: F401  (registers its check)
from registry.services.audit import request_id_var
from registry.settings import Settings
from registry.templating import build_environment
from registry.web.admin import admin_router
from registry.web.changes import ChangesController
from registry.web.deps import TimelineCache, provide_db
from registry.web.documents import DocumentsController
from registry.web.errors import EXCEPTION_HANDLERS
from registry.web.language import language_cookie_middleware
from registry.web.machine import MachineController
from registry.web.objections import ObjectionController
from registry.web.public import PublicController, health
from registry.web.regimes import RegimeDocumentsController
from registry.web.security import security_middleware_factory
from registry.web.subscriptions import SubscriptionController

STATIC_DIR = Path(__file__).parent / "static"


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    """Give each request an id (or keep the caller's X-Request-ID) for the change log."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming[:64] if incoming.isprintable() and incoming else uuid.uuid4().hex
        token = request_id_var.set(request_id)

        async def send_with_id(message: Any) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)

    return middleware


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    state = State(
        {
            "settings": settings,
            "engine": engine,
            "templates": build_environment(),
            "cache": RenderCache(),
            "timelines": TimelineCache(),
            "documents": DocumentCache(settings.var_dir / "cache" / "documents", fingerprint()),
            "secret_key": settings.resolved_secret_key(),
            "subscribe_limiter": RateWindow(settings.subscribe_ip_limit),
        }
    )

    def check_schema() -> None:
        if not is_current(engine):
            raise RuntimeError("The database schema is not up to date: run `registry migrate`")

    return Litestar(
        route_handlers=[
            PublicController,
            health,
            ReadController,
            DraftController,
            PublicationController,
            ChecklistController,
            ObjectionController,
            LegalController,
            EvidenceController,
            ChangesController,
            SubscriptionController,
            SubscriberController,
            DeliveryController,
            WebhookController,
            admin_router(settings, state["secret_key"]),
            DocumentsController,
            MachineController,
            RegimeDocumentsController,
            RegimesController,
            DraftRegimesController,
            create_static_files_router(path="/static", directories=[STATIC_DIR], name="static"),
        ],
        dependencies={"db": Provide(provide_db)},
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            security_middleware_factory(settings.proxy_addresses(), settings.host_names()),
            request_id_middleware,
            language_cookie_middleware,
        ],
        state=state,
        on_startup=[check_schema, start_in_process],
        on_shutdown=[stop_in_process, engine.dispose, state.documents.close],
        openapi_config=OpenAPIConfig(
            title="registry",
            version=__version__,
            description="The subprocessor and cross-border transfer registry.",
            path="/schema",
            components=Components(
                security_schemes={
                    "BearerToken": SecurityScheme(
                        type="http", scheme="bearer", description="`registry create-token EMAIL`"
                    )
                }
            ),
        ),
        debug=False,
    )
