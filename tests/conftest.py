"""Fixtures: a real database per test (SQLite file, and PostgreSQL where the machine has it).

The schema is migrated and the seed loaded once per backend into a template;
each test gets its own copy (a file copy for SQLite, CREATE DATABASE … TEMPLATE
for PostgreSQL), so tests are independent and quick.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import create_engine, text

from registry.db import make_engine, transaction
from registry.enums import UserRole
from registry.migrate import upgrade
from registry.services.seed import load_seed
from registry.services.users import create_token, create_user
from registry.settings import Settings
from tests.support import postgres
from tests.support.apps import app_for
from tests.support.legal import confirm_unknowns

BACKENDS = ["sqlite", "postgresql"] if postgres.available() else ["sqlite"]
#: `REGISTRY_TEST_ENGINES=all` runs the `renders` tests on PostgreSQL too (CI's second pass).
ALL_ENGINES = os.environ.get("REGISTRY_TEST_ENGINES") == "all"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` runs every test on SQLite and, on PostgreSQL, every test but those
    marked `renders`: they read the published registry and draw it (pages, PDFs, access
    rules), so the engine is not what they test, and `.ci/run` runs them on PostgreSQL
    in a second pass (REGISTRY_TEST_ENGINES=all)."""
    _only_mutation_tests(config, items)
    if ALL_ENGINES:
        return
    kept, dropped = [], []
    for item in items:
        params = getattr(item, "callspec", None)
        on_postgres = params is not None and params.params.get("database_url") == "postgresql"
        (dropped if on_postgres and item.get_closest_marker("renders") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _only_mutation_tests(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make mutation` names, per module, the test files that cover it
    (REGISTRY_MUTATION_TESTS, space-separated): mutmut then runs only those."""
    wanted = os.environ.get("REGISTRY_MUTATION_TESTS", "").split()
    if not wanted:
        return
    kept = [item for item in items if item.nodeid.partition("::")[0] in wanted]
    dropped = [item for item in items if item.nodeid.partition("::")[0] not in wanted]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def _prepare(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with transaction(engine) as session:
        load_seed(session, before_publish=confirm_unknowns)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    _prepare(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    own = os.environ.get("REGISTRY_TEST_POSTGRES_URL")
    if own:
        yield own
        return
    cluster = postgres.Cluster().start()
    try:
        admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE registry_template"))
        admin.dispose()
        _prepare(cluster.url.rsplit("/", 1)[0] + "/registry_template")
        yield cluster.url
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_databases(pg_server: str) -> Iterator[postgres.SpareDatabases]:
    spares = postgres.SpareDatabases(pg_server, "registry_template")
    yield spares
    spares.close()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated and seeded database for one test."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "registry.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    server: str = request.getfixturevalue("pg_server")
    spares: postgres.SpareDatabases = request.getfixturevalue("pg_databases")
    name = spares.take()
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        spares.give_back(name)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        var_dir=tmp_path / "var",
        secret_key="test-secret-key-" + "x" * 32,
        environment="test",
        password_hash_profile="cheap",
        base_url="http://testserver.local",
        allowed_hosts="testserver.local,testserver",
        worker_in_process=False,
        # A PDF render on a loaded 2-core machine (a Korean one under a parallel run) can
        # pass the 20 s default; a test that means the limit sets its own.
        render_timeout_seconds=120,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def engine(settings: Settings) -> Iterator[Any]:
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(app=app_for(settings), base_url="http://testserver.local") as test_client:
        yield test_client


def _user_token(engine: Any, role: UserRole) -> str:
    with transaction(engine) as session:
        user = create_user(
            session,
            f"{role.value}-{uuid.uuid4().hex[:6]}@example.com",
            "password-" * 2,
            role,
            profile="cheap",
        )
        return create_token(session, user)


@pytest.fixture
def editor_headers(engine: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {_user_token(engine, UserRole.EDITOR)}"}


@pytest.fixture
def viewer_headers(engine: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {_user_token(engine, UserRole.VIEWER)}"}
