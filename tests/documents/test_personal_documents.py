"""Issue 11.3 and 11.11: personalised documents never reach the disk, are limited per
client, the render queue is bounded, and a disk that cannot be written still serves."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from litestar.testing import TestClient

from registry.app import create_app
from registry.settings import Settings
from tests.documents.conftest import _Collect, pdf_text

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

CUSTOMER = {
    "exporter_name": "Acme Söhne GmbH",
    "exporter_address": "Hauptstraße 1, 10115 Berlin",
    "exporter_contact": "Jane Roe, DPO",
}


def cache_files(settings: Settings) -> list[Path]:
    directory = settings.var_dir / "cache" / "documents"
    return sorted(directory.glob("*")) if directory.is_dir() else []


def test_the_documents_form_posts_and_the_pdf_names_the_customer(
    client: Any, settings: Settings
) -> None:
    before = cache_files(settings)
    response = client.post("/documents", data=CUSTOMER | {"format": "pdf", "lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, no-store"
    text = pdf_text(response.content)
    assert CUSTOMER["exporter_name"] in text and CUSTOMER["exporter_address"] in text
    assert cache_files(settings) == before  # nothing personal on disk


def test_the_form_can_open_the_annexes_as_a_web_page_in_korean(client: Any) -> None:
    response = client.post("/documents", data=CUSTOMER | {"format": "html", "lang": "ko"})
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.html is not None and soup.html["lang"] == "ko"
    assert CUSTOMER["exporter_name"] in soup.get_text()


def test_a_bad_format_is_400_naming_it(client: Any) -> None:
    response = client.post("/documents", data=CUSTOMER | {"format": "docx"})
    assert response.status_code == 400
    assert response.json()["extra"][0]["key"] == "format"


def test_links_already_sent_keep_working_and_stay_off_disk(client: Any, settings: Settings) -> None:
    before = cache_files(settings)
    response = client.get("/annexes", params=CUSTOMER)
    assert response.status_code == 200 and CUSTOMER["exporter_name"] in response.text
    assert cache_files(settings) == before
    assert client.get("/annexes").status_code == 200  # the blank document is kept
    assert len(cache_files(settings)) == len(before) + 1


def test_personalised_renders_are_limited_per_client(client: Any) -> None:
    client.app.state.documents.personal_renders.limit = 3
    for i in range(3):
        assert client.get("/annexes", params={"exporter_name": f"Customer {i}"}).status_code == 200
    again = client.get("/annexes", params={"exporter_name": "Customer 0"})
    assert again.status_code == 200  # already rendered: costs nothing, so not counted
    refused = client.get("/annexes", params={"exporter_name": "Customer 99"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    assert client.get("/annexes").status_code == 200  # the public document is not limited


def test_a_full_render_queue_answers_503_with_retry_after(client: Any) -> None:
    client.app.state.documents.max_queue = 0
    response = client.get("/annexes", params={"exporter_name": "Queued Ltd"})
    assert response.status_code == 503
    assert response.headers["retry-after"]


def test_a_disk_that_cannot_be_written_still_serves_documents_and_logs_once(
    settings: Settings,
) -> None:
    cache_dir = settings.var_dir / "cache" / "documents"
    cache_dir.parent.mkdir(parents=True, exist_ok=True)
    cache_dir.write_text("not a directory")  # every write under it fails, even as root
    collected = _Collect()
    logger = logging.getLogger("registry")
    logger.addHandler(collected)
    try:
        with TestClient(app=create_app(settings), base_url="http://testserver.local") as client:
            assert client.get("/annexes?lang=en").status_code == 200
            assert client.get("/annexes?lang=ko").status_code == 200
            assert client.get("/annexes.pdf").status_code == 200
    finally:
        logger.removeHandler(collected)
    warnings = [r for r in collected.records if "document cache" in r.getMessage()]
    assert len(warnings) == 1
