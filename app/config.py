"""Settings from SAMSKAP_* environment variables and `.env`."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = ROOT / "var"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'samskap.db'}"
INSECURE_SECRET_KEYS = frozenset({"", "change-me", "secret", "dev"})
MIN_SECRET_KEY_LENGTH = 32
# A key like "aaaa…" is long but guessable; a random key of 32+ characters has far more distinct characters.
MIN_SECRET_KEY_DISTINCT_CHARACTERS = 10
SUPPORTED_LANGUAGES = ("nb", "sv", "en")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    # A public demo or a staging copy: runs like development (no production checks) but shows no mailbox.
    STAGING = "staging"
    PRODUCTION = "production"


class UnsafeSettings(RuntimeError):
    """The settings would run production in an unsafe way."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SAMSKAP_", env_file=".env", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    debug: bool = False
    database_url: str = DEFAULT_DATABASE_URL
    allow_sqlite_in_production: bool = False
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    default_language: str = "nb"
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_from: str = "Samskap <noreply@samskap.local>"
    smtp_starttls: bool = True
    redis_url: str = ""
    session_days: int = Field(default=30, ge=1, le=365)
    verification_hours: int = Field(default=48, ge=1)
    password_reset_minutes: int = Field(default=60, ge=5)
    invitation_days: int = Field(default=14, ge=1)
    log_json: bool | None = None
    # Votes one network address may cast (per minute, all voters behind it): a school's NAT fits, a script not.
    votes_per_address_per_minute: int = Field(default=600, ge=1)

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LANGUAGES)}")
        return value

    @field_validator("base_url")
    @classmethod
    def _no_trailing_slash(cls, value: str) -> str:
        # Links are built as base_url + "/path".
        return value.rstrip("/")

    @property
    def is_production(self) -> bool:
        return self.environment is Environment.PRODUCTION

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def json_logs(self) -> bool:
        return self.is_production if self.log_json is None else self.log_json

    def problems(self) -> list[str]:
        """What makes these settings unsafe for production (empty outside production)."""
        if not self.is_production:
            return []
        found = []
        if self.debug:
            found.append("SAMSKAP_DEBUG must be off in production.")
        if (
            self.secret_key in INSECURE_SECRET_KEYS
            or len(self.secret_key) < MIN_SECRET_KEY_LENGTH
            or len(set(self.secret_key)) < MIN_SECRET_KEY_DISTINCT_CHARACTERS
        ):
            found.append(
                f"SAMSKAP_SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} characters "
                '(e.g. python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if self.uses_sqlite and not self.allow_sqlite_in_production:
            found.append(
                "SQLite in production needs SAMSKAP_ALLOW_SQLITE_IN_PRODUCTION=true; "
                "set SAMSKAP_DATABASE_URL to PostgreSQL instead."
            )
        if not self.base_url.startswith("https://"):
            found.append("SAMSKAP_BASE_URL must be an https:// address in production.")
        if not self.smtp_host:
            found.append("SAMSKAP_SMTP_HOST must be set in production; without it emails are only logged.")
        elif self.smtp_username and not self.smtp_starttls and self.smtp_port != 465:
            found.append(
                "SAMSKAP_SMTP_STARTTLS must stay on when SMTP credentials are set in production "
                "(or use SAMSKAP_SMTP_PORT=465 for implicit TLS)."
            )
        return found

    def checked(self) -> Settings:
        """These settings, with a development secret filled in; refuses unsafe production settings."""
        problems = self.problems()
        if problems:
            raise UnsafeSettings("Refusing to start: " + " ".join(problems))
        if not self.secret_key:
            self.secret_key = _development_secret()
        return self


def _development_secret() -> str:
    """A secret kept in var/ so development sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    """The process's settings, checked once."""
    return Settings().checked()
