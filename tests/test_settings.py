"""Settings: every one documented in the README, defaults as INTERFACE.md gives them."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`REGISTRY_{name.upper()}`" in readme, name


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"REGISTRY_{name.upper()}", raising=False)
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.database_url == "sqlite:///var/registry.db"
    assert settings.base_url == "http://127.0.0.1:8000"
    assert settings.mail_from == "privacy@localhost"
    assert settings.notice_days == 30
    assert settings.smtp_url == ""


def test_production_refuses_a_placeholder_secret(tmp_path: Path) -> None:
    for secret in ("", "change-me"):
        settings = Settings(
            environment="production",
            secret_key=secret,
            var_dir=tmp_path,
            _env_file=None,  # type: ignore[call-arg]
        )
        with pytest.raises(ValueError, match="REGISTRY_SECRET_KEY"):
            settings.resolved_secret_key()


def test_development_generates_a_secret_once(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, secret_key="", _env_file=None)  # type: ignore[call-arg]
    first = settings.resolved_secret_key()
    assert len(first) > 40
    assert settings.resolved_secret_key() == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
