"""Subscribers to the change notices, and the deliveries of each publication (with its evidence)."""

from __future__ import annotations

from typing import Annotated, Any

from babel.support import LazyProxy
from litestar import Controller, MediaType, Request, Response, get, post
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath

from registry.auth import requires
from registry.enums import OutboxKind, OutboxStatus, SubscriberStatus, UserRole
from registry.i18n import negotiate
from registry.notices import outbox
from registry.notices.subscriptions import count_subscribers, list_subscribers, remove_subscriber
from registry.services.evidence import evidence, evidence_pdf
from registry.web.admin.common import PATH_SUBSCRIBERS, PATH_VERSIONS, page, see_other
from registry.web.deps import DB, WriteDB
from registry.web.inputs import optional_id

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

PAGE_SIZE = 50


def _status(value: str) -> SubscriberStatus | None:
    try:
        return SubscriberStatus(value)
    except ValueError:
        return None


class SubscribersController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_SUBSCRIBERS, sync_to_thread=True)
    def index(self, request: Request[Any, Any, Any], db: DB) -> Response[Any]:
        params = request.query_params
        query = params.get("q", "").strip()[:200]
        status = _status(params.get("status", ""))
        number = params.get("page", "1")
        current = optional_id(number) or 1
        total, rows = list_subscribers(
            db, query=query, status=status, limit=PAGE_SIZE, offset=(current - 1) * PAGE_SIZE
        )
        return page(
            request,
            "admin/subscribers.html",
            counts=count_subscribers(db),
            statuses=list(SubscriberStatus),
            rows=rows,
            total=total,
            query=query,
            status=status.value if status else "",
            page_number=current,
            pages=max(1, -(-total // PAGE_SIZE)),
        )


class SubscribersWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_SUBSCRIBERS + "/{subscriber_id:int}/remove", sync_to_thread=True, status_code=303)
    def remove(
        self, request: Request[Any, Any, Any], write_db: WriteDB, subscriber_id: FromPath[int]
    ) -> Response[Any]:
        remove_subscriber(write_db, subscriber_id)
        return see_other(PATH_SUBSCRIBERS, "subscriber_removed")


class DeliveriesController(Controller):
    guards = [requires(UserRole.VIEWER)]
    include_in_schema = False

    @get(PATH_VERSIONS + "/{number:int}/deliveries", sync_to_thread=True)
    def deliveries(
        self, request: Request[Any, Any, Any], db: DB, number: FromPath[int]
    ) -> Response[Any]:
        return page(
            request,
            "admin/deliveries.html",
            number=number,
            status=outbox.delivery_status(db, number),
            # Lazy: the labels are read when the page renders, in the page's language.
            kinds={
                kind.value: LazyProxy(lambda k=kind: k.label, enable_cache=False)
                for kind in OutboxKind
            },
            statuses={
                status.value: LazyProxy(lambda s=status: s.label, enable_cache=False)
                for status in OutboxStatus
            },
        )

    @get(PATH_VERSIONS + "/{number:int}/evidence.json", sync_to_thread=True)
    def evidence_json(self, state: State, db: DB, number: FromPath[int]) -> Response[Any]:
        record = evidence(db, number, state.templates, state.settings.base_url)
        return Response(
            record,
            media_type=MediaType.JSON,
            headers={
                "Content-Disposition": f'attachment; filename="registry-v{number}-evidence.json"',
                "Cache-Control": "no-store",
            },
        )

    @get(PATH_VERSIONS + "/{number:int}/evidence.pdf", sync_to_thread=True)
    def evidence_pdf(
        self, request: Request[Any, Any, Any], state: State, db: DB, number: FromPath[int]
    ) -> Response[bytes]:
        """The same evidence as a PDF report, in the reader's language."""
        lang = negotiate(request.query_params.get("lang"), request.cookies.get("lang"), None)
        record = evidence(db, number, state.templates, state.settings.base_url)
        return Response(
            evidence_pdf(record, state.templates, lang),
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="registry-v{number}-evidence.pdf"',
                "Cache-Control": "no-store",
            },
        )


class DeliveriesWriteController(Controller):
    guards = [requires(UserRole.EDITOR)]
    include_in_schema = False

    @post(PATH_VERSIONS + "/{number:int}/deliveries/retry", sync_to_thread=True, status_code=303)
    def retry(self, write_db: WriteDB, number: FromPath[int]) -> Response[Any]:
        outbox.retry_now(write_db, number)
        return see_other(f"{PATH_VERSIONS}/{number}/deliveries", "retried")
