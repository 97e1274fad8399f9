"""The `registry` command: each subcommand works, and fails with one clear line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REGISTRY = [sys.executable, "-m", "registry"]


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("REGISTRY_")} | {
        "REGISTRY_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "REGISTRY_VAR_DIR": str(tmp_path / "var"),
        "REGISTRY_PASSWORD_HASH_PROFILE": "cheap",
        **env,
    }
    return subprocess.run(
        REGISTRY + args,
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )


@pytest.fixture
def seeded(tmp_path: Path, sqlite_template: Path) -> Path:
    """A migrated, seeded database (a copy of the session's template)."""
    shutil.copyfile(sqlite_template, tmp_path / "cli.db")
    return tmp_path


def test_migrate_then_seed_twice(tmp_path: Path) -> None:
    assert run(["migrate"], tmp_path).returncode == 0
    first = run(["seed"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "7 recipients added" in first.stdout and "version 1 published" in first.stdout
    second = run(["seed"], tmp_path)
    assert second.returncode == 0
    assert "0 recipients added" in second.stdout and "published" not in second.stdout


def test_create_admin_prints_a_generated_password_once(seeded: Path) -> None:
    result = run(["create-admin", "Legal@Example.com"], seeded)
    assert result.returncode == 0, result.stderr
    assert "created admin legal@example.com" in result.stdout
    assert "password: " in result.stdout
    again = run(["create-admin", "legal@example.com"], seeded)
    assert again.returncode == 1
    assert again.stderr.strip().count("\n") == 0 and "already exists" in again.stderr


def test_create_admin_takes_the_password_from_the_environment(seeded: Path) -> None:
    result = run(
        ["create-admin", "ed@example.com", "--role", "editor"],
        seeded,
        REGISTRY_ADMIN_PASSWORD="a-long-enough-password",
    )
    assert result.returncode == 0
    assert "password" not in result.stdout
    token = run(["create-token", "ed@example.com"], seeded)
    assert token.returncode == 0 and token.stdout.startswith("reg_")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-admin", "not-an-email"], "not an email address"),
        (["create-admin", "x@example.com", "--role", "king"], "king"),
        (["create-token", "nobody@example.com"], "No user"),
        (["seed", "/no/such/folder"], "not a folder"),
    ],
)
def test_bad_input_fails_with_one_clear_line(seeded: Path, args: list[str], message: str) -> None:
    result = run(args, seeded)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) <= 3 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_seed_before_migrate_says_to_migrate(tmp_path: Path) -> None:
    result = run(["seed"], tmp_path)
    assert result.returncode == 1
    assert "registry migrate" in result.stderr


def test_bad_setting_names_the_variable(tmp_path: Path) -> None:
    result = run(["migrate"], tmp_path, REGISTRY_NOTICE_DAYS="soon")
    assert result.returncode == 1
    assert "REGISTRY_NOTICE_DAYS" in result.stderr


def test_make_run_sets_up_a_fresh_database_as_the_readme_says(tmp_path: Path) -> None:
    """Each `registry …` line of the Makefile's `run` recipe but `serve`, run as written on a
    new database: an admin's password is printed; run again, no second admin is made."""
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    commands = [line.split("/registry", 1)[1].split() for line in recipe if "/registry " in line]
    assert [command[0] for command in commands] == ["migrate", "seed", "create-admin", "serve"]
    for command in commands[:-1]:
        result = run(command, tmp_path)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    assert "password" in result.stdout.lower()
    again = run(commands[2], tmp_path)
    assert again.returncode == 0 and "none created" in again.stdout + again.stderr
