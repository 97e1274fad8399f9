"""`create_app(settings)`: the whole application, built from its settings.

Nothing here runs at import time; tests build as many apps as they like, each
with its own database.
"""

from __future__ import annotations

from pathlib import Path

import anyio
from litestar import Litestar
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router

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
from registry.settings import Settings
from registry.templating import build_environment
from registry.web.admin import admin_router
from registry.web.apidocs import OfflineSwaggerPlugin, swagger_assets_router
from registry.web.changes import ChangesController
from registry.web.clients import TrustedProxies
from registry.web.deps import TimelineCache, provide_db
from registry.web.documents import DocumentsController, RenderGate
from registry.web.errors import EXCEPTION_HANDLERS
from registry.web.frontcache import FrontCache
from registry.web.machine import MachineController
from registry.web.objections import ObjectionController
from registry.web.pipeline import pipeline_factory
from registry.web.public import PublicController, Readiness, health, live
from registry.web.regimes import RegimeDocumentsController
from registry.web.subscriptions import SubscriptionController

STATIC_DIR = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings()
    pool = settings.pool()
    engine = make_engine(settings.database_url, pool)
    timelines = TimelineCache()
    state = State(
        {
            "settings": settings,
            "engine": engine,
            "templates": build_environment(),
            "cache": RenderCache(),
            "timelines": timelines,
            "front": FrontCache(timelines),
            "documents": DocumentCache(settings.var_dir / "cache" / "documents", fingerprint()),
            "secret_key": settings.resolved_secret_key(),
            "subscribe_limiter": RateWindow(settings.subscribe_ip_limit),
            "published_at": {},
            "readiness": Readiness(engine),
            "render_gate": RenderGate(settings.render_queue),
        }
    )
    limiter: list[anyio.CapacityLimiter] = []

    def size_threads() -> None:
        """As many database threads as connections: a thread never waits for a connection
        that a finished request still holds."""
        default = anyio.to_thread.current_default_thread_limiter()
        default.total_tokens = pool.connections
        limiter[:] = [default]

    def shed() -> bool:
        return bool(limiter) and limiter[0].statistics().tasks_waiting >= settings.db_queue

    def check_schema() -> None:
        if not is_current(engine):
            raise RuntimeError("The database schema is not up to date: run `registry migrate`")

    app = Litestar(
        route_handlers=[
            PublicController,
            health,
            live,
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
            swagger_assets_router(),
        ],
        dependencies={"db": Provide(provide_db, sync_to_thread=False)},
        exception_handlers=EXCEPTION_HANDLERS,
        state=state,
        on_startup=[size_threads, check_schema, start_in_process],
        on_shutdown=[stop_in_process, engine.dispose, state.documents.close],
        openapi_config=OpenAPIConfig(
            title="registry",
            version=__version__,
            description="The subprocessor and cross-border transfer registry.",
            path="/schema",
            render_plugins=[OfflineSwaggerPlugin(), JsonRenderPlugin(), YamlRenderPlugin()],
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
    # Around Litestar's whole handler, not a route's middleware: 404 and 405 included.
    pipeline = pipeline_factory(
        TrustedProxies(settings.proxy_addresses()), settings.host_names(), shed, state.front
    )
    app.asgi_handler = pipeline(app.asgi_handler)
    return app
