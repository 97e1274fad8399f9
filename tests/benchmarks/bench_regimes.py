"""Regimes: every regime's PDF for the seeded version and for 200 recipients, each page's cost
against the one-page WeasyPrint document, and the cost of every regime's `missing` report.

Ratios, all measured in this one run and this one process. Goals: rendering stays linear
(the cost a page at 200 recipients within 2x the cost a page at 7); the reports of all
regimes for 200 recipients cost less than one page.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from weasyprint import HTML

from registry import regimes
from registry.regimes.render import render_regime_pdf
from tests.benchmarks.bench_documents import (
    ONE_PAGE,
    _grown,
    _median_seconds,
    _seeded,
    _version_one,
)
from tests.regimes.conftest import complete

SIZE = 200


def _timed(work: object) -> tuple[float, bytes]:
    start = time.perf_counter()
    body = work()  # type: ignore[operator]
    return time.perf_counter() - start, body


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-regimes-") as name:
        snapshot, meta = _version_one(_seeded(Path(name)))
    snapshot = complete(snapshot)
    grown = complete(_grown(snapshot, SIZE))
    baseline = _median_seconds(lambda: HTML(string=ONE_PAGE).write_pdf())
    print(f"one-page WeasyPrint document: {baseline * 1000:.0f} ms")
    for regime in regimes.all_regimes():
        render_regime_pdf(regime, snapshot, meta, "en")  # warm: templates, fonts
        rows = []
        for data in (snapshot, grown):
            seconds, body = _timed(lambda d=data, r=regime: render_regime_pdf(r, d, meta, "en"))
            pages = len(PdfReader(io.BytesIO(body)).pages)
            rows.append((len(data["recipients"]), seconds, pages))
        (small, s_seconds, s_pages), (big, b_seconds, b_pages) = rows
        per_small = s_seconds / s_pages / baseline
        per_big = b_seconds / b_pages / baseline
        print(
            f"{regime.slug:12} {small:3} recipients: {s_pages:3} pages, {s_seconds:6.2f} s, "
            f"{per_small:4.1f}x the one-page document a page | {big} recipients: {b_pages:3} "
            f"pages, {b_seconds:6.2f} s, {per_big:4.1f}x a page "
            f"({per_big / per_small:4.2f}x the small one's page cost, goal <= 2)"
        )
    seconds = _median_seconds(lambda: regimes.reports(grown))
    print(
        f"every regime's missing report, {SIZE} recipients: {seconds * 1000:.1f} ms = "
        f"{seconds / baseline:.2f}x the one-page document (goal < 1)"
    )


if __name__ == "__main__":
    main()
