"""Every error answered as Litestar's JSON shape `{"status_code", "detail", "extra"}`.

Validation errors name the field in `detail` as well as in `extra`; anything
unexpected becomes a plain 500 without internals, and is logged.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from registry.errors import RegistryError
from registry.web import faults

log = logging.getLogger("registry")


def wants_html(request: Request[Any, Any, Any]) -> bool:
    """A browser asking for a page (not the API, not a script asking for JSON)."""
    if request.url.path.startswith(("/api/", "/schema")):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


def html_error(request: Request[Any, Any, Any], status: int, detail: str) -> Response[Any]:
    from registry.i18n import gettext as _
    from registry.i18n import language, negotiate

    lang = negotiate(
        request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )
    with language(lang):
        titles = {
            400: _("That request was not understood"),
            401: _("Please sign in"),
            403: _("You may not do this"),
            404: _("This page does not exist"),
            409: _("That conflicts with a change made meanwhile"),
            503: _("Temporarily unavailable"),
        }
        title = titles.get(status, _("Something went wrong"))
        if status == 404:
            detail = _("The address may be mistyped, or the page may have moved.")
        elif status >= 500:
            detail = _("Please try again in a moment.")
        html = request.app.state.templates.get_template("public/error.html").render(
            lang=lang, title=title, detail=detail
        )
    return Response(html, status_code=status, media_type="text/html")


def _body(status: int, detail: str, extra: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"status_code": status, "detail": detail}
    if extra:
        body["extra"] = extra
    return body


def registry_error(request: Request[Any, Any, Any], error: RegistryError) -> Response[Any]:
    if wants_html(request):
        return html_error(request, error.status_code, error.detail)
    return Response(
        _body(error.status_code, error.detail, error.extra),
        status_code=error.status_code,
        media_type=MediaType.JSON,
    )


def validation_error(_: Request[Any, Any, Any], error: ValidationException) -> Response[Any]:
    extra = error.extra if isinstance(error.extra, list) else []
    for item in extra:
        if not isinstance(item, dict):
            continue
        message = str(item.get("message", "")).removeprefix("Value error, ")
        if not item.get("key"):
            match = re.match(r"(\w+): (.*)", message, re.DOTALL)
            if match:
                item["key"], message = match.group(1), match.group(2)
            else:
                item["key"] = "body"
        item["message"] = message
    fields = [
        f"{item.get('key')}: {item.get('message')}"
        for item in extra
        if isinstance(item, dict) and item.get("key")
    ]
    detail = "Validation failed" + (" for " + "; ".join(fields) if fields else f": {error.detail}")
    return Response(_body(400, detail[:2000], extra), status_code=400, media_type=MediaType.JSON)


def http_error(request: Request[Any, Any, Any], error: HTTPException) -> Response[Any]:
    if wants_html(request) and request.url.path.startswith("/admin/") and error.status_code == 404:
        from registry.i18n import lazy_gettext
        from registry.web.admin.common import error_page  # the admin's layout, for its own paths

        missing: Any = lazy_gettext("There is no such page in the admin; it may have moved.")
        return error_page(request, HTTPException(status_code=404, detail=missing))
    if wants_html(request) and error.status_code in (404, 405, 503):
        return html_error(request, error.status_code, error.detail)
    return Response(
        _body(error.status_code, error.detail, error.extra),
        status_code=error.status_code,
        media_type=MediaType.JSON,
        headers=error.headers,
    )


def database_busy(request: Request[Any, Any, Any], error: OperationalError) -> Response[Any]:
    storage = faults.storage_fault(error)
    if storage:
        return faults.storage_response(request, storage)
    log.exception("database error on %s %s", request.method, request.url.path)
    return Response(
        _body(503, "The database is busy or unavailable; try again in a moment"),
        status_code=503,
        media_type=MediaType.JSON,
        headers={"Retry-After": "2"},
    )


def pool_dry(request: Request[Any, Any, Any], _error: PoolTimeout) -> Response[Any]:
    """No database connection came free in time: a burst, answered at once, not a failure."""
    log.warning("no database connection free for %s %s", request.method, request.url.path)
    return Response(
        _body(503, "The server is busy; try again in a moment"),
        status_code=503,
        media_type=MediaType.JSON,
        headers={"Retry-After": "2"},
    )


def unexpected_error(request: Request[Any, Any, Any], error: Exception) -> Response[Any]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    if wants_html(request):
        return html_error(request, 500, "")
    return Response(_body(500, "Internal server error"), status_code=500, media_type=MediaType.JSON)


EXCEPTION_HANDLERS: dict[Any, Any] = {
    RegistryError: registry_error,
    ValidationException: validation_error,
    HTTPException: http_error,
    OperationalError: database_busy,
    PoolTimeout: pool_dry,
    RecursionError: faults.too_deep,
    Exception: unexpected_error,
}
