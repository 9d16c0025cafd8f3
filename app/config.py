"""Settings from SAMSKAP_* environment variables and `.env`."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator
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


class OidcProvider(BaseModel):
    """One OpenID Connect provider people may sign in with (ID-porten, a BankID broker, Entra ID, …)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The slug in the addresses /account/sign-in/{id} and /account/sign-in/{id}/callback.
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,39}$")
    # The issuer as the provider names it; discovery reads {issuer}/.well-known/openid-configuration.
    issuer: str = Field(min_length=8)
    client_id: str = Field(min_length=1)
    client_secret: str = ""
    scopes: list[str] = Field(default_factory=lambda: ["openid", "profile", "email"])
    # The button's text per language ("nb", "sv", "en"); the first given stands in for a missing language.
    label: dict[str, str] = Field(min_length=1)
    subject_claim: str = "sub"
    # The claim holding the assurance level and the values of it that mean a verified identity (none: never).
    assurance_claim: str = "acr"
    verified_assurance_values: list[str] = Field(default_factory=list)
    # Sent as acr_values in the authorization request when set (ID-porten: "idporten-loa-high").
    acr_values: str = ""
    name_claims: list[str] = Field(default_factory=lambda: ["name", "given_name"])
    email_claim: str = "email"
    # How long a verified identity counts after the sign-in that showed it.
    verified_identity_days: int = Field(default=365, ge=1, le=3650)

    @field_validator("issuer")
    @classmethod
    def _issuer_no_trailing_slash(cls, value: str) -> str:
        return value.rstrip("/")

    def label_in(self, language: str) -> str:
        """The button's label in `language`, or the first one configured."""
        return self.label.get(language) or next(iter(self.label.values()))


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
    # OpenID Connect providers, as a JSON list of objects (see OidcProvider and the README); none by default.
    oidc_providers: list[OidcProvider] = Field(default_factory=list)
    # Clock skew tolerated on an ID token's iat and exp, and how long a provider's reply may take.
    oidc_clock_skew_seconds: int = Field(default=120, ge=0, le=300)
    oidc_timeout_seconds: float = Field(default=10, gt=0, le=60)

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

    @field_validator("oidc_providers")
    @classmethod
    def _distinct_provider_ids(cls, value: list[OidcProvider]) -> list[OidcProvider]:
        ids = [provider.id for provider in value]
        if len(ids) != len(set(ids)):
            raise ValueError("each provider needs its own id")
        return value

    def oidc_provider(self, provider_id: str) -> OidcProvider | None:
        """The configured provider with this id, or None."""
        return next((provider for provider in self.oidc_providers if provider.id == provider_id), None)

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
        if any(not provider.issuer.startswith("https://") for provider in self.oidc_providers):
            found.append("Every issuer in SAMSKAP_OIDC_PROVIDERS must be an https:// address in production.")
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
