"""`registry verify --base-url`: a customer checks a running registry through its API."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner
from sqlalchemy import Engine

from registry.app import create_app
from registry.cli import main
from registry.settings import Settings
from tests.integrity.conftest import publish_retention, set_snapshot, stored
from tests.support.notices import free_port


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The app on a real port; a new one each time (a restart), with caches of its own."""
    port = free_port()
    app = create_app(settings.model_copy(update={"allowed_hosts": "127.0.0.1"}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.025)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def served(settings: Settings) -> Iterator[str]:
    with serving(settings) as base:
        yield base


def _verify(*args: str) -> Any:
    return CliRunner().invoke(main, ["verify", *args])


def test_verify_through_the_api_holds_then_names_a_rewritten_version(
    served: str, engine: Engine, settings: Settings
) -> None:
    publish_retention(engine, "for 15 months")
    publish_retention(engine, "for 14 months")
    result = _verify("--base-url", served)
    assert result.exit_code == 0, result.output
    assert "ok: 3 versions" in result.output
    snapshot, _hash = stored(engine, 2)
    set_snapshot(engine, 2, snapshot.replace("for 15 months", "for 1 month"))
    # Served as stored, by the running server and by the next start: verify names it.
    result = _verify("--base-url", served)
    assert result.exit_code == 1
    assert result.output.startswith("verify: version 2:")
    assert "version 3" in result.output
    with serving(settings) as restarted:
        assert _verify("--base-url", restarted).output == result.output


def test_verify_names_an_unreachable_registry_in_one_line() -> None:
    result = _verify("--base-url", f"http://127.0.0.1:{free_port()}")
    assert result.exit_code == 1
    assert "Error: http://127.0.0.1:" in result.output and "Traceback" not in result.output
