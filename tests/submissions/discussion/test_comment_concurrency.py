"""A double-click, a retry or a script firing the same comment twenty times at once stores it once.

Real threads, each with its own connection and transaction, call the service as the request handler does and
commit for real (each must see the others' work), so this test arranges and cleans up its own rows (comments,
audit events, the team's emails) instead of using the rolled-back `db` fixture. SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.audit.models import AuditEvent
from app.challenges.models import Challenge
from app.challenges.phases import Phase
from app.integrations.models import OutboxMessage
from app.organizations.models import Organization
from app.submissions import service as submissions
from app.submissions.discussion import service as comments
from app.submissions.models import Comment, Submission
from tests.challenges.conftest import at
from tests.concurrency import at_once
from tests.factories import make_challenge, make_organization, make_submission, make_user

AT_ONCE = 20
SLUG = "samtidig-kommentar"
NOW = at(Phase.OPEN)


@dataclass
class Arena:
    challenge_slug: str
    submission_id: int
    commenter: User
    last_event: int  # audit events after this one are the test's


@pytest.fixture
def arena(threads_engine: Engine) -> Iterator[Arena]:
    with Session(threads_engine, expire_on_commit=False) as session:
        last_event = session.exec(select(func.max(AuditEvent.id))).one() or 0
        last_message = session.exec(select(func.max(OutboxMessage.id))).one() or 0
        organization = make_organization(session, slug=SLUG)
        challenge = make_challenge(session, organization, slug=SLUG)
        lead = make_user(session, email=f"lag@{SLUG}.no")
        commenter = make_user(session, email=f"kommentator@{SLUG}.no")
        submission = make_submission(session, challenge, lead, versions=1)
        session.commit()
        users = [lead.id, commenter.id]
    try:
        yield Arena(SLUG, submission.id, commenter, last_event)
    finally:
        with Session(threads_engine) as session:
            session.exec(delete(Comment).where(col(Comment.submission_id) == submission.id))  # type: ignore[call-overload]
            session.exec(delete(Submission).where(col(Submission.challenge_id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(AuditEvent).where(col(AuditEvent.id) > last_event))  # type: ignore[call-overload]
            session.exec(delete(OutboxMessage).where(col(OutboxMessage.id) > last_message))  # type: ignore[call-overload]
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id).in_(users)))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def test_twenty_identical_comments_at_once_store_one(threads_engine: Engine, arena: Arena) -> None:
    actor = Actor(user=arena.commenter, via="session")
    text = "Flott idé! Hvem vedlikeholder takene?"

    def post(session: Session, challenge: Challenge) -> object:
        submission = submissions.load_submission(session, col(Submission.id) == arena.submission_id)
        assert submission is not None
        return comments.add_comment(
            session, actor=actor, challenge=challenge, submission=submission, body=text, now=NOW
        )

    outcomes = at_once(threads_engine, arena.challenge_slug, [post] * AT_ONCE)

    assert outcomes["ok"] == 1
    # The others are told it is already posted, or (beyond 10 a minute) to slow down.
    assert set(outcomes) <= {"ok", "duplicate-post", "too-many-requests"}
    assert outcomes["duplicate-post"] >= 1
    with Session(threads_engine) as check:
        bodies = check.exec(select(Comment.body).where(Comment.submission_id == arena.submission_id)).all()
        recorded = check.exec(
            select(AuditEvent.action).where(
                col(AuditEvent.id) > arena.last_event, AuditEvent.action == "comment.create"
            )
        ).all()
    assert bodies == [text]
    assert recorded == ["comment.create"]  # and the team is told once
