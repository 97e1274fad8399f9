"""The `registry` command: serve, migrate, seed, create-admin, create-token, worker, verify.

Each command fails with one clear line on stderr and a non-zero exit on bad input.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click
from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from registry.db import make_engine, transaction
from registry.enums import UserRole
from registry.errors import RegistryError
from registry.settings import Settings


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        first = error.errors()[0]
        field = "REGISTRY_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise click.ClickException(f"{field}: {first['msg']}") from None


def clear_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can cause into one line on stderr and exit status 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except RegistryError as error:
            raise click.ClickException(error.detail) from None
        except SQLAlchemyError as error:
            reason = str(error.orig if hasattr(error, "orig") else error).splitlines()[0]
            raise click.ClickException(f"database error: {reason}") from None
        except (OSError, ValueError) as error:
            raise click.ClickException(str(error)) from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """registry: the subprocessor and cross-border transfer registry."""


@main.command()
@clear_errors
def migrate() -> None:
    """Bring the database schema up to date (Alembic)."""
    from registry.migrate import upgrade

    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    click.echo("database schema is up to date")


@main.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@clear_errors
def seed(path: Path | None) -> None:
    """Load seed/ (or PATH) idempotently; publish version 1 on an empty registry."""
    from registry.migrate import is_current
    from registry.services.seed import DEFAULT_SEED_DIR, load_seed

    settings = load_settings()
    engine = make_engine(settings.database_url)
    if not is_current(engine):
        raise click.ClickException("the database schema is not up to date: run `registry migrate`")
    with transaction(engine) as session:
        report = load_seed(session, path or DEFAULT_SEED_DIR)
    engine.dispose()
    click.echo(
        f"seeded: {report.recipients_added} recipients added, "
        f"{report.reference_rows_changed} reference rows changed"
        + (f", version {report.published_version} published" if report.published_version else "")
    )


@main.command("create-admin")
@click.argument("email")
@click.option(
    "--role",
    type=click.Choice([r.value for r in UserRole]),
    default=UserRole.ADMIN.value,
    show_default=True,
)
@click.option("--if-none", is_flag=True, help="Do nothing when an admin already exists.")
@clear_errors
def create_admin(email: str, role: str, if_none: bool) -> None:
    """Create a user; the password comes from REGISTRY_ADMIN_PASSWORD, a prompt, or is generated."""
    from registry.services.users import any_admin, create_user, generate_password

    settings = load_settings()
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        if if_none and any_admin(session):
            click.echo("an admin already exists; none created")
            return
        password = os.environ.get("REGISTRY_ADMIN_PASSWORD", "")
        generated = False
        if not password and sys.stdin.isatty() and not if_none:
            password = click.prompt(
                "Password (empty: generate one)", default="", hide_input=True, show_default=False
            )
        if not password:
            password, generated = generate_password(), True
        user = create_user(
            session, email, password, UserRole(role), profile=settings.password_hash_profile
        )
    engine.dispose()
    click.echo(f"created {user.role.value} {user.email}")
    if generated:
        click.echo(f"password: {password}")


@main.command("create-token")
@click.argument("email")
@click.option("--name", default="", help="A note to recognise the token by.")
@clear_errors
def create_token_command(email: str, name: str) -> None:
    """Print a new API bearer token for EMAIL's user, once."""
    from registry.services.users import create_token, find_user

    settings = load_settings()
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        user = find_user(session, email)
        if not user.is_active:
            raise click.ClickException(f"user {user.email} is deactivated")
        token = create_token(session, user, name=name)
    engine.dispose()
    click.echo(token)


@main.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@clear_errors
def export_command(file: Path | None) -> None:
    """Write the whole registry (drafts, versions, history, subscribers) as JSON."""
    from registry.services.backup import dumps, export_registry

    engine = make_engine(load_settings().database_url)
    with engine.connect() as connection:
        text = dumps(export_registry(connection))
    engine.dispose()
    if file is None:
        click.echo(text, nl=False)
    else:
        file.write_text(text, encoding="utf-8")
        click.echo(f"exported to {file}", err=True)


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Empty this registry first, then load FILE.")
@click.option(
    "--with-accounts",
    is_flag=True,
    help="Also load the file's users and API tokens (never its sign-in sessions).",
)
@clear_errors
def import_command(file: Path, replace: bool, with_accounts: bool) -> None:
    """Load an export made by `registry export` into this (empty) registry."""
    import json

    from registry.migrate import is_current
    from registry.services.backup import import_registry

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise click.ClickException(f"{file}: not valid JSON ({error})") from None
    engine = make_engine(load_settings().database_url)
    if not is_current(engine):
        raise click.ClickException("the database schema is not up to date: run `registry migrate`")
    with engine.begin() as connection:
        counts = import_registry(connection, data, replace=replace, with_accounts=with_accounts)
    engine.dispose()
    click.echo(f"imported {sum(counts.values())} rows into {len(counts)} tables")


