"""Settings: production refuses unsafe values with a message naming each problem; development fills in a secret."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from fastapi import FastAPI
from sqlmodel import Session

from app import config
from app.config import Environment, Settings, UnsafeSettings, get_settings
from app.db import get_session
from app.main import create_app
from tests.conftest import CSRF_NONCE, TEST_DATABASE_URL, Client

SAFE_SECRET = "k3J9-fQz_8vLw2Xr7TbN1mYc5HpD0sGe4AuVjRqW6o"


def production(**overrides: object) -> Settings:
    """Production settings that are safe, changed by `overrides`; read from no environment or .env file."""
    values: dict[str, object] = {
        "environment": Environment.PRODUCTION,
        "debug": False,
        "secret_key": SAFE_SECRET,
        "database_url": "postgresql+psycopg://samskap@db.internal/samskap",
        "base_url": "https://samskap.example.org",
        "smtp_host": "smtp.example.org",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_safe_production_settings_pass() -> None:
    settings = production()
    assert settings.problems() == []
    assert settings.checked() is settings


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"debug": True}, "SAMSKAP_DEBUG"),
        ({"secret_key": ""}, "SAMSKAP_SECRET_KEY"),
        ({"secret_key": "change-me"}, "SAMSKAP_SECRET_KEY"),
        ({"secret_key": "too-short-0123456789"}, "SAMSKAP_SECRET_KEY"),
        ({"secret_key": "ab" * 32}, "SAMSKAP_SECRET_KEY"),
        ({"database_url": "sqlite:///var/samskap.db"}, "SAMSKAP_ALLOW_SQLITE_IN_PRODUCTION"),
        ({"base_url": "http://samskap.example.org"}, "SAMSKAP_BASE_URL"),
        ({"smtp_host": ""}, "SAMSKAP_SMTP_HOST"),
        ({"smtp_username": "samskap", "smtp_starttls": False}, "SAMSKAP_SMTP_STARTTLS"),
    ],
    ids=["debug", "no-secret", "default-secret", "short-secret", "repetitive-secret", "sqlite", "http", "no-smtp",
         "smtp-cleartext"],
)  # fmt: skip
def test_unsafe_production_settings_are_refused_by_name(overrides: dict[str, object], named: str) -> None:
    settings = production(**overrides)
    problems = settings.problems()
    assert len(problems) == 1
    assert named in problems[0]
    with pytest.raises(UnsafeSettings, match=named):
        settings.checked()


def test_every_problem_is_reported_at_once() -> None:
    settings = production(debug=True, secret_key="", database_url="sqlite:///x.db", base_url="http://x")
    assert len(settings.problems()) == 4


def test_sqlite_in_production_when_explicitly_allowed() -> None:
    assert production(database_url="sqlite:///var/samskap.db", allow_sqlite_in_production=True).problems() == []


def test_development_accepts_what_production_refuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    settings = Settings(_env_file=None, environment=Environment.DEVELOPMENT, debug=True, secret_key="")  # type: ignore[call-arg]
    assert settings.problems() == []
    settings.checked()
    assert len(settings.secret_key) >= config.MIN_SECRET_KEY_LENGTH


def test_development_secret_is_generated_once_into_var(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    var = tmp_path / "var"
    monkeypatch.setattr(config, "VAR_DIR", var)
    first = Settings(_env_file=None, environment=Environment.DEVELOPMENT, secret_key="").checked()  # type: ignore[call-arg]
    second = Settings(_env_file=None, environment=Environment.DEVELOPMENT, secret_key="").checked()  # type: ignore[call-arg]
    key_file = var / "secret_key"
    assert key_file.read_text() == first.secret_key == second.secret_key
    assert key_file.stat().st_mode & 0o777 == 0o600


def test_a_given_secret_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "VAR_DIR", tmp_path)
    settings = Settings(_env_file=None, secret_key=SAFE_SECRET).checked()  # type: ignore[call-arg]
    assert settings.secret_key == SAFE_SECRET
    assert not (tmp_path / "secret_key").exists()


def test_settings_come_from_samskap_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAMSKAP_SMTP_PORT", "2525")
    monkeypatch.setenv("SAMSKAP_DEFAULT_LANGUAGE", "sv")
    monkeypatch.setenv("SAMSKAP_BASE_URL", "https://samskap.example.org/")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.smtp_port == 2525
    assert settings.default_language == "sv"
    assert settings.base_url == "https://samskap.example.org"


def test_an_unknown_default_language_is_refused() -> None:
    with pytest.raises(ValueError, match="nb, sv, en"):
        Settings(_env_file=None, default_language="de")  # type: ignore[call-arg]


# --- The running app in production -------------------------------------------------------------------------------

PRODUCTION_ENVIRONMENT = {
    "SAMSKAP_ENVIRONMENT": "production",
    "SAMSKAP_SECRET_KEY": SAFE_SECRET,
    "SAMSKAP_BASE_URL": "https://samskap.example.org",
    "SAMSKAP_SMTP_HOST": "smtp.example.org",
    "SAMSKAP_ALLOW_SQLITE_IN_PRODUCTION": "true",
    "SAMSKAP_DATABASE_URL": TEST_DATABASE_URL,
}


@pytest.fixture
def production_client(db: Session) -> Iterator[Client]:
    """A client for an app started with production settings; the test settings come back afterwards."""
    with mock.patch.dict(os.environ, PRODUCTION_ENVIRONMENT):
        get_settings.cache_clear()
        try:
            assert get_settings().is_production
            app: FastAPI = create_app()

            def test_session() -> Iterator[Session]:
                yield db
                db.flush()

            app.dependency_overrides[get_session] = test_session
            with Client(app, base_url="https://testserver", raise_server_exceptions=False) as client:
                client.db = db
                yield client
        finally:
            get_settings.cache_clear()
    assert not get_settings().is_production


def test_production_sends_hsts(production_client: Client) -> None:
    response = production_client.get("/")
    assert response.status_code == 200
    assert response.headers["strict-transport-security"].startswith("max-age=")


def test_production_cookies_are_secure(production_client: Client) -> None:
    response = production_client.get("/")
    csrf_cookie = response.headers["set-cookie"]
    assert "samskap_csrf=" in csrf_cookie
    assert "Secure" in csrf_cookie
    assert "HttpOnly" in csrf_cookie

    production_client.cookies.set("samskap_csrf", CSRF_NONCE)
    response = production_client.post(
        "/language", data={"csrf_token": production_client.csrf_token, "language": "en"}, follow_redirects=False
    )
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    assert cookies
    assert all("secure" in cookie.lower() for cookie in cookies)


def test_production_hides_the_development_mailbox(production_client: Client) -> None:
    assert production_client.get("/dev/mail").status_code == 404


def test_outside_production_there_is_no_hsts(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers
