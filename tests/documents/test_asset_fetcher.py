"""The renderer reads only the package's own assets: no network, no files."""

from __future__ import annotations

import pytest

from registry.documents.pdf import ASSET_BASE_URL, AssetFetcher


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/static/documents.css",
        "https://registry.invalid/static/documents.css",
        ASSET_BASE_URL + "static/../../pyproject.toml",
        ASSET_BASE_URL + "static/%2e%2e/settings.py",
        ASSET_BASE_URL + "etc/passwd",
        "data:text/css,body{}",
    ],
)
def test_fetcher_refuses_anything_but_package_assets(url: str) -> None:
    with pytest.raises(ValueError, match=r"Refused|No such asset"):
        AssetFetcher().fetch(url)


def test_fetcher_serves_the_document_stylesheet() -> None:
    response = AssetFetcher().fetch(ASSET_BASE_URL + "static/documents.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