@main.command("import-onward")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--actor", default="import-onward", show_default=True, help="Who to log it as.")
@clear_errors
def import_onward_command(slug: str, file: Path, actor: str) -> None:
    """Replace SLUG's onward recipients in the draft from FILE (CSV or .json), and show the
    change; publishing stays with legal. CSV header: name,countries,purpose,list_url."""
    from registry.migrate import is_current
    from registry.services import onward
    from registry.services.versions import today

    try:
        content = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{file}: not UTF-8 text") from None
    try:
        entries = onward.parse_file(file.name, content)
    except RegistryError as error:
        detail = error.detail.removeprefix("Validation failed: ")
        raise click.ClickException(f"{file}: {detail}") from None
    engine = make_engine(load_settings().database_url)
    if not is_current(engine):
        raise click.ClickException("the database schema is not up to date: run `registry migrate`")
    with transaction(engine) as session:
        change = onward.import_onward(session, slug, entries, actor=actor, today=today())
    engine.dispose()
    for entry in change["onward_added"]:
        click.echo(f"+ {entry['name']} ({' '.join(entry['countries'])})")
    for entry in change["onward_removed"]:
        click.echo(f"- {entry['name']} ({' '.join(entry['countries'])})")
    for entry in change["onward_changed"]:
        click.echo(f"~ {entry['name']}")
    if not any(change.values()):
        click.echo("no change to the list (its check date is now today)")
    click.echo(f"{slug}: {len(entries)} onward recipients in the draft; publish to make it public")


@main.command()
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@click.option("--batch", default=100, show_default=True, type=click.IntRange(1, 10000))
@click.option(
    "--lease",
    default=300.0,
    show_default=True,
    type=click.FloatRange(1, 86400),
    help="Seconds a claimed batch is held before another worker may take it.",
)
@clear_errors
def worker(once: bool, batch: int, lease: float) -> None:
    """Deliver queued email and webhook notices until stopped; several may run at once."""
    import logging
    import signal
    import threading

    from registry.migrate import is_current
    from registry.notices.worker import Worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = load_settings()
    engine = make_engine(settings.database_url)
    if not is_current(engine):
        raise click.ClickException("the database schema is not up to date: run `registry migrate`")
    runner = Worker(engine, settings, batch_size=batch, lease_seconds=lease)
    if once:
        while runner.run_once():
            pass
        runner.close()
    else:
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        runner.run(stop)
    engine.dispose()


def default_workers() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@main.command()
@click.option("--base-url", default="", help="Check a running registry through its API instead.")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@clear_errors
def verify(base_url: str, files: tuple[Path, ...]) -> None:
    """Check every version's hash and chain, and each FILE (PDF or JSON) against them.

    Exits 0 when all hold; 1 naming the first that does not (then the others).
    """
    from registry.integrity.chain import check_chain
    from registry.integrity.embedded import check_file
    from registry.integrity.sources import SourceError, records_from_api, records_from_database

    if base_url:
        try:
            records = records_from_api(base_url)
        except SourceError as error:
            raise click.ClickException(str(error)) from None
    else:
        engine = make_engine(load_settings().database_url)
        with engine.connect() as connection:
            records = records_from_database(connection)
        engine.dispose()
    report = check_chain(records)
    failures = [str(problem) for problem in report.problems]
    for path in files:
        problem = check_file(path, report)
        if problem is not None:
            failures.append(f"{path}: {problem}")
    if failures:
        click.echo(f"verify: {failures[0]}", err=True)
        for line in failures[1:]:
            click.echo(f"  also: {line}", err=True)
        sys.exit(1)
    click.echo(f"ok: {report.checked} versions, {len(files)} files")


@main.command("prune-kept")
@click.option("--dry-run", is_flag=True, help="Say how many would go; delete nothing.")
@clear_errors
def prune_kept(dry_run: bool) -> None:
    """Delete the kept bytes of messages sent longer ago than REGISTRY_KEPT_RETENTION_YEARS."""
    from registry.notices.keep import prune

    settings = load_settings()
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        count = prune(session, years=settings.kept_retention_years, dry_run=dry_run)
    engine.dispose()
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb} {count} kept messages older than {settings.kept_retention_years} years")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-worker", is_flag=True, help="Do not deliver queued notices in any process.")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(1, 64),
    help="Server processes (default: the number of cores).",
)
@click.option("--access-log", is_flag=True, help="Log every request (off: the proxy logs them).")
@clear_errors
def serve(host: str, port: int, no_worker: bool, workers: int | None, access_log: bool) -> None:
    """Migrate the database if needed and serve the app on every core.

    With several processes, the notice worker runs in exactly one: this
    supervising process (none with --no-worker, e.g. when `registry worker`
    runs beside).
    """
    from registry.migrate import upgrade
    from registry.serving import run_uvicorn, start_notice_worker

    workers = workers or default_workers()
    settings = load_settings()
    engine = make_engine(settings.database_url)
    upgrade(engine)
    engine.dispose()
    settings.resolved_secret_key()
    in_process = settings.worker_in_process and not no_worker
    in_process = in_process and os.environ.get("REGISTRY_NO_WORKER") != "1"
    notice_worker = None
    if not in_process or workers > 1:
        os.environ["REGISTRY_NO_WORKER"] = "1"  # inherited by every server process
    if in_process:
        click.echo(f"notice worker: in process {os.getpid()}", err=True)
        if workers > 1:
            notice_worker = start_notice_worker(settings)
    click.echo(f"serving on http://{host}:{port} with {workers} process(es)", err=True)
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        "proxy_headers": False,  # the app reads trusted proxies' headers itself
        "access_log": access_log,
        "log_level": "info",
    }
    try:
        run_uvicorn(options)
    finally:
        if notice_worker is not None:
            thread, stop = notice_worker
            stop.set()
            thread.join(timeout=30)


if __name__ == "__main__":
    main()
