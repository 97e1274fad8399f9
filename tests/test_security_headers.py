"""Security headers, allowed hosts, and https as only a trusted proxy may report it."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from registry.app import create_app

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)


def test_every_response_carries_the_security_headers(client: Any) -> None:
    for path in ("/", "/health", "/api/v1/registry", "/api/v1/versions/99"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert "strict-transport-security" not in headers  # plain http


def test_unknown_host_is_refused(client: Any) -> None:
    response = client.get("/health", headers={"Host": "evil.example"})
    assert response.status_code == 400


def test_hsts_only_when_a_trusted_proxy_says_https(settings: Any) -> None:
    forwarded = {"X-Forwarded-Proto": "https"}
    with TestClient(app=create_app(settings), base_url="http://testserver.local") as untrusted:
        assert (
            "strict-transport-security" not in untrusted.get("/health", headers=forwarded).headers
        )
    trusting = settings.model_copy(update={"trusted_proxies": "testclient"})
    with TestClient(app=create_app(trusting), base_url="http://testserver.local") as proxied:
        assert "strict-transport-security" in proxied.get("/health", headers=forwarded).headers


def test_allowed_host_with_a_port_is_served(client: Any) -> None:
    assert client.get("/health", headers={"Host": "testserver.local:8000"}).status_code == 200
    refused = client.get("/health", headers={"Host": "evil.example:8000"})
    assert refused.status_code == 400 and refused.json()["extra"][0]["key"] == "Host"
