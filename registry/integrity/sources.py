"""Where `registry verify` reads the versions from: the database, or a running
registry's API (so a customer checks the server, not our word for it)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.engine import Connection

from registry.integrity.chain import VersionRecord
from registry.models import RegistryVersion, VersionWithdrawal

HTTP_TIMEOUT = 30


class SourceError(Exception):
    pass


def records_from_database(connection: Connection) -> list[VersionRecord]:
    """Every version as stored, in one query (and one for the withdrawals)."""
    table = RegistryVersion.__table__  # type: ignore[attr-defined]
    withdrawn = {
        row.version_number: row.withdrawn_at
        for row in connection.execute(select(VersionWithdrawal.__table__))  # type: ignore[attr-defined]
    }
    rows = connection.execute(
        select(
            table.c.number,
            table.c.content_hash,
            table.c.hash_scheme,
            table.c.snapshot,
            table.c.published_at,
        ).order_by(table.c.number)
    )
    return [
        VersionRecord(
            number=row.number,
            content_hash=row.content_hash,
            hash_scheme=row.hash_scheme,
            snapshot=row.snapshot.encode("utf-8"),
            withdrawn=row.number in withdrawn,
            published_at=row.published_at,
            withdrawn_at=withdrawn.get(row.number),
        )
        for row in rows
    ]


def _get(url: str) -> bytes:
    if urlsplit(url).scheme not in ("http", "https"):
        raise SourceError(f"{url}: only http and https URLs")
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise SourceError(f"{url}: HTTP {error.code}") from None
    except (OSError, urllib.error.URLError) as error:
        raise SourceError(f"{url}: {error}") from None


def records_from_api(base_url: str) -> list[VersionRecord]:
    """Every version the API lists, with its snapshot exactly as served."""
    base = base_url.rstrip("/")
    try:
        listed: list[dict[str, Any]] = json.loads(_get(f"{base}/api/v1/versions"))
    except json.JSONDecodeError:
        raise SourceError(f"{base}/api/v1/versions: not JSON") from None
    records = []
    for item in listed:
        number = int(item["version"])
        records.append(
            VersionRecord(
                number=number,
                content_hash=str(item["content_hash"]),
                hash_scheme=str(item.get("hash_scheme", "")),
                snapshot=_get(f"{base}/api/v1/versions/{number}/snapshot"),
                withdrawn=bool(item.get("withdrawn", False)),
            )
        )
    return records
