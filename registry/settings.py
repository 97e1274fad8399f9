"""One typed settings object, read from the environment (and an optional `.env`).

Every default is written down here once; the README's settings table lists the
same names. Nothing here runs at import time: `Settings()` reads the
environment when it is called, and `create_app(settings)` takes the result.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRETS = frozenset({"", "change-me", "changeme", "secret", "dev", "development"})


class Settings(BaseSettings):
    """Configuration of one registry deployment (environment variables `REGISTRY_*`)."""

    model_config = SettingsConfigDict(
        env_prefix="REGISTRY_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        default="sqlite:///var/registry.db",
        description="Any SQLAlchemy URL; postgresql+psycopg://… for PostgreSQL.",
    )
    secret_key: str = Field(
        default="",
        description="Signs sessions and tokens; generated once into var/secret_key when unset.",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Absolute links in emails, feeds and PDFs.",
    )
    smtp_url: str = Field(
        default="",
        description="smtp://[user:pass@]host:port or smtps://…; unset: .eml files under var/mail/.",
    )
    mail_from: str = Field(default="privacy@localhost", description="Sender of notices.")
    notice_days: int = Field(
        default=30, ge=0, le=3650, description="Default days between publishing and taking effect."
    )
    environment: Literal["development", "production", "test"] = Field(
        default="development",
        description="`production` refuses a placeholder secret key.",
    )
    var_dir: Path = Field(
        default=Path("var"), description="Where the SQLite file, mail and caches live."
    )
    password_hash_profile: Literal["default", "cheap"] = Field(
        default="default", description="argon2id cost; `cheap` is for tests only."
    )
    render_timeout_seconds: float = Field(
        default=20, gt=0, le=600, description="Time limit of one document render; over it, 503."
    )

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def resolved_secret_key(self) -> str:
        """The configured secret, or one generated once into `var/secret_key`."""
        if self.secret_key:
            if self.environment == "production" and self.secret_key in PLACEHOLDER_SECRETS:
                raise ValueError("REGISTRY_SECRET_KEY is a placeholder; set a real secret")
            return self.secret_key
        if self.environment == "production":
            raise ValueError("REGISTRY_SECRET_KEY must be set in production")
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key, encoding="utf-8")
        path.chmod(0o600)
        return key
