"""A challenge with a public vote, four public concepts by four teams, and people who may or may not vote."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.challenges.phases import Phase
from tests.challenges.conftest import Cast, at, cast  # noqa: F401  (the `cast` fixture is shared)
from tests.conftest import Client
from tests.factories import make_challenge, make_submission, make_user

VOTING = at(Phase.VOTING)
BEFORE = at(Phase.REVIEW)  # the jury is still at work: the vote has not opened
AFTER = at(Phase.ANNOUNCED)


@dataclass
class Vote:
    """The vote's cast: the challenge, its concepts (the first one's team includes `member`), and voters."""

    challenge: Any
    concepts: list[Any]
    member: User  # on the team of concepts[0]
    voters: list[User]
    unverified: User


def make_vote(db: Session, cast: Cast, *, slug: str = "folkets-valg", **settings: Any) -> Vote:  # noqa: F811
    challenge = make_challenge(db, cast.halden, slug=slug, title="Folkets valg", cohosts=[cast.baerum], **settings)
    member = make_user(db, email=f"medlem@{slug}.no", display_name="Mats Medlem")
    titles = ["Grønne tak", "Bysykler", "Regnbed", "Lesebenker"]
    concepts = []
    for index, title in enumerate(titles):
        lead = make_user(db, email=f"lag{index}@{slug}.no", display_name=f"Lagleder {index}")
        concepts.append(
            make_submission(db, challenge, lead, members=[member] if index == 0 else [], title=title, versions=1)
        )
    voters = [make_user(db, email=f"velger{index}@{slug}.no") for index in range(3)]
    unverified = make_user(db, email=f"ubekreftet@{slug}.no", verified=False)
    db.commit()
    return Vote(challenge, concepts, member, voters, unverified)


@pytest.fixture
def vote(db: Session, cast: Cast) -> Vote:  # noqa: F811
    """One vote each (the default method)."""
    return make_vote(db, cast)


def ballot_url(vote: Vote, rest: str = "") -> str:
    return f"/api/v1/challenges/{vote.challenge.slug}/ballot{rest}"


def vote_url(vote: Vote, concept: Any) -> str:
    return ballot_url(vote, f"/votes/{concept.id}")


def cast_votes(client: Client, vote: Vote, voter: User, *concepts: Any, points: int | None = None) -> None:
    """`voter` votes for `concepts` through the API (each refusal fails the test)."""
    client.sign_in(voter)
    for concept in concepts:
        body = {"points": points} if points else None
        response = client.api("PUT", vote_url(vote, concept), json=body)
        assert response.status_code == 200, response.text
    client.sign_out()
