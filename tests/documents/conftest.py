"""Document tests fail on any WeasyPrint warning, and share helpers to read PDFs back."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from pypdf import PdfReader

from tests.support.legal import COMPLETE_RECIPIENT


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings() -> Iterator[None]:
    """Every test here fails if WeasyPrint warned (unknown CSS, a refused fetch, a missing font)."""
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    messages = [record.getMessage() for record in handler.records]
    assert not messages, f"WeasyPrint warned: {messages}"


def pdf_text(body: bytes) -> str:
    """The text of every page, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def holds(text: str, value: str) -> bool:
    """`value` is in `text`, ignoring whitespace (a long URL or address wraps inside a cell)."""
    return re.sub(r"\s+", "", value) in re.sub(r"\s+", "", text)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def publish(client: Any, headers: dict[str, str], summary: str = "A change") -> int:
    response = client.post(
        "/api/v1/publications",
        json={"summary": summary, "effective_at": today(), "short_notice_reason": "Test"},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["version"])


def add_recipient(client: Any, headers: dict[str, str], **fields: Any) -> None:
    """A recipient complete enough to publish; `translations` are merged into the defaults'."""
    korean = fields.pop("translations", {}).get("ko", {})
    body = (
        COMPLETE_RECIPIENT
        | {
            "slug": "acme",
            "name": "Acme Analytics Ltd.",
            "display_name": "",
            "services": [],
            "destinations": ["JP"],
            "mechanisms": {},
            "purposes": ["Analytics"],
            "data_categories": ["Usage data"],
            "retention": "One year",
            "translations": {
                "ko": COMPLETE_RECIPIENT["translations"]["ko"]
                | {"purposes": ["분석"], "data_categories": ["이용 정보"], "retention": "1년"}
                | korean
            },
        }
        | fields
    )
    response = client.post("/api/v1/draft/recipients", json=body, headers=headers)
    assert response.status_code == 201, response.text
