"""The evidence PDF: readable times, every Message-ID with its SHA-256 inside its
column and its page, its own SHA-256, and the evidence JSON attached."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from registry.notices.worker import Worker
from registry.settings import Settings
from tests.support.notices import SmtpSink, add_confirmed, publish_change

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


@pytest.fixture
def sink() -> Iterator[SmtpSink]:
    server = SmtpSink().start()
    yield server
    server.stop()


WORD = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'


def _words(pdf: Path) -> list[tuple[int, float, float, float, float, float, str]]:
    """Every word's box from poppler: (page, page width, xMin, yMin, xMax, yMax, word)."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = []
    for number, page in enumerate(re.findall(r"<page (.*?)</page>", html, re.S)):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        for box in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            page,
        ):
            x0, y0, x1, y1 = (float(box.group(i)) for i in range(1, 5))
            words.append((number, width, x0, y0, x1, y1, box.group(5)))
    return words


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_evidence_pdf_has_readable_times_hashes_in_their_cells_and_its_json(
    client: Any,
    engine: Any,
    settings: Settings,
    viewer_headers: Any,
    sink: SmtpSink,
    tmp_path: Path,
    lang: str,
) -> None:
    add_confirmed(engine, 3, prefix="a-rather-long-customer-address-for-wrapping")
    number = publish_change(engine)
    worker = Worker(engine, settings.model_copy(update={"smtp_url": sink.url}))
    while worker.run_once():
        pass
    worker.close()
    answer = client.get(
        f"/api/v1/versions/{number}/evidence.pdf?lang={lang}", headers=viewer_headers
    )
    assert answer.status_code == 200
    pdf = tmp_path / "evidence.pdf"
    pdf.write_bytes(answer.content)
    if os.environ.get("KEEP_EVIDENCE_PDF"):
        Path(os.environ["KEEP_EVIDENCE_PDF"]).write_bytes(answer.content)
    reader = PdfReader(io.BytesIO(answer.content))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{3,6}", text)  # no microsecond timestamps
    readable = r"\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2} UTC" if lang == "en" else r"\d+월 \d+일"
    assert re.search(readable, text)
    attached = reader.attachments[f"evidence-v{number}.json"][0]
    data = json.loads(attached)
    import rfc8785

    body = {k: v for k, v in data.items() if k != "evidence_sha256"}
    assert hashlib.sha256(rfc8785.dumps(body)).hexdigest() == data["evidence_sha256"]
    flat = re.sub(r"\s+", "", text)
    assert data["evidence_sha256"] in flat
    for message in data["messages"]:
        assert message["sha256"] in flat
    words = _words(pdf)
    assert all(x0 >= 0 and x1 <= width for _n, width, x0, _y0, x1, _y1, _w in words)
    overlaps = [
        (a[6], b[6])
        for i, a in enumerate(words)
        for b in words[i + 1 : i + 40]
        if a[0] == b[0]
        and min(a[4], b[4]) - max(a[2], b[2]) > 1
        and min(a[5], b[5]) - max(a[3], b[3]) > 1
    ]
    assert overlaps == []
