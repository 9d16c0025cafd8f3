"""Demo public votes: a few hundred citizens' ballots on the challenges whose vote is open, closed or announced,
one method each, sealed where the vote has closed; the closed one shows a campaign of new accounts from one
network in its integrity report."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.challenges.models import Challenge
from app.demo.accounts import DEMO_PASSWORD, USERS
from app.demo.base import challenge_by_slug, id_of
from app.errors import NotFound
from app.security import hash_password
from app.submissions.models import Submission, SubmissionStatus
from app.voting import permissions
from app.voting import service as voting
from app.voting.models import Ballot, BallotItem

# Citizens who vote and do nothing else (they sign in with the demo password, to see their receipts).
VOTER_COUNT = 300
# New accounts, made during the closed challenge's vote from one network, all voting for one concept.
CAMPAIGN_COUNT = 30
FIRST_NAMES = "Anne Bjørn Camilla Daniel Elin Fredrik Guro Håkon Ingrid Jakob Karin Lars Marte Nils Olivia".split()
LAST_NAMES = "Berg Dahl Eriksen Fjeld Haugen Johansen Lie Moen Nygård Strand Lund Holm Sandvik Vik Bakken".split()
# (challenge slug, share of the voters who vote there, seed): the voting challenge, the closed one, the announced.
VOTES: tuple[tuple[str, float, int], ...] = (
    ("energismarte-hjem", 0.8, 11),
    ("biblioteket-som-moteplass", 0.7, 12),
    ("virtuell-korttidsavdeling", 0.6, 13),
)
CAMPAIGN_SLUG = "biblioteket-som-moteplass"


def voter_email(number: int) -> str:
    return f"velger{number:03d}@example.org"


def votes_loaded(session: Session) -> bool:
    return session.exec(select(User.id).where(User.email == voter_email(1))).first() is not None


def _voters(session: Session, *, now: datetime) -> list[User]:
    """The demo's voting citizens, made a year ago (verified)."""
    made = now - timedelta(days=365)
    password = _demo_password_hash(session)
    voters = [
        User(
            email=voter_email(number),
            display_name=f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {LAST_NAMES[number % len(LAST_NAMES)]}",
            password_hash=password,
            email_verified_at=made,
            created_at=made,
        )
        for number in range(1, VOTER_COUNT + 1)
    ]
    session.add_all(voters)
    session.flush()
    return voters


def _demo_password_hash(session: Session) -> str:
    """The demo people's password hash, shared (Argon2 is deliberately slow, and one hash signs everyone in)."""
    emails = [person.email for person in USERS]
    found = session.exec(select(User.password_hash).where(col(User.email).in_(emails))).first()
    return found or hash_password(DEMO_PASSWORD)


def _campaign(session: Session, challenge: Challenge, password: str) -> list[User]:
    """Accounts made one by one during the vote (a campaign a host should see before announcing)."""
    opens = challenge.voting_opens_at
    assert opens is not None  # noqa: S101  (the campaign's challenge has a vote)
    accounts = [
        User(
            email=f"ny{number:02d}@kampanje.example.org",
            display_name=f"Ny bruker {number}",
            password_hash=password,
            email_verified_at=opens + timedelta(hours=number),
            created_at=opens + timedelta(hours=number),
        )
        for number in range(1, CAMPAIGN_COUNT + 1)
    ]
    session.add_all(accounts)
    session.flush()
    return accounts


def _concepts(session: Session, challenge: Challenge) -> list[int]:
    ids = session.exec(
        select(Submission.id)
        .where(col(Submission.challenge_id) == challenge.id, col(Submission.status) == SubmissionStatus.SUBMITTED)
        .order_by(col(Submission.id))
    ).all()
    return [submission_id for submission_id in ids if submission_id is not None]


def _items(challenge: Challenge, concepts: list[int], chooser: random.Random) -> dict[int, int]:
    """One voter's ballot under the challenge's method, favouring the first concepts (a race with a leader)."""
    weights = [len(concepts) - index + 2 for index in range(len(concepts))]
    method = challenge.voting_method
    if method == "single":
        return {chooser.choices(concepts, weights)[0]: 1}
    if method == "multiple":
        count = chooser.randint(1, min(challenge.votes_per_voter, len(concepts)))
        return dict.fromkeys(sorted(set(chooser.choices(concepts, weights, k=count))), 1)
    points: dict[int, int] = {}
    left = challenge.votes_per_voter
    while left:
        concept = chooser.choices(concepts, weights)[0]
        if points.get(concept, 0) < challenge.max_points_per_concept:
            points[concept] = points.get(concept, 0) + 1
            left -= 1
    return points


def _ballot(challenge: Challenge, voter: User, moment: datetime, network: str) -> Ballot:
    opens = challenge.voting_opens_at
    return Ballot(
        challenge_id=id_of(challenge),
        voter_id=id_of(voter),
        receipt=voting.new_receipt(),
        new_account=opens is not None and voter.created_at >= opens,
        network_hash=voting.network_hash(network),
        created_at=moment,
        updated_at=moment,
    )


def _cast(
    session: Session, challenge: Challenge, voters: list[User], *, share: float, seed: int, now: datetime
) -> None:
    concepts = _concepts(session, challenge)
    opens, closes = challenge.voting_opens_at, challenge.voting_closes_at
    if not concepts or opens is None or closes is None:
        return
    chooser = random.Random(seed)  # noqa: S311  (demo data, not security)
    window = max(int((min(closes, now) - opens).total_seconds()), 3600)
    for number, voter in enumerate(voters):
        if chooser.random() > share:
            continue
        moment = opens + timedelta(seconds=chooser.randrange(window))
        # Most households are alone on their network; some share one (a school, an office).
        network = f"10.{number % 7}.{number // 3 % 250}.{number % 200 + 1}"
        ballot = _ballot(challenge, voter, moment, network)
        session.add(ballot)
        session.flush()
        items = _items(challenge, concepts, chooser)
        ballot_id = id_of(ballot)
        session.add_all(
            BallotItem(ballot_id=ballot_id, submission_id=concept, points=points, created_at=moment)
            for concept, points in items.items()
        )
    session.flush()


def load_votes(session: Session, *, now: datetime) -> None:
    """Ballots on the demo's votes, and the tallies of those that have closed sealed, as the worker would."""
    voters = _voters(session, now=now)
    password = voters[0].password_hash or ""
    for slug, share, seed in VOTES:
        try:
            challenge = challenge_by_slug(session, slug)
        except NotFound:
            continue
        _cast(session, challenge, voters, share=share, seed=seed, now=now)
        if slug == CAMPAIGN_SLUG:
            _campaign_votes(session, challenge, password)
        if permissions.voting_has_closed(challenge, now):
            voting.seal(session, challenge=challenge, now=now)


def _campaign_votes(session: Session, challenge: Challenge, password: str) -> None:
    concepts = _concepts(session, challenge)
    if not concepts:
        return
    favourite = concepts[-1]  # the last concept, which the other voters like least
    for number, account in enumerate(_campaign(session, challenge, password)):
        ballot = _ballot(challenge, account, account.created_at, f"203.0.113.{number + 1}")
        session.add(ballot)
        session.flush()
        item = BallotItem(ballot_id=id_of(ballot), submission_id=favourite, points=1, created_at=account.created_at)
        session.add(item)
    session.flush()
