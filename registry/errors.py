"""Errors the services raise; the app turns each into a 4xx in Litestar's JSON shape."""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    status_code = 400

    def __init__(self, detail: str, *, extra: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra or []


class InvalidInput(RegistryError):
    """Bad input, naming the field."""

    status_code = 400

    def __init__(self, field: str, message: str) -> None:
        super().__init__(
            f"Validation failed: {field}: {message}",
            extra=[{"key": field, "message": message, "source": "body"}],
        )
        self.field = field
        self.message = message


class NotFound(RegistryError):
    status_code = 404


class Conflict(RegistryError):
    """A stale write, a duplicate, or a state that forbids the change."""

    status_code = 409


class Forbidden(RegistryError):
    status_code = 403


class Incomplete(RegistryError):
    """The draft lacks what a document needs: `extra` is the checklist."""

    status_code = 422
