"""Routes for machines: the snapshot a hash covers, the JSON Schema, the well-known
URL, the transfer table as CSV and the version in force as JSON-LD (DPV)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter
from litestar.types import ASGIApp

from registry.api.read import API_PREFIX, in_force_answer
from registry.exports.csv_table import transfers_csv
from registry.exports.jsonld import registry_jsonld
from registry.integrity.schema import SCHEMA_ID, registry_schema
from registry.output_schemas import VersionOut
from registry.pages import Rendered
from registry.services import versions
from registry.web.deps import DB, Lang, provide_lang
from registry.web.documents import requested_number
from registry.web.public import cached_response

PATH_WELL_KNOWN = "/.well-known/subprocessors.json"
PATH_TRANSFERS_CSV = "/transfers.csv"
PATH_JSONLD = f"{API_PREFIX}/registry.jsonld"
JSON_SCHEMA_MEDIA = "application/schema+json"


class MachineController(Controller):
    tags = ["machine-readable"]

    # Out of the OpenAPI document: its body is the stored bytes, which OpenAPI would
    # describe as a string; /schema/registry.json describes a version's content.
    @get(
        f"{API_PREFIX}/versions/{{number:int}}/snapshot",
        sync_to_thread=True,
        include_in_schema=False,
    )
    def snapshot(
        self, request: Request[Any, Any, Any], db: DB, number: int = Parameter(ge=1, le=2**31 - 1)
    ) -> Response[bytes]:
        """The frozen content of version n: exactly the bytes its `content_hash` covers."""
        version = versions.get_version(db, number)
        etag = f'"{version.content_hash}"'
        rendered = Rendered(version.snapshot.encode("utf-8"), etag, "application/json")
        return cached_response(
            request,
            rendered,
            **{"X-Content-Hash": version.content_hash, "X-Hash-Scheme": version.hash_scheme},
        )

    @get(SCHEMA_ID, sync_to_thread=False, media_type=JSON_SCHEMA_MEDIA)
    def schema(self, state: State) -> dict[str, Any]:
        """The JSON Schema (2020-12) of a version as the API returns it."""
        return registry_schema(state.settings.base_url)

    @get(
        PATH_WELL_KNOWN,
        responses={
            200: ResponseSpec(data_container=VersionOut, description="The version in force")
        },
    )
    async def well_known(self, request: Request[Any, Any, Any]) -> ASGIApp:
        """The version in force, as `/api/v1/registry` returns it (the same bytes, ETag and
        caching: answered from memory)."""
        return await in_force_answer(request)

    @get(PATH_JSONLD, sync_to_thread=True, media_type="application/ld+json")
    def jsonld(self, state: State, db: DB) -> dict[str, Any]:
        """The version in force as JSON-LD, its terms mapped to W3C DPV (context inline)."""
        version = versions.version_in_force(db)
        return registry_jsonld(version, versions.snapshot_of(version), state.settings.base_url)

    @get(
        PATH_TRANSFERS_CSV,
        sync_to_thread=True,
        dependencies={"lang": Provide(provide_lang, sync_to_thread=False)},
        include_in_schema=False,
    )
    def transfers_csv(self, request: Request[Any, Any, Any], db: DB, lang: Lang) -> Response[bytes]:
        """The transfer table, one row per recipient and destination (`?version`, `?lang`)."""
        number = requested_number(versions.timeline(db), request.query_params)
        version = versions.get_version(db, number)
        body = transfers_csv(versions.snapshot_of(version), lang)
        filename = f"transfers-v{number}-{lang}.csv"
        return Response(
            body,
            media_type="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Content-Language": lang,
                "Vary": "Accept-Language, Cookie",
            },
        )
