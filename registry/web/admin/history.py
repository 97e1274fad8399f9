"""The change log: browsable overall and per object; read-only by design (no routes change it)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get

from registry.auth import requires
from registry.enums import UserRole
from registry.services.history import PAGE_SIZE, changes, field_changes
from registry.web.admin.common import PATH_HISTORY, page
from registry.web.deps import DB
from registry.web.inputs import optional_id

OBJECT_TYPES = ("recipient", "company", "version", "user", "token")


class HistoryController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_HISTORY, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        params = request.query_params
        object_type = params.get("type", "")
        object_type = object_type if object_type in OBJECT_TYPES else ""
        key = params.get("key", "").strip()[:200]
        number = params.get("page", "1")
        current = optional_id(number) or 1
        records, total = changes(db, object_type=object_type, key=key, page=current)
        return page(
            request,
            "admin/history.html",
            records=[(r, field_changes(r)) for r in records],
            total=total,
            page_number=current,
            pages=max(1, -(-total // PAGE_SIZE)),
            object_type=object_type,
            key=key,
            object_types=OBJECT_TYPES,
        )
