"""`create_app(settings)`: the whole application, built from its settings.

Nothing here runs at import time; tests build as many apps as they like, each
with its own database.
"""

from __future__ import annotations

from pathlib import Path

import anyio
from jinja2 import Environment
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


def build_state(settings: Settings, templates: Environment | None = None) -> State:
    """Everything the app keeps for one database: engine, caches, limits, the templates.

    Handlers, hooks and the pipeline read it from `app.state` at each request, so
    an app's routes (costly to build: Litestar parses every handler's signature)
    could serve another database by being given another state.
    """
    engine = make_engine(settings.database_url, settings.pool())
    timelines = TimelineCache()
    return State(
        {
            "settings": settings,
            "engine": engine,
            "templates": templates or build_environment(),
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


def size_threads(app: Litestar) -> None:
    """on_startup: as many database threads as connections (a thread never waits for a
    connection that a finished request still holds)."""
    default = anyio.to_thread.current_default_thread_limiter()
    default.total_tokens = app.state.settings.pool().connections


def check_schema(app: Litestar) -> None:
    if not is_current(app.state.engine):
        raise RuntimeError("The database schema is not up to date: run `registry migrate`")


def release(app: Litestar) -> None:
    """on_shutdown: the engine's connections and the documents' render threads."""
    app.state.engine.dispose()
    app.state.documents.close()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or Settings()
    state = build_state(settings)

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
        on_shutdown=[stop_in_process, release],
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
    pipeline = pipeline_factory(TrustedProxies(settings.proxy_addresses()), settings.host_names())
    app.asgi_handler = pipeline(app.asgi_handler)
    return app
