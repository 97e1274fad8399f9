"""Faults of the machine, answered for what they are rather than as "busy" or a 500."""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from sqlalchemy.exc import OperationalError

log = logging.getLogger("registry")

# What SQLite and PostgreSQL say when the disk, not the database, is the problem.
_FULL = ("database or disk is full", "no space left on device", "could not extend file")
_READ_ONLY = ("attempt to write a readonly database", "read-only file system")


def storage_fault(error: OperationalError) -> str | None:
    """A sentence for the operator when the error is a full or read-only disk."""
    text = str(error.orig or error).lower()
    if any(phrase in text for phrase in _FULL):
        return "The server's disk is full: nothing was saved. Free some space and try again"
    if any(phrase in text for phrase in _READ_ONLY):
        return "The server's storage is read-only: nothing was saved"
    return None


def storage_response(request: Request[Any, Any, Any], reason: str) -> Response[Any]:
    log.error("storage fault on %s %s: %s", request.method, request.url.path, reason)
    return Response(
        {"status_code": 507, "detail": reason, "extra": []},
        status_code=507,
        media_type=MediaType.JSON,
    )


def too_deep(request: Request[Any, Any, Any], error: RecursionError) -> Response[Any]:
    """A request body nested too deeply to decode is bad input, not a server error."""
    return Response(
        {
            "status_code": 400,
            "detail": "Validation failed: body: nested too deeply",
            "extra": [{"key": "body", "message": "nested too deeply", "source": "body"}],
        },
        status_code=400,
        media_type=MediaType.JSON,
    )
