"""One typed settings object, read from the environment (and an optional `.env`).

Every default is written down here once; the README's settings table lists the
same names. Nothing here runs at import time: `Settings()` reads the
environment when it is called, and `create_app(settings)` takes the result.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from registry.db import PoolSize

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
    allowed_hosts: str = Field(
        default="",
        description="Comma-separated host names served; empty: REGISTRY_BASE_URL's host and "
        "loopback; * for any.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated proxy addresses or networks whose X-Forwarded-For, "
        "Forwarded and X-Forwarded-Proto are believed.",
    )
    password_hash_profile: Literal["default", "cheap"] = Field(
        default="default", description="argon2id cost; `cheap` is for tests only."
    )
    render_timeout_seconds: float = Field(
        default=20, gt=0, le=600, description="Time limit of one document render; over it, 503."
    )
    render_queue: int = Field(
        default=8,
        ge=1,
        le=1000,
        description="Requests allowed to wait for a document render at once; more get 503.",
    )
    db_pool_size: int = Field(
        default=10, ge=1, le=1000, description="Database connections kept open per process."
    )
    db_pool_overflow: int = Field(
        default=10, ge=0, le=1000, description="Extra connections opened under load per process."
    )
    db_pool_timeout_seconds: float = Field(
        default=3.0, gt=0, le=120, description="Wait for a free connection; over it, 503."
    )
    db_queue: int = Field(
        default=256,
        ge=1,
        le=100000,
        description="Requests allowed to wait for a database thread; more get 503 at once.",
    )
    public_max_age_seconds: int = Field(
        default=300,
        ge=0,
        le=86400,
        description="Cache-Control max-age of public pages (never past the next effective date).",
    )

    worker_in_process: bool = Field(
        default=True,
        description="Deliver queued notices in an app thread (off when REGISTRY_NO_WORKER=1).",
    )
    worker_poll_seconds: float = Field(
        default=2.0, gt=0, le=3600, description="How often an idle worker looks for due messages."
    )
    outbox_max_attempts: int = Field(
        default=8, ge=1, le=100, description="Delivery attempts before a message is failed."
    )
    kept_retention_years: int = Field(
        default=10,
        ge=1,
        le=100,
        description="Years the exact bytes of sent messages are kept (`registry prune-kept`).",
    )
    outbox_retry_seconds: float = Field(
        default=60.0, ge=0, le=86400, description="First retry delay; doubles each attempt."
    )
    subscribe_ip_limit: int = Field(
        default=20, ge=1, le=100000, description="POST /subscribe per client IP per hour."
    )
    webhook_allow_insecure_loopback: bool = Field(
        default=False, description="Accept http:// webhook URLs on loopback (tests only)."
    )
    admin_session_idle_minutes: int = Field(
        default=30, ge=1, le=1440, description="Admin sign-in ends after this long without use."
    )
    admin_session_max_hours: int = Field(
        default=12, ge=1, le=720, description="Admin sign-in ends this long after it began."
    )
    admin_login_max_failures: int = Field(
        default=5, ge=1, le=1000, description="Failed sign-ins per account before a pause."
    )
    admin_login_max_failures_per_ip: int = Field(
        default=20, ge=1, le=10000, description="Failed sign-ins per IP address before a pause."
    )
    admin_login_lockout_minutes: int = Field(
        default=15, ge=1, le=1440, description="The window failures are counted in, and the pause."
    )

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def host_names(self) -> list[str]:
        """The Host header values the app answers to."""
        if self.allowed_hosts.strip():
            return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]
        base_host = urlsplit(self.base_url).hostname or "127.0.0.1"
        return sorted({base_host, "127.0.0.1", "localhost", "::1"})

    def pool(self) -> PoolSize:
        return PoolSize(self.db_pool_size, self.db_pool_overflow, self.db_pool_timeout_seconds)

    def proxy_addresses(self) -> frozenset[str]:
        return frozenset(p.strip() for p in self.trusted_proxies.split(",") if p.strip())

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
