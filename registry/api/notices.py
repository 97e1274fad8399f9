"""The notices API: subscribers and deliveries for the admin (viewers read, editors act),
and webhook registration for customers (public, proven by a challenge)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.params import HeaderParameter, JSONBody, Parameter
from pydantic import BaseModel, Field

from registry.api.read import API_PREFIX
from registry.auth import BearerTokenMiddleware, requires
from registry.enums import SubscriberStatus, UserRole
from registry.models import Subscriber
from registry.notices import outbox, subscriptions, webhooks
from registry.text_fields import Text
from registry.web.deps import DB, WriteDB, provide_write_db

Id = Parameter(ge=1, le=2_147_483_647)
AnyStatus = Parameter(default=None, description="pending, confirmed or unsubscribed")


class SubscriberOut(BaseModel):
    id: int
    email: str
    lang: str
    organisation: str
    status: SubscriberStatus
    created_at: datetime
    confirmed_at: datetime | None
    unsubscribed_at: datetime | None


class SubscriberPage(BaseModel):
    total: int
    counts: dict[str, int]
    items: list[SubscriberOut]


class WebhookIn(BaseModel):
    url: Text = Field(max_length=2000)
    description: Text = Field(default="", max_length=200)


class WebhookOut(BaseModel):
    id: int
    url: str
    status: str
    secret: str = Field(description="Shown once: verify X-Registry-Signature with it.")
    signature_header: str = webhooks.SIGNATURE_HEADER


def subscriber_out(subscriber: Subscriber) -> SubscriberOut:
    return SubscriberOut.model_validate(subscriber, from_attributes=True)


class SubscriberController(Controller):
    path = f"{API_PREFIX}/subscribers"
    tags = ["notices"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.VIEWER)]
    dependencies = {"write_db": Provide(provide_write_db)}
    security = [{"BearerToken": []}]

    @get("/", sync_to_thread=True)
    def list_subscribers(
        self,
        db: DB,
        q: str = Parameter(default="", max_length=320),
        status: SubscriberStatus | None = AnyStatus,
        limit: int = Parameter(default=50, ge=1, le=500),
        offset: int = Parameter(default=0, ge=0, le=2_147_483_647),
    ) -> SubscriberPage:
        """Subscribers, newest first, searched by address or organisation; counts by status."""
        total, rows = subscriptions.list_subscribers(
            db, query=q, status=status, limit=limit, offset=offset
        )
        return SubscriberPage(
            total=total,
            counts=subscriptions.count_subscribers(db),
            items=[subscriber_out(s) for s in rows],
        )

    @delete("/{subscriber_id:int}", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def remove(self, write_db: WriteDB, subscriber_id: int = Id) -> None:
        """Forget a subscriber and the messages still owed to it (204)."""
        subscriptions.remove_subscriber(write_db, subscriber_id)


class DeliveryController(Controller):
    path = f"{API_PREFIX}/publications/{{number:int}}/deliveries"
    tags = ["notices"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.VIEWER)]
    dependencies = {"write_db": Provide(provide_write_db)}
    security = [{"BearerToken": []}]

    @get("/", sync_to_thread=True)
    def status(
        self,
        db: DB,
        number: int = Id,
        limit: int = Parameter(default=200, ge=1, le=1000),
        offset: int = Parameter(default=0, ge=0, le=2_147_483_647),
    ) -> dict[str, Any]:
        """Counts by status (and kind), and the messages not yet sent with their last
        error, a page at a time (`limit`, `offset`)."""
        return outbox.delivery_status(db, number, limit=limit, offset=offset)

    @post("/retry", sync_to_thread=True, guards=[requires(UserRole.EDITOR)], status_code=200)
    def retry(self, write_db: WriteDB, number: int = Id) -> dict[str, int]:
        """Make the publication's failed and waiting messages due now."""
        return {"retried": outbox.retry_now(write_db, number)}


class WebhookController(Controller):
    path = f"{API_PREFIX}/webhooks"
    tags = ["notices"]
    dependencies = {"write_db": Provide(provide_write_db)}

    @post("/", sync_to_thread=True)
    def register(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        data: JSONBody[WebhookIn],
    ) -> WebhookOut:
        """Register an https endpoint (201). We first POST `{"event": "challenge",
        "challenge": TOKEN}`; the endpoint must answer 2xx with TOKEN in its body."""
        client = request.client.host if request.client else "unknown"
        if not state.subscribe_limiter.allow(f"webhook:{client}"):
            raise HTTPException(status_code=429, detail="Too many requests; try again later")
        secret = webhooks.prove(
            data.url, allow_insecure_loopback=state.settings.webhook_allow_insecure_loopback
        )
        endpoint = webhooks.store(
            write_db, url=data.url, secret=secret, description=data.description
        )
        return WebhookOut(
            id=endpoint.id or 0, url=endpoint.url, status=endpoint.status.value, secret=secret
        )

    @delete("/{endpoint_id:int}", sync_to_thread=True)
    def remove(
        self,
        write_db: WriteDB,
        secret: Annotated[str, HeaderParameter(name="X-Registry-Secret", max_length=100)],
        endpoint_id: int = Id,
    ) -> None:
        """Stop deliveries to an endpoint; proven by its secret in `X-Registry-Secret` (204)."""
        webhooks.remove(write_db, endpoint_id, secret)
