"""Factories: valid objects with plausible Nordic data, overridable per test."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.organizations.models import Membership, Organization, OrganizationKind, Role
from app.security import hash_password

PASSWORD = "riktig-hest-batteri-stift"
_sequence = itertools.count(1)
_VERIFIED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@cache
def password_hash() -> str:
    """One Argon2 hash for the shared test password (hashing is deliberately slow)."""
    return hash_password(PASSWORD)


def make_user(
    db: Session,
    *,
    email: str | None = None,
    display_name: str | None = None,
    verified: bool = True,
    platform_admin: bool = False,
    language: str = "nb",
    **fields: Any,
) -> User:
    n = next(_sequence)
    user = User(
        email=(email or f"innbygger{n}@example.no").lower(),
        display_name=display_name or f"Kari Nordmann {n}",
        password_hash=password_hash(),
        email_verified_at=_VERIFIED_AT if verified else None,
        is_platform_admin=platform_admin,
        language=language,
        **fields,
    )
    db.add(user)
    db.flush()
    return user


def make_organization(db: Session, *, slug: str | None = None, name: str | None = None, **fields: Any) -> Organization:
    n = next(_sequence)
    fields.setdefault("kind", OrganizationKind.MUNICIPALITY)
    organization = Organization(slug=slug or f"kommune-{n}", name=name or f"Testkommune {n}", **fields)
    db.add(organization)
    db.flush()
    return organization


def make_member(db: Session, organization: Organization, *, role: Role = Role.EDITOR, user: User | None = None) -> User:
    member = user or make_user(db)
    db.add(Membership(organization_id=organization.id, user_id=member.id, role=role))  # type: ignore[arg-type]
    db.flush()
    return member


# --- challenges --------------------------------------------------------------------------------------------------

# The standard timeline, in days from the test clock's start (tests/conftest.py NOW): a moment inside each
# phase is in tests/challenges/conftest.py.
CHALLENGE_TIMELINE_DAYS = {
    "opens_at": 10,
    "submissions_close_at": 40,
    "review_ends_at": 55,
    "voting_opens_at": 55,
    "voting_closes_at": 65,
    "announce_at": 70,
}
TIMELINE_START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make_challenge(
    db: Session,
    host: Organization,
    *,
    slug: str | None = None,
    title: str | None = None,
    status: str = "published",
    cohosts: list[Organization] | None = None,
    criteria: list[tuple[str, int]] | None = None,
    start: datetime = TIMELINE_START,
    **fields: Any,
) -> Any:
    """A challenge of `host` with two criteria, a jury, a public vote and the standard timeline from `start`."""
    from datetime import timedelta

    from app.challenges.models import Challenge, ChallengeCoHost, Criterion

    n = next(_sequence)
    dates = {name: start + timedelta(days=days) for name, days in CHALLENGE_TIMELINE_DAYS.items()}
    fields.setdefault("voting_method", "single")
    if status != "draft":
        fields.setdefault("published_at", start)
    challenge = Challenge(
        host_id=host.id,  # type: ignore[arg-type]
        slug=slug or f"utfordring-{n}",
        title=title or f"Utfordring {n}",
        summary=fields.pop("summary", "Hvordan kan kommunen gjøre sentrum grønnere?"),
        status=status,
        **{**dates, **fields},
    )
    challenge.criteria = [
        Criterion(name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(criteria or [("Nytteverdi", 3), ("Gjennomførbarhet", 1)])
    ]
    challenge.cohosts = [ChallengeCoHost(organization_id=org.id) for org in cohosts or []]  # type: ignore[misc]
    db.add(challenge)
    db.flush()
    return challenge


def make_question(
    db: Session,
    challenge: Any,
    *,
    author: User | None = None,
    body: str = "Kan vi sende inn et konsept som allerede er testet i en annen kommune?",
    answer: str = "",
    answered_by: User | None = None,
    **fields: Any,
) -> Any:
    """A question on `challenge`, waiting for an answer unless `answer` is given (then answered at the test clock)."""
    from app.challenges.models import Question

    fields.setdefault("created_at", TIMELINE_START)
    if answer:
        fields.setdefault("answered_at", TIMELINE_START)
    question = Question(
        challenge_id=challenge.id,
        author_id=(author or make_user(db)).id,
        body=body,
        answer=answer,
        answered_by_id=answered_by.id if answered_by else None,
        **fields,
    )
    db.add(question)
    db.flush()
    return question


# --- submissions -------------------------------------------------------------------------------------------------


def make_submission(
    db: Session,
    challenge: Any,
    lead: User,
    *,
    members: list[User] | None = None,
    title: str = "Grønne tak i sentrum",
    terms_accepted: bool = True,
    versions: int = 0,
    status: str | None = None,
    **fields: Any,
) -> Any:
    """A concept on `challenge` led by `lead` (members accepted their terms unless told), with `versions` stored
    versions of its text; `status` follows from the versions unless given."""
    from app.submissions.models import MemberRole, Submission, SubmissionMember, SubmissionVersion

    accepted = TIMELINE_START if terms_accepted else None
    submission = Submission(
        challenge_id=challenge.id,
        title=title,
        summary=fields.pop("summary", "Tak som samler regnvann og gir skygge."),
        body=fields.pop("body", "## Idé\nVi planter sedum på kommunale tak."),
        status=status or ("submitted" if versions else "draft"),
        version_count=versions,
        submitted_at=TIMELINE_START if versions else None,
        created_by_id=lead.id,
        **fields,
    )
    submission.members = [SubmissionMember(user_id=lead.id, role=MemberRole.LEAD, terms_accepted_at=accepted)]  # type: ignore[arg-type]
    submission.members += [
        SubmissionMember(user_id=member.id, role=MemberRole.MEMBER, terms_accepted_at=accepted)  # type: ignore[arg-type]
        for member in members or []
    ]
    db.add(submission)
    db.flush()
    for number in range(1, versions + 1):
        db.add(
            SubmissionVersion(
                submission_id=submission.id,  # type: ignore[arg-type]
                number=number,
                title=title if number == versions else f"{title} (utkast {number})",
                summary=submission.summary,
                body=submission.body,
                team_name=submission.team_name,
                submitted_by_id=lead.id,
                created_at=TIMELINE_START,
            )
        )
    db.flush()
    return submission
