"""Real concurrency for tests: calls released at the same instant, each in its own thread and connection (from
the `threads_engine` fixture of tests/conftest.py).

The threads commit for real (each in its own transaction, begun as write requests begin), so a test using them
arranges and cleans up its own rows instead of relying on the rolled-back `db` fixture.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.actor import Actor
from app.challenges.models import Challenge
from app.challenges.service import get_for
from app.db import begin_writing
from app.errors import AppError


def at_once(engine: Engine, slug: str, calls: list[Callable[[Session, Challenge], object]]) -> Counter[str]:
    """Run every call on the challenge `slug` in its own thread and transaction, all released together; count the
    outcomes (the refusal's type, or "ok")."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[Session, Challenge], object]) -> str:
        with Session(engine, expire_on_commit=False) as session:
            challenge = get_for(session, slug=slug, actor=Actor.system())
            session.commit()
            barrier.wait()
            begin_writing(session)  # as every write request begins (IMMEDIATE on SQLite)
            try:
                call(session, challenge)
                session.commit()
                return "ok"
            except AppError as error:
                session.rollback()
                return error.type

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return Counter(pool.map(run, calls))
