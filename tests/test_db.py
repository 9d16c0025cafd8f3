"""The request session: one transaction per request, and what a failed request leaves readable."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, SQLModel, select
from starlette.requests import Request

import app.models  # noqa: F401  (registers every table)
from app import db as app_db
from app.accounts.models import User
from app.db import get_session, make_engine


@pytest.fixture
def own_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """The process engine swapped for a SQLite file of this test's own, so real commits touch nothing shared."""
    engine = make_engine(f"sqlite:///{tmp_path / 'own.db'}", pool_size=1)
    SQLModel.metadata.create_all(engine)
    monkeypatch.setattr(app_db, "_engine", engine)
    yield engine
    engine.dispose()


def a_request(method: str) -> Request:
    return Request({"type": "http", "method": method, "path": "/", "headers": []})


def add_user(engine: Engine, email: str) -> None:
    with Session(engine) as session:
        session.add(User(email=email, display_name="Kari Nordmann"))
        session.commit()


def test_a_request_commits_at_the_end(own_engine: Engine) -> None:
    requests = get_session(a_request("POST"))
    session = next(requests)
    session.add(User(email="ida@example.org", display_name="Ida"))
    with pytest.raises(StopIteration):
        next(requests)
    with Session(own_engine) as check:
        assert check.exec(select(User.display_name)).all() == ["Ida"]


def test_a_failed_request_rolls_back(own_engine: Engine) -> None:
    requests = get_session(a_request("POST"))
    session = next(requests)
    session.add(User(email="ida@example.org", display_name="Ida"))
    session.flush()
    with pytest.raises(RuntimeError):
        requests.throw(RuntimeError("refused"))
    with Session(own_engine) as check:
        assert check.exec(select(User)).all() == []


def test_after_a_failed_request_the_signed_in_user_is_still_readable(own_engine: Engine) -> None:
    """The error page shows who is signed in after the session has closed (this was a 500 on every refusal)."""
    add_user(own_engine, "kari@example.org")
    requests = get_session(a_request("POST"))
    session = next(requests)
    user = session.exec(select(User).where(User.email == "kari@example.org")).one()
    user.display_name = "Changed, then refused"
    session.flush()
    with pytest.raises(RuntimeError):
        requests.throw(RuntimeError("refused"))
    assert user.email == "kari@example.org"
    with Session(own_engine) as check:
        assert check.exec(select(User.display_name)).one() == "Kari Nordmann"


def read_then_write_at_once(method: str) -> list[str]:
    """Two requests overlap: the first reads, dawdles, then writes; the second reads and writes in between.

    Returns how each one ended.
    """
    outcomes: list[str] = []

    def request(email: str, start_after: float, dawdle: float) -> None:
        time.sleep(start_after)
        requests = get_session(a_request(method))
        session = next(requests)
        try:
            session.exec(select(User)).all()
            time.sleep(dawdle)
            session.add(User(email=email, display_name="Kari"))
            session.flush()
            with pytest.raises(StopIteration):
                next(requests)
            outcomes.append("committed")
        except OperationalError as error:
            outcomes.append(str(error.orig))
            requests.close()

    threads = [
        threading.Thread(target=request, args=("first@example.org", 0.0, 0.5)),
        threading.Thread(target=request, args=("second@example.org", 0.15, 0.0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    return sorted(outcomes)


@pytest.mark.usefixtures("own_engine")
def test_reading_requests_that_then_write_on_sqlite_cannot_queue_behind_a_writer() -> None:
    """The failure that writing requests avoid (below): a transaction begun for reading fails on its first write."""
    assert read_then_write_at_once("GET") == ["committed", "database is locked"]


@pytest.mark.usefixtures("own_engine")
def test_writing_requests_on_sqlite_take_the_write_lock_first_and_both_succeed() -> None:
    assert read_then_write_at_once("POST") == ["committed", "committed"]
