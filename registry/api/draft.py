"""The write API for editors: the draft's recipients, and publishing."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import JSONBody, Parameter

from registry.api.read import API_PREFIX, version_out
from registry.auth import BearerTokenMiddleware, requires
from registry.enums import RecipientStatus, UserRole
from registry.errors import InvalidInput
from registry.models import Recipient, User
from registry.output_schemas import DraftRecipientOut, VersionOut
from registry.publication_schemas import PublicationIn
from registry.schemas import RecipientIn
from registry.services import draft, versions
from registry.web.deps import DB, WriteDB, provide_write_db

Slug = Parameter(max_length=64)


def recipient_out(recipient: Recipient) -> DraftRecipientOut:
    from registry.services.snapshot import recipient_record
    from registry.services.translation_status import status_map

    record = recipient_record(recipient)
    return DraftRecipientOut(
        **record,
        status=recipient.status,
        version_id=recipient.version_id,
        translation_status=status_map(record, recipient.translation_sources, "recipient"),
    )


def actor(request: Request[User, Any, Any]) -> str:
    return request.user.email


class DraftController(Controller):
    path = f"{API_PREFIX}/draft/recipients"
    tags = ["draft"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.VIEWER)]
    dependencies = {"write_db": Provide(provide_write_db)}
    security = [{"BearerToken": []}]

    @get("/", sync_to_thread=True)
    def list_draft(
        self, db: DB, status: str = Parameter(default="active", pattern="^(active|retired|all)$")
    ) -> list[DraftRecipientOut]:
        """The draft's recipients (active by default; `status=retired|all`)."""
        wanted = None if status == "all" else RecipientStatus(status)
        return [recipient_out(r) for r in draft.list_recipients(db, status=wanted)]

    @post("/", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def create(
        self, request: Request[User, Any, Any], write_db: WriteDB, data: JSONBody[RecipientIn]
    ) -> DraftRecipientOut:
        """Add a recipient to the draft (201)."""
        return recipient_out(draft.create_recipient(write_db, data, actor=actor(request)))

    @get("/{slug:str}", sync_to_thread=True)
    def read(self, db: DB, slug: str = Slug) -> DraftRecipientOut:
        """One recipient of the draft, retired or not."""
        return recipient_out(draft.get_recipient(db, slug))

    @put("/{slug:str}", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def replace(
        self,
        request: Request[User, Any, Any],
        write_db: WriteDB,
        data: JSONBody[RecipientIn],
        slug: str = Slug,
    ) -> DraftRecipientOut:
        """Replace a recipient whole; a stale `version_id` is answered 409."""
        return recipient_out(draft.replace_recipient(write_db, slug, data, actor=actor(request)))

    @patch("/{slug:str}", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def change(
        self,
        request: Request[User, Any, Any],
        write_db: WriteDB,
        data: JSONBody[dict[str, Any]],
        slug: str = Slug,
    ) -> DraftRecipientOut:
        """Change the fields given; a stale `version_id` is answered 409."""
        return recipient_out(draft.patch_recipient(write_db, slug, data, actor=actor(request)))

    @delete("/{slug:str}", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def retire(
        self,
        request: Request[User, Any, Any],
        write_db: WriteDB,
        slug: str = Slug,
        version_id: int | None = Parameter(default=None, ge=1),
    ) -> None:
        """Retire a recipient: it leaves the next published version (204)."""
        draft.retire_recipient(write_db, slug, actor=actor(request), version_id=version_id)


class PublicationController(Controller):
    path = f"{API_PREFIX}/publications"
    tags = ["draft"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.EDITOR)]
    dependencies = {"write_db": Provide(provide_write_db)}
    security = [{"BearerToken": []}]

    @post("/", sync_to_thread=True)
    def publish(
        self,
        request: Request[User, Any, Any],
        state: State,
        write_db: WriteDB,
        data: JSONBody[PublicationIn],
    ) -> VersionOut:
        """Publish the draft as a new version (201); effective_at: today + notice days."""
        version = versions.publish(
            write_db,
            summary=data.summary,
            effective_at=data.effective_at,
            notice_days=state.settings.notice_days,
            actor=actor(request),
            short_notice_reason=data.short_notice_reason,
            enforce_checklist=True,
            translations=data.written_translations(),
            require_reason=True,
        )
        return version_out(version, versions.timeline(write_db))


__all__ = ["DraftController", "InvalidInput", "PublicationController"]
