"""Settings: every one documented in the README, defaults as INTERFACE.md gives them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def make(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_a_key_that_looks_like_a_placeholder_is_used_outside_production(tmp_path: Path) -> None:
    assert make(secret_key="dev", var_dir=tmp_path).resolved_secret_key() == "dev"
    real = "a-real-secret-" + "k" * 32
    assert make(environment="production", secret_key=real).resolved_secret_key() == real
    assert not (tmp_path / "secret_key").exists()


def test_production_says_which_secret_is_wrong(tmp_path: Path) -> None:
    """The operator reads these lines when the server refuses to start."""
    placeholder = make(environment="production", secret_key="secret", var_dir=tmp_path)
    with pytest.raises(ValueError) as refused:
        placeholder.resolved_secret_key()
    assert str(refused.value) == "REGISTRY_SECRET_KEY is a placeholder; set a real secret"
    missing = make(environment="production", secret_key="", var_dir=tmp_path)
    with pytest.raises(ValueError) as refused:
        missing.resolved_secret_key()
    assert str(refused.value) == "REGISTRY_SECRET_KEY must be set in production"
    assert not (tmp_path / "secret_key").exists()


def test_a_generated_secret_is_384_bits_in_a_var_dir_made_for_it(tmp_path: Path) -> None:
    var_dir = tmp_path / "not" / "yet" / "there"
    key = make(secret_key="", var_dir=var_dir).resolved_secret_key()
    assert len(key) == 64  # 48 random bytes, URL-safe base64
    assert (var_dir / "secret_key").read_text(encoding="utf-8") == key
    # Another process (or a restart) reads the same key back, whitespace around it ignored.
    (var_dir / "secret_key").write_text(f"  {key}\n", encoding="utf-8")
    assert make(secret_key="", var_dir=var_dir).resolved_secret_key() == key


def test_allowed_hosts_are_the_listed_names_or_the_base_url_host_and_loopback() -> None:
    listed = make(allowed_hosts=" a.example, b.example ,, ")
    assert listed.host_names() == ["a.example", "b.example"]
    derived = make(allowed_hosts=" ", base_url="https://registry.example.com/")
    assert derived.host_names() == ["127.0.0.1", "::1", "localhost", "registry.example.com"]
    hostless = make(allowed_hosts="", base_url="/")
    assert hostless.host_names() == ["127.0.0.1", "::1", "localhost"]


def test_the_pool_is_sized_by_its_three_settings() -> None:
    pool = make(db_pool_size=3, db_pool_overflow=4, db_pool_timeout_seconds=5).pool()
    assert (pool.size, pool.overflow, pool.timeout) == (3, 4, 5)


def test_trusted_proxies_are_a_comma_separated_set() -> None:
    proxies = make(trusted_proxies=" 127.0.0.1, 10.0.0.0/8 ,,").proxy_addresses()
    assert proxies == frozenset({"127.0.0.1", "10.0.0.0/8"})
    assert make(trusted_proxies="").proxy_addresses() == frozenset()
