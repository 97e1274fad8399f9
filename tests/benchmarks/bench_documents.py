"""Documents: cold renders against a one-page WeasyPrint document, cached PDF throughput
against /health on a real `registry serve` (wrk), and render time at 50, 200, 500 recipients.

Ratios, all measured in this one run and this one process (the server excepted).
Goals: each cold render <= 3x the one-page document; cached /transfers.pdf >= 0.5x
/health's requests per second; time linear in the number of recipients.
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from weasyprint import HTML

from registry.db import make_engine, read_session, transaction
from registry.documents import DocumentMeta, render_pdf
from registry.migrate import upgrade
from registry.services import versions
from registry.services.seed import load_seed

ONE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; @bottom-right { content: "Page " counter(page) " of "
counter(pages); font-family: NanumGothic; font-size: 8pt } }
body { font-family: NanumGothic; font-size: 10pt }</style></head><body>
<h1>One page</h1><p>A short paragraph of text on one A4 page.</p></body></html>"""


def _median_seconds(work: Callable[[], object], runs: int = 5) -> float:
    work()  # warm: imports, fonts, templates
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def _seeded(directory: Path) -> str:
    url = f"sqlite:///{directory / 'bench.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as session:
        load_seed(session)
    engine.dispose()
    return url


def _version_one(url: str) -> tuple[dict[str, Any], DocumentMeta]:
    engine = make_engine(url)
    with read_session(engine) as session:
        version = versions.get_version(session, 1)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        snapshot = versions.snapshot_of(version)
    engine.dispose()
    return snapshot, meta


def _grown(snapshot: dict[str, Any], size: int) -> dict[str, Any]:
    grown = copy.deepcopy(snapshot)
    seed = snapshot["recipients"]
    grown["recipients"] = []
    for index in range(size):
        record = copy.deepcopy(seed[index % len(seed)])
        record["slug"] = f"{record['slug']}-{index}"
        record["name"] = f"{record['name']} #{index}"
        grown["recipients"].append(record)
    return grown


def cold_renders(snapshot: dict[str, Any], meta: DocumentMeta) -> None:
    baseline = _median_seconds(lambda: HTML(string=ONE_PAGE).write_pdf())
    print(f"one-page WeasyPrint document: {baseline * 1000:.0f} ms")
    for kind in ("transfers", "annexes"):
        for lang in ("en", "ko"):
            seconds = _median_seconds(lambda k=kind, la=lang: render_pdf(k, snapshot, meta, la))
            pages = len(PdfReader(io.BytesIO(render_pdf(kind, snapshot, meta, lang))).pages)
            print(
                f"cold render {kind:9} {lang}: {seconds * 1000:5.0f} ms = "
                f"{seconds / baseline:4.1f}x the one-page document (goal <= 3x); "
                f"{pages} pages, {seconds / pages / baseline:3.1f}x a page"
            )


def scaling(snapshot: dict[str, Any], meta: DocumentMeta) -> None:
    for kind in ("transfers", "annexes"):
        rows = []
        for size in (50, 200, 500):
            grown = _grown(snapshot, size)
            start = time.perf_counter()
            render_pdf(kind, grown, meta, "en")
            rows.append((size, time.perf_counter() - start))
        base_size, base_seconds = rows[0]
        for size, seconds in rows:
            print(
                f"{kind:9} {size:3} recipients: {seconds:6.2f} s, "
                f"{seconds / size * 1000:5.1f} ms a recipient, "
                f"{(seconds / base_seconds) / (size / base_size):4.2f}x linear from {base_size}"
            )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wrk(url: str) -> float:
    out = subprocess.run(
        ["wrk", "-t1", "-c16", "-d5s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s*([\d.]+)", out)
    return float(match.group(1)) if match else 0.0


def throughput(url: str, directory: Path) -> None:
    if not shutil.which("wrk"):
        print("wrk is not installed: throughput skipped")
        return
    port = _free_port()
    env = os.environ | {
        "REGISTRY_DATABASE_URL": url,
        "REGISTRY_VAR_DIR": str(directory / "var"),
        "REGISTRY_SECRET_KEY": "bench-" + "x" * 40,
    }
    registry = Path(sys.executable).with_name("registry")
    server = subprocess.Popen(
        [str(registry), "serve", "--port", str(port), "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        urllib.request.urlopen(base + "/transfers.pdf?lang=en", timeout=60).read()  # noqa: S310
        health = _wrk(base + "/health")
        pdf = _wrk(base + "/transfers.pdf?lang=en")
        print(f"/health: {health:8.0f} req/s (registry serve, 1 worker, wrk -t1 -c16 -d5s)")
        print(
            f"/transfers.pdf cached: {pdf:8.0f} req/s = {pdf / health:.2f}x /health (goal >= 0.5)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as name:
        directory = Path(name)
        url = _seeded(directory)
        snapshot, meta = _version_one(url)
        cold_renders(snapshot, meta)
        throughput(url, directory)
        scaling(snapshot, meta)


if __name__ == "__main__":
    main()
