"""Two reports of the same comment by the same person at once: one row is stored and both requests end calmly.

This test commits for real (two connections must see each other's work), so it arranges and cleans up its own
rows instead of using the rolled-back `db` fixture. Both sessions begin as writers, as a POST's does: on
PostgreSQL the second waits on the unique key, on SQLite at BEGIN IMMEDIATE.
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
from app.db import begin_writing
from app.organizations.models import Organization
from app.submissions.models import Report, ReportTarget, Submission
from app.submissions.moderation import service as moderation
from tests.challenges.conftest import at
from tests.factories import make_challenge, make_comment, make_organization, make_submission, make_user


@pytest.fixture
def committed(engine: Engine) -> Iterator[tuple[Challenge, User, int]]:
    with Session(engine, expire_on_commit=False) as session:
        last_event = session.exec(select(func.max(AuditEvent.id))).one() or 0
        organization = make_organization(session, slug="rapport-kommune")
        challenge_id = make_challenge(session, organization, slug="rapport-samtidig").id
        author = make_user(session, email="rapport-forfatter@example.no")
        reporter = make_user(session, email="rapport-melder@example.no")
        challenge_row = session.get(Challenge, challenge_id)
        submission = make_submission(session, challenge_row, author, versions=1)
        comment = make_comment(session, submission, author=author, body="Stygt ord")
        session.commit()
        comment_id = comment.id or 0
        challenge = get_for(session, slug="rapport-samtidig", actor=Actor.system())
    try:
        yield challenge, reporter, comment_id
    finally:
        with Session(engine) as session:
            session.exec(delete(Report).where(col(Report.challenge_id) == challenge_id))  # type: ignore[call-overload]
            session.exec(delete(Submission).where(col(Submission.challenge_id) == challenge_id))  # type: ignore[call-overload]
            session.exec(delete(AuditEvent).where(col(AuditEvent.id) > last_event))  # type: ignore[call-overload]
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge_id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id).in_([author.id, reporter.id])))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def test_two_reports_at_once_store_one(engine: Engine, committed: tuple[Challenge, User, int]) -> None:
    challenge, reporter, comment_id = committed
    actor = Actor(user=reporter, via="session")
    now = at(Phase.OPEN)
    outcome: dict[str, Any] = {}

    def file(session: Session, reason: str) -> bool:
        _report, created = moderation.report(session, actor=actor, challenge=challenge, kind=ReportTarget.COMMENT,
                                             target_id=comment_id, reason=reason, now=now)  # fmt: skip
        return created

    first = Session(engine, expire_on_commit=False)
    begin_writing(first)
    assert file(first, "Først") is True

    def second_request() -> None:
        with Session(engine) as second:
            begin_writing(second)
            outcome["created"] = file(second, "Samtidig")
            second.commit()

    thread = threading.Thread(target=second_request)
    thread.start()
    time.sleep(0.5)
    first.commit()
    first.close()
    thread.join(timeout=10)
    assert outcome == {"created": False}
    with Session(engine) as check:
        reasons = check.exec(select(Report.reason).where(Report.challenge_id == challenge.id)).all()
    assert reasons == ["Først"]
