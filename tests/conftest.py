"""Shared fixtures: one migrated database per run, one rolled-back transaction per test, an HTTP client."""

from __future__ import annotations

import contextlib
import os
import socket
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import uvicorn

# Settings are read once per process; pin them before the app is imported.
_TEST_DB_DIR = Path(tempfile.mkdtemp(prefix="samskap-test-"))
TEST_DATABASE_URL = os.environ.get("SAMSKAP_TEST_DATABASE_URL") or f"sqlite:///{_TEST_DB_DIR / 'test.db'}"
os.environ["SAMSKAP_ENVIRONMENT"] = "test"
os.environ["SAMSKAP_DATABASE_URL"] = TEST_DATABASE_URL
os.environ["SAMSKAP_SECRET_KEY"] = "test-secret-key-that-is-long-enough-for-tests-0123456789"
os.environ["SAMSKAP_BASE_URL"] = "http://testserver"
os.environ.pop("SAMSKAP_REDIS_URL", None)

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session  # noqa: E402

from app import migrate, ratelimit  # noqa: E402
from app.accounts import sessions  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.clock import FrozenClock, get_clock  # noqa: E402
from app.config import Environment, get_settings  # noqa: E402
from app.db import get_session, make_engine  # noqa: E402
from app.main import create_app  # noqa: E402
from app.security import CSRF_COOKIE, SESSION_COOKIE, csrf_token_for  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CSRF_NONCE = "test-csrf-nonce-0123456789abcdefghijklmnopqrstuv"


def reset_postgres_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    """The test database, migrated to head once per run (through Alembic, as in production)."""
    engine = make_engine(TEST_DATABASE_URL, pool_size=5)
    if engine.dialect.name == "postgresql":
        reset_postgres_schema(engine)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; commits become savepoints."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    ratelimit.reset()
    yield
    ratelimit.reset()


@pytest.fixture(scope="module")
def threads_engine(engine: Engine) -> Iterator[Engine]:
    """An engine with a connection for every thread (the shared test engine, migrated, keeps a small pool)."""
    engine = make_engine(TEST_DATABASE_URL, pool_size=60)  # the largest crowd a test releases at once
    yield engine
    engine.dispose()


@pytest.fixture
def on_a_developers_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings as `make run` has them (the suite runs as `test`): development, and no SMTP server."""
    monkeypatch.setattr(get_settings(), "environment", Environment.DEVELOPMENT)
    monkeypatch.setattr(get_settings(), "smtp_host", "")


@pytest.fixture(scope="session")
def app() -> FastAPI:
    return create_app()


class Client(TestClient):
    """A test client that knows its CSRF token and can sign in as a user."""

    db: Session
    clock: FrozenClock

    @property
    def csrf_token(self) -> str:
        """The token the pages would give this browser now: bound to its session, else to its CSRF cookie."""
        return csrf_token_for(self._cookie(SESSION_COOKIE) or self._cookie(CSRF_COOKIE))

    def _cookie(self, name: str) -> str:
        # The fixture's cookies and those the app set can both be in the jar; the one set last is what is sent.
        values = [cookie.value for cookie in self.cookies.jar if cookie.name == name and cookie.value]
        return values[-1] if values else ""

    def from_address(self, address: str) -> Client:
        """Send the next requests from `address` (what rate limits and the development mailbox see)."""
        transport: Any = self._transport  # the test client's ASGI transport names the caller
        transport.client = (address, 50000)
        return self

    def sign_in(self, user: User) -> Client:
        raw = sessions.start_session(self.db, user=user, now=self.clock.now())
        self.cookies.set(SESSION_COOKIE, raw)
        return self

    def sign_out(self) -> Client:
        self.cookies.delete(SESSION_COOKIE)
        return self

    def post_form(self, url: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        """Submit a page form the way a browser does: with the CSRF token, without following the redirect."""
        form = {"csrf_token": self.csrf_token, **(data or {})}
        kwargs.setdefault("follow_redirects", False)
        return self.post(url, data=form, **kwargs)

    def api(self, method: str, url: str, token: str | None = None, **kwargs: Any) -> Any:
        """Call the JSON API with a bearer token, or with the session and the CSRF header."""
        headers = dict(kwargs.pop("headers", {}) or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        else:
            headers.setdefault("X-CSRF-Token", self.csrf_token)
        return self.request(method, url, headers=headers, **kwargs)


def requests_session(db: Session, *, lock: threading.Lock | None = None) -> Callable[[], Iterator[Session]]:
    """The app's request session in a test: the test's own, one request at a time when a lock is given."""

    def test_session() -> Iterator[Session]:
        with lock or contextlib.nullcontext():
            # What the test arranged is in the database before the request starts, as it would be in
            # production; otherwise a refused request's rollback would also undo the test's fixtures.
            db.commit()
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    return test_session


@pytest.fixture
def client(app: FastAPI, db: Session, clock: FrozenClock) -> Iterator[Client]:
    app.dependency_overrides[get_session] = requests_session(db)
    app.dependency_overrides[get_clock] = lambda: clock
    with Client(app, base_url="http://testserver", raise_server_exceptions=False) as test_client:
        test_client.db = db
        test_client.clock = clock
        test_client.cookies.set(CSRF_COOKIE, CSRF_NONCE)
        yield test_client
    app.dependency_overrides.clear()


class _ThreadedServer(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # the main thread belongs to pytest
        pass


@dataclass
class LiveServer:
    """The app served over real HTTP, for browsers and generated API clients. Each test points the app's
    `get_session` and `get_clock` dependencies at its own rolled-back `db` session and frozen clock, so data
    arranged with the factories is what the server answers from, and nothing outlives the test."""

    url: str
    app: FastAPI
    # The test's session has one connection; requests take turns on it.
    db_lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture(scope="session")
def _uvicorn(app: FastAPI) -> Iterator[LiveServer]:
    """uvicorn serving the app on a free port of 127.0.0.1, for the whole run."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = _ThreadedServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the live server did not start")
        time.sleep(0.01)
    yield LiveServer(url=f"http://127.0.0.1:{port}", app=app)
    server.should_exit = True
    thread.join(timeout=5)
    sock.close()


@pytest.fixture
def live_server(_uvicorn: LiveServer, db: Session, clock: FrozenClock) -> Iterator[LiveServer]:
    """The live server, answering from this test's database session and clock."""
    overrides: dict[Callable[..., Any], Callable[..., Any]] = {
        get_session: requests_session(db, lock=_uvicorn.db_lock),
        get_clock: lambda: clock,
    }
    _uvicorn.app.dependency_overrides.update(overrides)
    yield _uvicorn
    for dependency in overrides:
        _uvicorn.app.dependency_overrides.pop(dependency, None)
