"""The public transfer table reproduces the privacy policy's table, cell for cell."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.renders  # the engine is not what these test (conftest.py)

SEED_TABLE = [
    (
        "Auth0, Inc. (Auth0)",
        "USA",
        "User authentication and login session management",
        "Email, user ID, MFA settings",
        "Until membership withdrawal or termination of the entrusted contract",
    ),
    (
        "Amazon Web Services, Inc. (AWS)",
        "USA",
        "Server infrastructure operation, data storage, and backup",
        "Service usage records, access logs, and command history",
        "Until membership withdrawal or termination of the entrusted contract",
    ),
    (
        "Datadog, Inc. (Datadog)",
        "USA",
        "System log collection, monitoring, anomaly detection",
        "Access logs, system metrics, and agent status information",
        "Until membership withdrawal or termination of the entrusted contract",
    ),
    (
        "Google LLC (Google Analytics, Google Cloud)",
        "USA (default), other locations depending on Google server placement",
        "Service usage monitoring, usage statistics analysis",
        "Operating system (OS), device type, user behavior data, referral paths",
        "Until membership withdrawal or termination of the entrusted contract",
    ),
    (
        "Stripe, Inc. (Stripe)",
        "USA and other countries where Stripe sub-processors are located",
        "Global payment processing and billing system operation",
        "Name, email, payment method, payment history",
        "Retained by applicable laws",
    ),
    (
        "Toss Payments Co., Ltd. (Toss Payments)",
        "Republic of Korea",
        "Payment processing and settlement",
        "Name, email, payment method, payment history",
        "Retained by applicable laws",
    ),
    (
        "IPinfo, Inc. (IPinfo Lite)",
        "USA",
        "Lookup of user IP-based geographic information",
        "IP address",
        "Until membership withdrawal or termination of the entrusted contract",
    ),
]


def table_rows(html: str) -> list[tuple[str, ...]]:
    soup = BeautifulSoup(html, "html.parser")
    table = soup.select_one("table.transfers")
    assert table is not None
    return [
        tuple(" ".join(cell.get_text().split()) for cell in row.find_all(["th", "td"]))
        for row in table.select("tbody tr")
    ]


def test_home_reproduces_the_seed_table_cell_for_cell(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert table_rows(response.text) == SEED_TABLE


def test_home_names_the_columns_of_the_policy(client: Any) -> None:
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    headers = [th.get_text(strip=True) for th in soup.select("table.transfers thead th")]
    assert headers == [
        "Recipient",
        "Transfer destination(s)",
        "Purpose of use",
        "Information transferred",
        "Retention period",
    ]


def test_home_states_version_effective_date_and_hash(client: Any) -> None:
    registry = client.get("/api/v1/registry").json()
    text = BeautifulSoup(client.get("/").text, "html.parser").get_text(" ")
    assert "Version 1" in text
    assert registry["content_hash"] in text


def test_home_names_upcoming_versions_in_a_banner(client: Any, editor_headers: Any) -> None:
    client.patch(
        "/api/v1/draft/recipients/aws", json={"destinations": ["US", "JP"]}, headers=editor_headers
    )
    published = client.post(
        "/api/v1/publications",
        json={"summary": "AWS adds Japan", "effective_at": "2099-01-31"},
        headers=editor_headers,
    )
    assert published.status_code == 201
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    banner = soup.select_one(".banner")
    assert banner is not None
    assert "Version 2" in banner.get_text() and "2099" in banner.get_text()
    # The table in force is still version 1: Japan is not on it yet.
    assert "Japan" not in soup.select_one("table.transfers").get_text()


def test_home_is_served_from_memory_with_an_etag(client: Any) -> None:
    first = client.get("/")
    etag = first.headers["etag"]
    assert client.get("/").content == first.content
    assert client.get("/", headers={"If-None-Match": etag}).status_code == 304


def test_home_in_korean_names_countries_from_pycountry(client: Any) -> None:
    soup = BeautifulSoup(client.get("/?lang=ko").text, "html.parser")
    cells = [row[1] for row in table_rows(str(soup))]
    assert "대한민국" in cells
    assert any(cell.startswith("미국") for cell in cells)
    assert soup.html is not None and soup.html["lang"] == "ko"


def test_accept_language_chooses_korean(client: Any) -> None:
    html = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}).text
    assert '<html lang="ko">' in html


def test_health_answers_ok(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_a_browser_gets_a_page_for_an_unknown_address_and_scripts_get_json(client: Any) -> None:
    page = client.get("/no/such/page", headers={"Accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 404
    assert "This page does not exist" in BeautifulSoup(page.text, "html.parser").get_text()
    api = client.get("/api/v1/nothing", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["status_code"] == 404


def test_pages_declare_utf8_once(client: Any) -> None:
    assert client.get("/").headers["content-type"] == "text/html; charset=utf-8"
