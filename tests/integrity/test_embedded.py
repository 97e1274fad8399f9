"""Every PDF of a version carries its snapshot (PDF/A-3b), and `registry verify`
checks files against the chain: a PDF of one version presented as another is refused."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter
from sqlalchemy import Engine

from tests.documents.conftest import no_weasyprint_warnings  # noqa: F401 (autouse fixture)
from tests.integrity.conftest import publish_retention, verify

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


def _attachments(body: bytes) -> dict[str, bytes]:
    return {name: data[0] for name, data in PdfReader(io.BytesIO(body)).attachments.items()}


@pytest.mark.parametrize("path", ["/transfers.pdf", "/annexes.pdf?lang=ko"])
def test_a_version_pdf_embeds_its_snapshot_with_its_hash(client: Any, path: str) -> None:
    body = client.get(path).content
    version = client.get("/api/v1/versions/1").json()
    attached = _attachments(body)
    assert list(attached) == ["registry-v1.json"]
    assert hashlib.sha256(attached["registry-v1.json"]).hexdigest() == version["content_hash"]
    assert attached["registry-v1.json"] == client.get(version["snapshot_url"]).content


def test_the_pdf_is_pdf_a_3b_as_far_as_can_be_checked_here(client: Any) -> None:
    reader = PdfReader(io.BytesIO(client.get("/transfers.pdf").content))
    root = reader.trailer["/Root"]
    intent = root["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    xmp = reader.xmp_metadata
    assert xmp is not None
    metadata = xmp.stream.get_data()
    assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
    files = [spec.get_object() for spec in root["/AF"]]
    assert {(f["/UF"], f["/AFRelationship"]) for f in files} == {("registry-v1.json", "/Data")}
    embedded = files[0]["/EF"]["/F"].get_object()
    assert embedded["/Subtype"] == "/application/json"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            described = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = described["/FontDescriptor"].get_object()
            assert any(key.startswith("/FontFile") for key in descriptor), font["/BaseFont"]


def test_the_same_version_gives_the_same_pdf_bytes(client: Any) -> None:
    from registry.documents import DocumentMeta, render_pdf

    snapshot = client.get("/api/v1/versions/1/snapshot").json()
    version = client.get("/api/v1/versions/1").json()
    meta = DocumentMeta(1, version["effective_at"], version["content_hash"])
    assert render_pdf("transfers", snapshot, meta, "en") == render_pdf(
        "transfers", snapshot, meta, "en"
    )


def test_verify_accepts_the_pdf_and_refuses_it_presented_as_another_version(
    client: Any, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    publish_retention(engine, "for 15 months")
    publish_retention(engine, "for 14 months")
    body = client.get("/transfers.pdf?version=2").content
    genuine = tmp_path / "contract-annex.pdf"
    genuine.write_bytes(body)
    assert verify(database_url, str(genuine)).exit_code == 0

    reader = PdfReader(io.BytesIO(body))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.add_attachment("registry-v3.json", _attachments(body)["registry-v2.json"])
    relabelled = tmp_path / "relabelled.pdf"
    with relabelled.open("wb") as out:
        writer.write(out)
    result = verify(database_url, str(genuine), str(relabelled))
    assert result.exit_code == 1
    assert result.output.startswith(f"verify: {relabelled}: claims version 3")


def test_verify_checks_snapshot_and_api_json_files(
    client: Any, database_url: str, engine: Engine, tmp_path: Path
) -> None:
    publish_retention(engine, "for 15 months")
    snapshot = client.get("/api/v1/versions/2/snapshot").content
    (tmp_path / "registry-v2.json").write_bytes(snapshot)
    (tmp_path / "anything.json").write_bytes(snapshot)
    (tmp_path / "v2.json").write_bytes(client.get("/api/v1/versions/2").content)
    files = [str(tmp_path / name) for name in ("registry-v2.json", "anything.json", "v2.json")]
    assert verify(database_url, *files).exit_code == 0

    (tmp_path / "registry-v1.json").write_bytes(snapshot)
    edited = json.loads(snapshot)
    edited["recipients"][0]["retention"] = "forever"
    (tmp_path / "edited.json").write_bytes(json.dumps(edited).encode())
    result = verify(database_url, str(tmp_path / "registry-v1.json"), str(tmp_path / "edited.json"))
    assert result.exit_code == 1
    assert "claims version 1" in result.output.splitlines()[0]
    assert "which is no version of the chain" in result.output


def test_a_file_that_is_neither_pdf_nor_json_is_named(database_url: str, tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    result = verify(database_url, str(junk))
    assert result.exit_code == 1 and "neither a PDF nor JSON" in result.output
