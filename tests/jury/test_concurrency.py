"""The jury holds under concurrent requests: real threads, each with its own connection and transaction, against
the service layer as the handlers call it (committing for real, so the arena cleans up after itself). Two first
writers make one panel; two announcements make one; a conflict declared while the assignment runs is never left
assigned. SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor, Role
from app.audit.models import AuditEvent
from app.challenges.models import Challenge
from app.challenges.phases import Phase
from app.challenges.service import get_for
from app.integrations.models import OutboxMessage
from app.jury import awards, service
from app.jury.models import Announcement, JuryAssignment, JuryPanel
from app.organizations.models import Organization
from tests.challenges.conftest import at
from tests.concurrency import at_once
from tests.factories import make_challenge, make_juror, make_organization, make_submission, make_user

SLUG = "samtidig-jury"
REVIEW, CLOSED = at(Phase.REVIEW), at(Phase.CLOSED)


@dataclass
class Arena:
    challenge_id: int
    host: Actor
    concepts: list[int]
    jurors: list[tuple[int, Actor]]  # seat id, the juror acting


@pytest.fixture
def arena(threads_engine: Engine) -> Iterator[Arena]:
    with Session(threads_engine, expire_on_commit=False) as session:
        organization = make_organization(session, slug=SLUG)
        challenge = make_challenge(session, organization, slug=SLUG, voting_method="none")
        host_user = make_user(session, email=f"vert@{SLUG}.no")
        people = [make_user(session, email=f"jurymedlem{n}@{SLUG}-{n}.no") for n in range(4)]
        seats = [make_juror(session, challenge, person) for person in people]
        leads = [make_user(session, email=f"lag{n}@lag-{SLUG}.no") for n in range(6)]
        concepts = [
            make_submission(session, challenge, lead, title=f"Idé {n}", versions=1) for n, lead in enumerate(leads)
        ]
        session.commit()
        users = [host_user.id, *(p.id for p in people), *(lead.id for lead in leads)]
        host = Actor(user=host_user, roles={organization.id: Role.EDITOR}, via="session")
        jurors = [(seat.id, Actor(user=person, via="session")) for seat, person in zip(seats, people, strict=True)]
    try:
        yield Arena(challenge.id, host, [c.id for c in concepts], jurors)
    finally:
        with Session(threads_engine) as session:
            # What the writes left behind: their audit events (the newest, so the chain before them still holds)
            # and the emails they queued.
            session.exec(delete(AuditEvent).where(col(AuditEvent.organization_id) == organization.id))  # type: ignore[call-overload]
            session.exec(delete(OutboxMessage).where(col(OutboxMessage.recipient).like(f"%{SLUG}%")))  # type: ignore[call-overload]
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id).in_(users)))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def test_two_hosts_first_writes_at_once_make_one_panel(threads_engine: Engine, arena: Arena) -> None:
    def set_jurors(count: int) -> Callable[[Session, Challenge], object]:
        return lambda s, c: service.update_panel(s, actor=arena.host, challenge=c, now=REVIEW, jurors_per_concept=count)

    assert at_once(threads_engine, SLUG, [set_jurors(2), set_jurors(4)]) == Counter({"ok": 2})
    with Session(threads_engine) as session:
        [panel] = session.exec(select(JuryPanel).where(JuryPanel.challenge_id == arena.challenge_id)).all()
        assert panel.jurors_per_concept in (2, 4)


def test_two_announcements_at_once_make_one(threads_engine: Engine, arena: Arena) -> None:
    with Session(threads_engine, expire_on_commit=False) as session:
        challenge = get_for(session, slug=SLUG, actor=Actor.system())
        first = awards.AwardIn(arena.concepts[0], awards.AwardKind.FIRST)
        awards.replace_awards(session, actor=arena.host, challenge=challenge, awards=[first], now=CLOSED)
        session.commit()

    def announce(session: Session, challenge: Challenge) -> object:
        return awards.announce(session, actor=arena.host, challenge=challenge, feedback_to_entrants=False, now=CLOSED)

    assert at_once(threads_engine, SLUG, [announce, announce]) == Counter({"ok": 1, "already-announced": 1})
    with Session(threads_engine) as session:
        assert len(session.exec(select(Announcement).where(Announcement.challenge_id == arena.challenge_id)).all()) == 1


def test_a_conflict_declared_while_the_assignment_runs_is_never_left_assigned(
    threads_engine: Engine, arena: Arena
) -> None:
    seat, juror = arena.jurors[0]
    declares = [
        lambda s, c, concept=concept: service.declare_conflict(
            s, actor=juror, challenge=c, submission_id=concept, reason="", now=REVIEW
        )
        for concept in arena.concepts[:3]
    ]
    runs = [lambda s, c: service.run_assignment(s, actor=arena.host, challenge=c, now=REVIEW) for _ in range(3)]
    outcomes = at_once(threads_engine, SLUG, [*declares, *runs])
    assert outcomes == Counter({"ok": 6})
    with Session(threads_engine) as session:
        mine = set(session.exec(select(JuryAssignment.submission_id).where(JuryAssignment.juror_id == seat)).all())
    assert not mine & set(arena.concepts[:3])
