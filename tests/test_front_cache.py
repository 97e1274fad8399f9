"""The front cache: cached public reads answered by the pipeline before routing, the same
answers the handlers give, never past a publication, never a personal document."""

from __future__ import annotations

import time
from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from tests.support.notices import publish_change

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

HOT = [
    "/",
    "/?lang=ko",
    "/api/v1/registry",
    "/.well-known/subprocessors.json",
    "/changes",
    "/changes.atom",
    "/transfers.pdf",
]
VARIANTS = {
    "identity": {"Accept-Encoding": "identity"},
    "gzip": {"Accept-Encoding": "gzip"},
    "korean": {"Accept-Language": "ko"},
}
PER_REQUEST = {"x-request-id", "date"}


def _comparable(response: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = sorted((k, v) for k, v in response.headers.multi_items() if k not in PER_REQUEST)
    return response.status_code, headers, response.content


def _fresh_get(client: Any, path: str, headers: dict[str, str]) -> Any:
    """As a new visitor (no cookie from the last answer): both answers set the same cookie."""
    client.cookies.clear()
    return client.get(path, headers=headers)


@pytest.mark.parametrize("path", HOT)
def test_a_front_answer_is_the_handlers_answer_byte_for_byte(client: Any, path: str) -> None:
    front = client.app.state.front
    for headers in VARIANTS.values():
        client.app.state.timelines.clear()  # forget: the next GET goes through the handler
        routed = _fresh_get(client, path, headers)
        assert routed.status_code == 200 and len(front) >= 1
        answered = _fresh_get(client, path, headers)
        assert _comparable(answered) == _comparable(routed)
        assert answered.headers["x-request-id"] != routed.headers["x-request-id"]
        held = {**headers, "If-None-Match": routed.headers["etag"]}
        client.app.state.timelines.clear()
        routed_304 = _fresh_get(client, path, held)
        assert routed_304.status_code == 304
        assert _comparable(_fresh_get(client, path, held)) == _comparable(routed_304)


def test_cached_public_reads_are_answered_without_the_database(settings: Settings) -> None:
    """Served from memory, shown: with the only database connection taken, a read the
    process has answered this second is answered again; anything else waits for the pool."""
    tight = settings.model_copy(
        update={"db_pool_size": 1, "db_pool_overflow": 0, "db_pool_timeout_seconds": 0.2}
    )
    with TestClient(app=create_app(tight), base_url="http://testserver.local") as client:
        for path in HOT:
            client.get(path)  # rendered once (the PDF may take a while)
        first = {path: client.get(path) for path in HOT}  # remembered under one timeline
        held = client.app.state.engine.connect()
        try:
            again = {path: client.get(path) for path in HOT}
            not_cached = client.get("/api/v1/versions")
        finally:
            held.close()
    assert not_cached.status_code == 503
    for path in HOT:
        assert again[path].status_code == 200, path
        assert again[path].content == first[path].content, path


def test_a_publication_here_is_seen_by_the_next_read(client: Any, editor_headers: Any) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/").text.count('class="banner"') == 0
    client.patch(
        "/api/v1/draft/recipients/aws",
        json={"retention": "x", "translations": {"ko": {"retention": "x"}}},
        headers=editor_headers,
    )
    published = client.post(
        "/api/v1/publications",
        json={"summary": "AWS retention", "effective_at": "2099-01-31"},
        headers=editor_headers,
    )
    assert published.status_code == 201, published.text
    assert 'class="banner"' in client.get("/").text
    assert 'class="banner"' in client.get("/?lang=ko").text


def test_a_publication_by_another_process_is_seen_within_a_second(client: Any, engine: Any) -> None:
    assert 'class="banner"' not in client.get("/").text
    publish_change(engine)  # not through this app: as another server process would
    started = time.monotonic()
    while 'class="banner"' not in client.get("/").text:
        assert time.monotonic() - started < 5, "the new version was never seen"
        time.sleep(0.05)
    assert time.monotonic() - started < 2.5  # a second's staleness, and the test's own pace


def test_personal_documents_and_other_methods_are_never_kept(client: Any) -> None:
    front = client.app.state.front
    for _ in range(2):
        personal = client.get("/annexes", params={"exporter_name": "Jane Customer Ltd"})
        assert personal.headers["cache-control"] == "private, no-store"
    assert len(front) == 0
    assert client.post("/", data={"x": "1"}).status_code in (403, 405)
    assert len(front) == 0


def test_a_front_answer_keeps_the_pipelines_headers(client: Any) -> None:
    client.get("/?lang=ko")
    client.cookies.clear()  # a new visitor: the cookie is set again
    answered = client.get("/?lang=ko")
    assert len(client.app.state.front) == 1
    assert "lang=ko" in answered.headers["set-cookie"]
    assert answered.headers["x-frame-options"] == "DENY"
    assert answered.headers["content-language"] == "ko"
    refused = client.get("/?lang=ko", headers={"Host": "evil.example"})
    assert refused.status_code == 400
