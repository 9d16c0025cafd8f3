"""The vote holds under concurrent requests: real threads, each with its own connection and transaction, against
the service layer as the request handlers call it. They commit for real (each must see the others' work), so these
tests arrange and clean up their own rows instead of using the rolled-back `db` fixture. SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import delete, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.challenges.models import Challenge
from app.challenges.service import get_for
from app.organizations.models import Organization
from app.submissions.models import Submission
from app.voting import service
from app.voting.models import Ballot, BallotItem
from tests.concurrency import at_once
from tests.factories import make_challenge, make_organization, make_submission, make_user
from tests.voting.conftest import VOTING

CONCEPTS = 50
VOTERS = 200


@dataclass
class Arena:
    challenge_id: int
    concepts: list[int]
    voters: list[User]


def _arena(engine: Engine, **settings: Any) -> Iterator[Arena]:
    with Session(engine, expire_on_commit=False) as session:
        organization = make_organization(session, slug="samtidig-stemme")
        challenge = make_challenge(session, organization, slug="samtidig-stemme", **settings)
        lead = make_user(session, email="lag@samtidig-stemme.no")
        concepts = [make_submission(session, challenge, lead, title=f"Idé {n}", versions=1).id for n in range(CONCEPTS)]
        voters = [make_user(session, email=f"velger{n}@samtidig-stemme.no") for n in range(VOTERS)]
        session.commit()
        users = [lead.id, *(voter.id for voter in voters)]
    try:
        yield Arena(challenge.id, concepts, voters)
    finally:
        with Session(engine) as session:
            session.exec(delete(Ballot).where(col(Ballot.challenge_id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(Submission).where(col(Submission.challenge_id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(Challenge).where(col(Challenge.id) == challenge.id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id).in_(users)))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


@pytest.fixture
def multiple(threads_engine: Engine) -> Iterator[Arena]:
    yield from _arena(threads_engine, voting_method="multiple", votes_per_voter=3)


@pytest.fixture
def points(threads_engine: Engine) -> Iterator[Arena]:
    yield from _arena(threads_engine, voting_method="points", votes_per_voter=10, max_points_per_concept=4)


def items(engine: Engine, arena: Arena) -> list[tuple[int | None, int, int]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Ballot.voter_id, BallotItem.submission_id, BallotItem.points)
            .join(BallotItem, col(BallotItem.ballot_id) == Ballot.id)
            .where(col(Ballot.challenge_id) == arena.challenge_id)
        ).all()
    return list(rows)


def voting(user: User, concept: int, points: int = 1) -> Callable[[Session, Challenge], object]:
    actor = Actor(user=user, via="session")
    vote = service.Vote(concept, points)
    return lambda session, challenge: service.vote(session, challenge=challenge, actor=actor, vote=vote, now=VOTING)


def test_fifty_different_votes_at_once_from_one_voter_store_exactly_the_limit(
    threads_engine: Engine, multiple: Arena
) -> None:
    voter = multiple.voters[0]
    outcomes = at_once(threads_engine, "samtidig-stemme", [voting(voter, concept) for concept in multiple.concepts])
    assert outcomes == Counter({"ok": 3, "vote-limit-reached": 47})
    assert len(items(threads_engine, multiple)) == 3
    with Session(threads_engine) as session:
        assert session.exec(select(func.count()).select_from(Ballot)).one() == 1


def test_fifty_identical_votes_at_once_store_one(threads_engine: Engine, multiple: Arena) -> None:
    voter, concept = multiple.voters[0], multiple.concepts[0]
    outcomes = at_once(threads_engine, "samtidig-stemme", [voting(voter, concept) for _ in range(50)])
    assert outcomes == Counter({"ok": 50})  # the same vote again changes nothing
    assert items(threads_engine, multiple) == [(voter.id, concept, 1)]


def test_points_at_once_never_exceed_the_total_or_the_most_on_one_concept(
    threads_engine: Engine, points: Arena
) -> None:
    voter = points.voters[0]
    calls = [voting(voter, concept, 1 + n % 4) for n, concept in enumerate(points.concepts)]
    outcomes = at_once(threads_engine, "samtidig-stemme", calls)
    stored = items(threads_engine, points)
    assert sum(given for *_, given in stored) <= 10
    assert all(given <= 4 for *_, given in stored)
    assert outcomes["ok"] == len(stored)
    assert outcomes["ok"] + outcomes["vote-limit-reached"] == CONCEPTS


def test_two_hundred_voters_at_once_are_all_counted_once(threads_engine: Engine, multiple: Arena) -> None:
    calls = [voting(voter, multiple.concepts[n % 7]) for n, voter in enumerate(multiple.voters)]
    outcomes = at_once(threads_engine, "samtidig-stemme", calls)
    assert outcomes == Counter({"ok": VOTERS})
    stored = items(threads_engine, multiple)
    assert len(stored) == VOTERS
    assert len({voter for voter, *_ in stored}) == VOTERS
    with Session(threads_engine) as session:
        challenge = get_for(session, slug="samtidig-stemme", actor=Actor.system())
        counts, cast = service._live_counts(session, challenge=challenge)
    assert cast == VOTERS
    expected = Counter(multiple.concepts[n % 7] for n in range(VOTERS))
    assert {concept: count for concept, count in counts.items() if count} == dict(expected)
