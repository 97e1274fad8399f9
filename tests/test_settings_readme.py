"""The README's settings table is a contract: every row's default is the code's default.

The table is parsed, not copied, so the two cannot drift: a default changed in
the code without the README (or the other way round) fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, get_args

import pytest

from registry.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"
ROW = re.compile(r"^\| `REGISTRY_([A-Z_]+)` \| (.+?) \| .+\|$")
# Settings whose default is not a literal: what the README says instead, and why.
PROSE_DEFAULTS = {
    "secret_key": "",  # "generated once into var/secret_key": the field itself is empty
    "smtp_url": "",  # "unset: emails are written as .eml files"
    "allowed_hosts": "",  # "empty: the host of REGISTRY_BASE_URL, and loopback"
    "trusted_proxies": "",  # "empty"
}
NOT_SETTINGS = {"admin_password", "no_worker"}  # read by one command, not by Settings


def readme_defaults() -> dict[str, str]:
    rows: dict[str, str] = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match.group(1).lower()] = match.group(2).strip()
    return rows


def literal(cell: str) -> str | None:
    """The default as the README writes it: the first `code` span that opens the cell."""
    match = re.match(r"^`([^`]*)`", cell)
    return match.group(1) if match else None


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@pytest.fixture
def defaults(monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"REGISTRY_{name.upper()}", raising=False)
    return Settings(_env_file=None)  # type: ignore[call-arg]


def test_the_readme_lists_every_setting_and_no_other() -> None:
    documented = set(readme_defaults()) - NOT_SETTINGS
    assert documented == set(Settings.model_fields)


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_each_default_is_the_one_the_readme_gives(name: str, defaults: Settings) -> None:
    cell = readme_defaults()[name]
    value = getattr(defaults, name)
    if name in PROSE_DEFAULTS:
        assert literal(cell) is None, f"{name}: the README now gives a literal, test it"
        assert value == PROSE_DEFAULTS[name]
        return
    written = literal(cell)
    assert written is not None, f"REGISTRY_{name.upper()}: the README gives no default"
    assert as_text(value) == written, f"REGISTRY_{name.upper()}"


def sample(name: str, annotation: Any, default: Any) -> str:
    """A value for the variable other than the default, as the environment would hold it."""
    if annotation is bool:
        return "false" if default else "true"
    if annotation in (int, float):
        return "7"
    choices = get_args(annotation)
    if choices:
        return next(str(c) for c in choices if c != default)
    return "x-sample"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_each_setting_is_read_from_its_variable(
    name: str, defaults: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = sample(name, Settings.model_fields[name].annotation, getattr(defaults, name))
    monkeypatch.setenv(f"REGISTRY_{name.upper()}", raw)
    changed = Settings(_env_file=None)  # type: ignore[call-arg]
    assert as_text(getattr(changed, name)) == raw
