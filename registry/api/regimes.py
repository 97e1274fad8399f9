"""`GET /api/v1/versions/{n}/regimes`: per regime, is its document complete, what does it lack."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get
from litestar.params import Parameter
from pydantic import BaseModel

from registry import regimes
from registry.api.read import API_PREFIX
from registry.auth import BearerTokenMiddleware, requires
from registry.enums import UserRole
from registry.services import versions
from registry.services.snapshot import build_snapshot
from registry.web.deps import DB


class RegimeGap(BaseModel):
    recipient: str | None
    field: str
    message: str


class RegimeReport(BaseModel):
    regime: str
    title: str
    instrument: str
    complete: bool
    missing: list[RegimeGap]
    html: str
    pdf: str


def report_out(report: dict[str, Any], number: int) -> RegimeReport:
    base = f"/documents/{report['regime']}"
    return RegimeReport(
        **report, html=f"{base}?version={number}", pdf=f"{base}.pdf?version={number}"
    )


class RegimesController(Controller):
    path = API_PREFIX
    tags = ["registry"]

    @get("/versions/{number:int}/regimes", sync_to_thread=True)
    def version_regimes(
        self, db: DB, number: int = Parameter(ge=1, le=2_147_483_647)
    ) -> list[RegimeReport]:
        """Per transfer regime: its document's links, whether it is complete, what is missing
        (by recipient and field, with a message legal can act on)."""
        snapshot = versions.snapshot_of(versions.get_version(db, number))
        return [report_out(report, number) for report in regimes.reports(snapshot)]


class DraftRegimesController(Controller):
    path = f"{API_PREFIX}/draft/regimes"
    tags = ["draft"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.VIEWER)]
    security = [{"BearerToken": []}]

    @get("/", sync_to_thread=True)
    def draft_regimes(self, db: DB) -> list[RegimeReport]:
        """What each regime's document would lack if the draft were published now."""
        reports = regimes.reports(build_snapshot(db))
        return [
            RegimeReport(
                **report,
                html=f"/admin/preview/regimes/{report['regime']}",
                pdf="",
            )
            for report in reports
        ]
