"""A challenge open for concepts, its hosts and a team: Halden hosts with Bærum, Stavanger looks on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.challenges.phases import Phase
from app.clock import FrozenClock
from tests.challenges.conftest import Cast, at, cast  # noqa: F401  (the `cast` fixture is shared)
from tests.factories import make_challenge, make_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class Team:
    lead: User
    member: User
    invitee: User


@pytest.fixture
def team(db: Session) -> Team:
    team = Team(
        lead=make_user(db, email="lead@example.no", display_name="Liv Leder"),
        member=make_user(db, email="medlem@example.no", display_name="Mats Medlem", language="sv"),
        invitee=make_user(db, email="invitert@example.no", display_name="Ida Invitert"),
    )
    db.commit()
    return team


@pytest.fixture
def challenge(db: Session, cast: Cast) -> object:  # noqa: F811
    """Halden's challenge, co-hosted by Bærum, open for concepts of 1 to 3 people, 1 per person."""
    made = make_challenge(
        db, cast.halden, slug="gronne-tak", title="Grønnere sentrum", cohosts=[cast.baerum], team_size_max=3,
        terms_text="Konseptet kan brukes fritt av kommunen.",
    )  # fmt: skip
    db.commit()
    return made


@pytest.fixture
def open_now(clock: FrozenClock) -> FrozenClock:
    clock.at = at(Phase.OPEN)
    return clock
