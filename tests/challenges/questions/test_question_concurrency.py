"""The same question sent twenty times at once (a double-click, a retry, a script) is stored once.

Real threads, each with its own connection and transaction, call the service as the request handler does and
commit for real, so this test arranges and cleans up its own rows instead of using the rolled-back `db` fixture.
SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.challenges.models import Challenge, Question
from app.challenges.phases import Phase
from app.challenges.questions import service as questions
from app.organizations.models import Organization
from tests.challenges.conftest import at
from tests.concurrency import at_once
from tests.factories import make_challenge, make_organization, make_user

AT_ONCE = 20

SLUG = "samtidig-sporsmal"


@pytest.fixture
def asker(threads_engine: Engine) -> Iterator[User]:
    with Session(threads_engine, expire_on_commit=False) as session:
        organization = make_organization(session, slug=SLUG)
        challenge = make_challenge(session, organization, slug=SLUG)
        user = make_user(session, email=f"spor@{SLUG}.no")
        session.commit()
    try:
        yield user
    finally:
        with Session(threads_engine) as session:
            session.exec(delete(Question).where(col(Question.challenge_id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def test_twenty_identical_questions_at_once_store_one(threads_engine: Engine, asker: User) -> None:
    actor = Actor(user=asker, via="session")
    text = "Kan vi sende inn et konsept som allerede er testet i en annen kommune?"

    def ask(session: Session, challenge: Challenge) -> object:
        return questions.ask(session, actor=actor, challenge=challenge, body=text, now=at(Phase.OPEN))

    outcomes = at_once(threads_engine, SLUG, [ask] * AT_ONCE)

    assert outcomes["ok"] == 1
    # The others are told it is already asked, or (beyond 5 in 10 minutes) to slow down.
    assert set(outcomes) <= {"ok", "duplicate-post", "too-many-requests"}
    assert outcomes["duplicate-post"] >= 1
    with Session(threads_engine) as check:
        bodies = check.exec(
            select(Question.body)
            .join(Challenge, col(Challenge.id) == Question.challenge_id)
            .where(Challenge.slug == SLUG)
        ).all()
    assert bodies == [text]
