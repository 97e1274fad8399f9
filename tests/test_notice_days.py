"""REGISTRY_NOTICE_DAYS is the default notice period, wherever a date is proposed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings


@pytest.fixture
def twelve_days(settings: Settings) -> Iterator[TestClient[Any]]:
    changed = settings.model_copy(update={"notice_days": 12})
    with TestClient(app=create_app(changed), base_url="http://testserver.local") as client:
        yield client


def test_a_publication_without_a_date_takes_effect_after_the_configured_days(
    twelve_days: Any, editor_headers: Any
) -> None:
    retired = twelve_days.delete("/api/v1/draft/recipients/ipinfo", headers=editor_headers)
    assert retired.status_code == 204
    published = twelve_days.post(
        "/api/v1/publications", json={"summary": "IPinfo leaves"}, headers=editor_headers
    )
    assert published.status_code == 201, published.text
    expected = datetime.now(UTC).date() + timedelta(days=12)
    assert published.json()["effective_at"] == expected.isoformat()
