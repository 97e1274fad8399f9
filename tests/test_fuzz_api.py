"""Fuzzing: schemathesis over /schema/openapi.json, against the real app and database.

For every operation, a bounded number of generated requests (valid and
invalid): never a 5xx, and never a response that breaks its own schema.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from registry.app import create_app

MAX_EXAMPLES = 12
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_no_operation_fails_or_breaks_its_schema(settings: Any, editor_headers: Any) -> None:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", create_app(settings))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    calls = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def call(case: Any) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(headers=editor_headers, checks=CHECKS)

        call()
    assert calls >= 3 * len(operations)
