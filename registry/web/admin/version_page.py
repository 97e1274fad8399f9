"""One published version as legal meets it right after publishing: what, when, who is told.

`GET /admin/versions/{n}`: the summary, effective date and content hash, what
changed, the deliveries as they go out (the page refreshes itself while any
are waiting), the objections received, and the evidence and public documents.
Publishing lands here.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import FromPath
from sqlmodel import Session, func, select

from registry.auth import requires
from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus, UserRole, WebhookStatus
from registry.models import Subscriber, WebhookEndpoint
from registry.notices import outbox
from registry.services import versions
from registry.services.objections import list_objections
from registry.web.admin.common import PATH_VERSIONS, page
from registry.web.deps import DB


def audience(session: Session) -> dict[str, int]:
    """Who a publication now would tell: confirmed subscribers and active webhooks."""
    subscribers = session.exec(
        select(func.count())
        .select_from(Subscriber)
        .where(Subscriber.status == SubscriberStatus.CONFIRMED)
    ).one()
    webhooks = session.exec(
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.status == WebhookStatus.ACTIVE)
    ).one()
    return {"subscribers": int(subscribers), "webhooks": int(webhooks)}


def _state(session: Session, number: int) -> str:
    if number in versions.withdrawals(session):
        return "withdrawn"
    timeline = versions.timeline(session)
    if number == timeline.in_force:
        return "in_force"
    if number in {n for n, _ in timeline.upcoming}:
        return "upcoming"
    return "superseded"


class VersionPageController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_VERSIONS + "/{number:int}", sync_to_thread=True)
    def version(
        self, request: Request[Any, Any, Any], db: DB, number: FromPath[int]
    ) -> Response[Any]:
        version = versions.get_version(db, number)
        status = outbox.delivery_status(db, number)
        snapshot = versions.snapshot_of(version)
        return page(
            request,
            "admin/version.html",
            version=version,
            state=_state(db, number),
            diff=versions.diff_of(db, version),
            countries=snapshot.get("countries", {}),
            status=status,
            waiting=status["counts"].get(OutboxStatus.PENDING.value, 0),
            kinds={kind.value: kind for kind in OutboxKind},  # labels read in the page's language
            statuses={s.value: s for s in OutboxStatus},
            objections=list_objections(db, version=number),
        )
