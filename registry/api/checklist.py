"""`GET /api/v1/draft/checklist`: what stops the draft from being published now."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get

from registry.api.read import API_PREFIX
from registry.auth import BearerTokenMiddleware, requires
from registry.enums import UserRole
from registry.services.checklist import draft_checklist
from registry.web.deps import DB


class ChecklistController(Controller):
    path = f"{API_PREFIX}/draft/checklist"
    tags = ["draft"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.EDITOR)]
    security = [{"BearerToken": []}]

    @get("/", sync_to_thread=True)
    def checklist(self, db: DB) -> list[dict[str, Any]]:
        """`[{"recipient", "field", "problem", "message"}]`; empty when publishable."""
        return [item.as_json() for item in draft_checklist(db)]
