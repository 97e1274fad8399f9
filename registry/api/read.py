"""The read API: the version in force, every version, one version, its diff."""

from __future__ import annotations

from datetime import date
from typing import Any

from litestar import Controller, MediaType, Request, get
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.serialization import encode_json, get_serializer
from litestar.types import ASGIApp
from sqlmodel import Session

from registry.errors import NotFound
from registry.models import RegistryVersion
from registry.output_schemas import DiffOut, RecipientOut, VersionOut, VersionSummary
from registry.services import versions
from registry.web import httpcache
from registry.web.deps import DB, run_db

API_PREFIX = "/api/v1"


def version_summary(version: RegistryVersion, timeline: versions.Timeline) -> VersionSummary:
    return VersionSummary(
        version=version.number,
        published_at=version.published_at,
        effective_at=version.effective_at,
        summary=version.summary,
        content_hash=version.content_hash,
        in_force=timeline.in_force == version.number,
        upcoming=any(number == version.number for number, _ in timeline.upcoming),
        withdrawn=all(number != version.number for number, _ in timeline.numbers),
        translations=version.translations or {},
        hash_scheme=version.hash_scheme,
        snapshot_url=f"{API_PREFIX}/versions/{version.number}/snapshot",
    )


def version_out(version: RegistryVersion, timeline: versions.Timeline) -> VersionOut:
    snapshot = versions.snapshot_of(version)
    return VersionOut(
        **version_summary(version, timeline).model_dump(),
        previous=snapshot.get("previous"),
        company=snapshot["company"],
        recipients=[RecipientOut(**record) for record in snapshot["recipients"]],
    )


async def in_force_answer(request: Request[Any, Any, Any], as_of: date | None = None) -> ASGIApp:
    """The version in force (on `as_of`) as the API's JSON, encoded once per timeline and
    answered from memory (also the body of /.well-known/subprocessors.json)."""
    state = request.app.state
    timeline = await state.timelines.current(state.engine)
    number = timeline.in_force if as_of is None else timeline.in_force_on(as_of)
    if number is None:
        if as_of is None:
            raise NotFound("No version is in force yet")
        raise NotFound(f"No version was in force on {as_of.isoformat()}")
    key = ("api/registry", number, timeline.numbers, timeline.in_force)
    rendered = state.cache.cached(key)
    if rendered is None:
        # Litestar's own encoders for this route: the bytes it would have produced.
        serializer = get_serializer(request.route_handler.resolve_type_encoders())

        def encode(db: Session) -> bytes:
            version = versions.get_version(db, number)
            state.published_at[number] = version.published_at
            return encode_json(version_out(version, timeline), serializer=serializer)

        rendered = await run_db(
            state.engine,
            lambda db: state.cache.get_or_render(key, lambda: encode(db), MediaType.JSON),
        )
    cap = state.settings.public_max_age_seconds
    cache_control = (
        f"public, max-age={httpcache.max_age(timeline.upcoming, cap)}"
        if as_of is None
        else f"public, max-age={cap}"
    )
    return httpcache.respond(
        request,
        rendered,
        negotiated=False,
        cache_control=cache_control,
        last_modified=state.published_at.get(number),
        front=timeline,
    )


class ReadController(Controller):
    path = API_PREFIX
    tags = ["registry"]

    @get(
        "/registry",
        responses={
            200: ResponseSpec(data_container=VersionOut, description="The version in force")
        },
    )
    async def in_force(
        self, request: Request[Any, Any, Any], as_of: date | None = Parameter(default=None)
    ) -> ASGIApp:
        """The version in force today (or on `as_of`, YYYY-MM-DD), with its recipients.

        Served as JSON bytes encoded once per timeline, from memory: no thread
        and no database connection while the version in force is known.
        """
        return await in_force_answer(request, as_of)

    @get("/versions", sync_to_thread=True)
    def list_versions(self, db: DB) -> list[VersionSummary]:
        """Every published version, newest first, without recipients."""
        timeline = versions.timeline(db)
        return [version_summary(version, timeline) for version in versions.all_versions(db)]

    @get("/versions/{number:int}", sync_to_thread=True)
    def one_version(self, db: DB, number: int = Parameter(ge=1, le=2_147_483_647)) -> VersionOut:
        """One published version, with its recipients."""
        return version_out(versions.get_version(db, number), versions.timeline(db))

    @get("/versions/{number:int}/diff", sync_to_thread=True)
    def version_diff(self, db: DB, number: int = Parameter(ge=1, le=2_147_483_647)) -> DiffOut:
        """What changed from version n-1 to version n."""
        version = versions.get_version(db, number)
        diff: dict[str, Any] = versions.diff_of(db, version)
        previous = versions.previous_of(db, version)
        return DiffOut(
            version=version.number,
            previous_version=previous.number if previous else None,
            effective_at=version.effective_at,
            summary=version.summary,
            **diff,
        )
