"""A challenge with a jury: Halden hosts, Bærum co-hosts, five submitted concepts, four jurors (one of them on a
team, one sharing an email domain with a team), and the people who are not on the jury."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.challenges.phases import Phase
from tests.challenges.conftest import Cast, at, cast  # noqa: F401  (the `cast` fixture is shared)
from tests.conftest import Client
from tests.factories import make_challenge, make_juror, make_submission, make_user

OPEN = at(Phase.OPEN)
REVIEW = at(Phase.REVIEW)
AFTER_REVIEW = at(Phase.VOTING)
ANNOUNCED = at(Phase.ANNOUNCED)
TITLES = ["Grønne tak", "Bysykler", "Regnbed", "Lesebenker", "Delebiler"]


@dataclass
class Jury:
    challenge: Any
    concepts: list[Any]  # concepts[0]'s team includes jurors[3]; concepts[1]'s lead writes from @fjordlab.no
    jurors: list[Any]  # seats: jurors[0] chairs
    people: list[User]  # the jurors' accounts, in the same order
    team_lead: User  # leads concepts[0]
    criteria: list[int]  # the challenge's criteria ids: Nytteverdi (weight 3), Gjennomførbarhet (weight 1)


def make_jury(db: Session, cast: Cast, *, slug: str = "gronn-by", **settings: Any) -> Jury:  # noqa: F811
    challenge = make_challenge(db, cast.halden, slug=slug, title="Grønn by", cohosts=[cast.baerum], **settings)
    people = [
        make_user(db, email="ada@met.no", display_name="Ada Leder"),
        make_user(db, email="bo@ntnu.no", display_name="Bo Streng"),
        make_user(db, email="cia@fjordlab.no", display_name="Cia Fjord"),
        make_user(db, email="dag@uio.no", display_name="Dag Deltaker"),
    ]
    jurors = [
        make_juror(db, challenge, person, role="chair" if n == 0 else "member") for n, person in enumerate(people)
    ]
    leads = [make_user(db, email=f"lag{n}@{'fjordlab.no' if n == 1 else 'lag.no'}") for n in range(len(TITLES))]
    concepts = [
        make_submission(db, challenge, lead, members=[people[3]] if n == 0 else [], title=title, versions=1)
        for n, (lead, title) in enumerate(zip(leads, TITLES, strict=True))
    ]
    criteria = [criterion.id for criterion in challenge.criteria]
    db.commit()
    return Jury(challenge, concepts, jurors, people, leads[0], criteria)


@pytest.fixture(autouse=True)
def _in_english(request: pytest.FixtureRequest) -> None:
    """Requests in English, whatever the catalogues hold, so assertions read as what an English reader sees."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").headers["Accept-Language"] = "en"


@pytest.fixture
def jury(db: Session, cast: Cast) -> Jury:  # noqa: F811
    return make_jury(db, cast)


def jury_url(jury: Jury, rest: str = "") -> str:
    return f"/api/v1/challenges/{jury.challenge.slug}/jury{rest}"


def run_assignment(client: Client, jury: Jury, host: User) -> dict[str, Any]:
    """A host runs the assignment through the API (in the review phase)."""
    client.clock.at = REVIEW
    client.sign_in(host)
    response = client.api("POST", jury_url(jury, "/assignments/run"))
    assert response.status_code == 200, response.text
    client.sign_out()
    return dict(response.json())
