"""Two requests at once cannot both take a person past the challenge's limit of concepts per person.

This test commits for real (two connections must see each other's work), so it arranges and cleans up its own
rows instead of using the rolled-back `db` fixture. It runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.audit.models import AuditEvent
from app.challenges.models import Challenge
from app.challenges.phases import Phase
from app.challenges.service import get_for
from app.organizations.models import Organization
from app.submissions import service
from app.submissions.models import Submission
from app.submissions.schemas import SubmissionCreate
from app.submissions.service import LimitReached
from tests.challenges.conftest import at
from tests.factories import make_challenge, make_organization, make_user


@pytest.fixture
def committed(engine: Engine) -> Iterator[tuple[Challenge, User]]:
    with Session(engine, expire_on_commit=False) as session:
        last_event = session.exec(select(func.max(AuditEvent.id))).one() or 0
        organization = make_organization(session, slug="samtidig-kommune")
        challenge_id = make_challenge(session, organization, slug="samtidig").id
        user = make_user(session, email="samtidig@example.no")
        session.commit()
        challenge = get_for(session, slug="samtidig", actor=Actor.system())
    try:
        yield challenge, user
    finally:
        with Session(engine) as session:
            session.exec(delete(Submission).where(col(Submission.challenge_id) == challenge_id))  # type: ignore[call-overload]
            session.exec(delete(AuditEvent).where(col(AuditEvent.id) > last_event))  # type: ignore[call-overload]
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge_id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def test_two_concurrent_drafts_cannot_both_pass_the_per_person_limit(
    engine: Engine, committed: tuple[Challenge, User]
) -> None:
    challenge, user = committed
    actor = Actor(user=user, via="session")
    now = at(Phase.OPEN)
    outcome: dict[str, Any] = {}

    first = Session(engine, expire_on_commit=False)
    service.create(first, actor=actor, challenge=challenge, data=SubmissionCreate(title="Først"), now=now)
    # The first request has counted and written but not committed; the second now starts and must wait.

    def second_request() -> None:
        with Session(engine) as second:
            try:
                service.create(second, actor=actor, challenge=challenge, data=SubmissionCreate(title="Samtidig"),
                               now=now)  # fmt: skip
                second.commit()
                outcome["second"] = "created"
            except LimitReached:
                second.rollback()
                outcome["second"] = "refused"

    thread = threading.Thread(target=second_request)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive(), "the second request did not wait for the first"
    first.commit()
    first.close()
    thread.join(timeout=10)
    assert outcome == {"second": "refused"}
    with Session(engine) as check:
        titles = check.exec(select(Submission.title).where(Submission.challenge_id == challenge.id)).all()
    assert titles == ["Først"]
