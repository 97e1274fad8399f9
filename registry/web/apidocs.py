"""/schema: the API's documentation in Swagger UI, served from this server alone.

The Swagger UI files come from the `swagger-ui-py` package (Apache-2.0, its
LICENSE ships beside them) and are served under /vendor/swagger-ui; our own
initialiser, /static/apidocs.js, starts it, so the page needs no CDN and no
inline script (our CSP is `script-src 'self'`).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import swagger_ui
from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

SWAGGER_UI_DIR = Path(swagger_ui.__file__).resolve().parent / "static"
ASSETS_PATH = "/vendor/swagger-ui"


class OfflineSwaggerPlugin(OpenAPIRenderPlugin):
    """Swagger UI at /schema (and /schema/swagger), its scripts all from this server."""

    def __init__(self) -> None:
        super().__init__(path=["/", "/swagger"])

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        spec_url = escape(self.get_openapi_json_route(request))
        title = escape(str(openapi_schema.get("info", {}).get("title", "API")))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} API</title>
<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-spec-url="{spec_url}"></div>
<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="/static/apidocs.js"></script>
</body>
</html>
""".encode()


def swagger_assets_router() -> Router:
    """The Swagger UI files the package ships, cached like our own static files."""
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[SWAGGER_UI_DIR],
        name="swagger-ui",
        include_in_schema=False,
    )
