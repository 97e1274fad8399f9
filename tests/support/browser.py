"""The browser tests' server: the app on a real loopback port, on a copy of the seeded database.

It runs in a thread of the test process (uvicorn, as `registry serve` runs it), not in a
subprocess: a subprocess re-imports the whole stack before it answers, several seconds a
test on a busy machine. The database, the HTTP server and the browser are real all the same.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from registry.app import create_app
from registry.db import make_engine
from registry.enums import UserRole
from registry.settings import Settings
from tests.support.admin import PASSWORD, make_user

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serving(settings: Settings, port: int) -> Iterator[str]:
    """The app on 127.0.0.1:port until the block ends; waits until it answers."""
    app = create_app(settings)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # a loaded machine can take a while
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the test server on port {port} did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def seeded_server(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, str, Any]]:
    """(base URL, an editor's email, an engine on the same database)."""
    db = tmp_path / "registry.db"
    shutil.copyfile(sqlite_template, db)
    url = f"sqlite:///{db}"
    engine = make_engine(url)
    email = make_user(engine, UserRole.EDITOR, "legal@example.com")
    port = free_port()
    settings = Settings(
        database_url=url,
        secret_key="browser-test-secret-" + "x" * 32,
        var_dir=tmp_path / "var",
        environment="test",
        base_url=f"http://127.0.0.1:{port}",
        password_hash_profile="cheap",
        worker_in_process=False,
        _env_file=None,  # type: ignore[call-arg]
    )
    try:
        with serving(settings, port) as base:
            yield base, email, engine
    finally:
        engine.dispose()


@pytest.fixture
def server(sqlite_template: Path, tmp_path: Path) -> Iterator[tuple[str, str, Any]]:
    """The app on a real port, on a copy of the seeded database."""
    with seeded_server(sqlite_template, tmp_path) as served:
        yield served


@contextmanager
def chromium_page(width: int, height: int) -> Iterator[Any]:
    """A page of the system's Chromium at that viewport, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": width, "height": height})
        yield context.new_page()
        browser.close()


@pytest.fixture
def page() -> Iterator[Any]:
    """A desktop-sized page (1280 × 900)."""
    with chromium_page(1280, 900) as desktop:
        yield desktop


@pytest.fixture
def phone() -> Iterator[Any]:
    """A phone-sized page (390 × 844)."""
    with chromium_page(390, 844) as small:
        yield small


def sign_in(page: Any, base: str, email: str) -> None:
    """Sign in through the admin's form (the test users' password) and land on the list."""
    page.goto(base + "/admin/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/recipients")
