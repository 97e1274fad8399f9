"""HTTP caching of public reads: ETag with the language, 304, Last-Modified, Cache-Control
ending at the next effective date, Vary, gzip; the page's bytes unchanged; 503 when dry."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from litestar.exceptions import HTTPException
from litestar.testing import TestClient
from sqlmodel import Session

from registry.app import create_app
from registry.i18n import language
from registry.notices import scopes
from registry.services import recipient_history, versions
from registry.settings import Settings
from registry.web.documents import RenderGate
from registry.web.httpcache import max_age

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

IDENTITY = {"Accept-Encoding": "identity"}


def _max_age(response: Any) -> int:
    directives = dict(
        part.strip().partition("=")[::2] for part in response.headers["cache-control"].split(",")
    )
    return int(directives["max-age"])


def test_the_home_page_bytes_are_those_of_the_template(client: Any, engine: Any) -> None:
    """What the handler did before caching and compression: the same bytes, both encodings."""
    with Session(engine) as session:
        timeline = versions.timeline(session)
        number = timeline.in_force or 0
        version = versions.get_version(session, number)
        with language("en"):
            expected = (
                client.app.state.templates.get_template("public/index.html")
                .render(
                    scope_choices=scopes.choices(versions.snapshot_of(version), "en"),
                    version=version,
                    snapshot=versions.snapshot_of(version),
                    last_changed=recipient_history.last_changed(session, timeline, number),
                    upcoming_by_slug=recipient_history.upcoming_changes(session, timeline),
                    upcoming=timeline.upcoming,
                    lang="en",
                    base_url="http://testserver.local",
                )
                .encode("utf-8")
            )
    plain = client.get("/", headers=IDENTITY)
    assert "content-encoding" not in plain.headers and plain.content == expected
    with client.stream("GET", "/", headers={"Accept-Encoding": "gzip"}) as compressed:
        assert compressed.headers["content-encoding"] == "gzip"
        raw = b"".join(compressed.iter_raw())
    assert gzip.decompress(raw) == expected


def test_etag_names_body_and_language_and_304_answers_any_form_of_it(client: Any) -> None:
    english = client.get("/?lang=en", headers=IDENTITY)
    korean = client.get("/?lang=ko", headers=IDENTITY)
    etag = english.headers["etag"]
    assert etag.endswith('-en"') and korean.headers["etag"].endswith('-ko"')
    for held in (etag, "W/" + etag, f'"other", {etag}', etag[:-1] + '-gzip"', "*"):
        again = client.get("/?lang=en", headers={"If-None-Match": held} | IDENTITY)
        assert again.status_code == 304 and again.content == b"", held
        assert again.headers["etag"] == etag
    assert (
        client.get("/?lang=en", headers={"If-None-Match": korean.headers["etag"]}).status_code
        == 200
    )


def test_the_gzip_representation_has_its_own_etag(client: Any) -> None:
    plain = client.get("/", headers=IDENTITY).headers["etag"]
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"}).headers["etag"]
    assert zipped == plain[:-1] + '-gzip"'
    assert client.get("/", headers={"If-None-Match": plain}).status_code == 304


def test_public_reads_say_what_they_vary_on_and_when_they_were_published(
    client: Any, engine: Any
) -> None:
    home = client.get("/")
    assert home.headers["vary"] == "Accept-Language, Cookie, Accept-Encoding"
    assert home.headers["content-language"] == "en"
    with Session(engine) as session:
        published = versions.version_in_force(session).published_at
    modified = parsedate_to_datetime(home.headers["last-modified"])
    assert modified == published.replace(microsecond=0, tzinfo=published.tzinfo or UTC)
    api = client.get("/api/v1/registry")
    assert api.headers["vary"] == "Accept-Encoding"  # no language in the JSON
    assert api.headers["last-modified"] == home.headers["last-modified"]
    feed = client.get("/changes.atom")
    assert "Accept-Language" not in feed.headers.get("vary", "")
    assert feed.headers["cache-control"].startswith("public, max-age=")


def test_the_api_answers_304_and_the_same_json(client: Any) -> None:
    first = client.get("/api/v1/registry")
    assert first.json()["version"] == 1 and first.json()["in_force"] is True
    again = client.get("/api/v1/registry", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_cache_lifetime_ends_when_the_next_version_takes_effect(
    client: Any, editor_headers: Any
) -> None:
    cap = client.app.state.settings.public_max_age_seconds
    assert _max_age(client.get("/")) == cap  # nothing upcoming: the cap
    effective = (datetime.now(UTC) + timedelta(days=1)).date()
    client.patch(
        "/api/v1/draft/recipients/aws",
        json={
            "retention": "changed for the cache test",
            "translations": {"ko": {"retention": "캐시 시험을 위해 변경"}},
        },
        headers=editor_headers,
    )
    published = client.post(
        "/api/v1/publications",
        json={
            "summary": "tomorrow",
            "effective_at": effective.isoformat(),
            "short_notice_reason": "The cache test needs a version taking effect tomorrow",
        },
        headers=editor_headers,
    )
    assert published.status_code == 201, published.text
    until_midnight = datetime.combine(effective, datetime.min.time(), tzinfo=UTC) - datetime.now(
        UTC
    )
    assert _max_age(client.get("/")) <= min(cap, until_midnight.total_seconds())


def test_max_age_is_capped_and_never_negative() -> None:
    now = datetime(2026, 5, 1, 23, 59, 0, tzinfo=UTC)
    assert max_age((), 300, now) == 300
    assert max_age(((2, date(2026, 5, 2)),), 300, now) == 60
    assert max_age(((2, date(2026, 5, 2)),), 30, now) == 30
    assert max_age(((2, date(2026, 5, 1)),), 300, now) == 0


def test_a_personalised_document_is_never_stored_by_shared_caches(client: Any) -> None:
    personal = client.get("/annexes", params={"exporter_name": "Jane Customer Ltd"})
    assert personal.status_code == 200
    assert personal.headers["cache-control"] == "private, no-store"
    pinned = client.get("/annexes", params={"version": "1"})
    assert pinned.headers["cache-control"] == "public, max-age=86400"


def test_the_render_queue_refuses_beyond_its_size_with_retry_after() -> None:
    gate = RenderGate(1)
    with gate.enter(), pytest.raises(HTTPException) as refused, gate.enter():
        pass
    assert refused.value.status_code == 503 and refused.value.headers == {"Retry-After": "5"}
    with gate.enter():  # free again once the first left
        assert gate.waiting == 1


def test_a_dry_pool_is_answered_503_with_retry_after(settings: Settings) -> None:
    tight = settings.model_copy(
        update={"db_pool_size": 1, "db_pool_overflow": 0, "db_pool_timeout_seconds": 0.2}
    )
    with TestClient(app=create_app(tight), base_url="http://testserver.local") as client:
        held = client.app.state.engine.connect()  # the only connection, taken
        try:
            response = client.get("/api/v1/versions")
        finally:
            held.close()
        assert response.status_code == 503 and response.headers["retry-after"] == "2"
        assert client.get("/api/v1/versions").status_code == 200  # and back once it is free
