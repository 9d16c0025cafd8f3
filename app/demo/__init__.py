"""Demo data: the Nordic municipalities behind the idea, with members and citizens. Loading twice changes nothing.

Everything is fixed data (names, texts, logos) stamped with the `now` it is given, so two loads at the same
instant give the same rows. The one exception is the invitation tokens: they are random, because a token
published in this data could be used to join a demo organisation.

One module per domain: `organizations` and `accounts` (the organisations and their people), `challenges`
(challenges in every phase, covers, follows, questions), `submissions` (concepts, the gallery, comments,
feedback, reports, the team finder) and `voting` (citizens' ballots, sealed tallies); `base` holds what they share.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from app.demo import accounts, challenges, jury, organizations, submissions, voting
from app.demo.accounts import DEMO_PASSWORD, DEMO_SIGN_INS, USERS
from app.demo.base import cover_for, png
from app.demo.challenges import (
    CHALLENGE_MARKER_SLUG,
    CHALLENGES,
    COPIES,
    DAILY_DIGEST_CITIZENS,
    FOLLOWS,
    QUESTIONS,
    challenges_loaded,
)
from app.demo.organizations import INVITATIONS, ORGANIZATIONS, is_loaded, logo_for
from app.demo.submissions import HIDDEN_COMMENT, SUBMISSION_SETTINGS, TEAM_FINDER
from app.demo.voting import CAMPAIGN_COUNT, VOTER_COUNT

__all__ = [
    "CAMPAIGN_COUNT",
    "CHALLENGES",
    "CHALLENGE_MARKER_SLUG",
    "COPIES",
    "DAILY_DIGEST_CITIZENS",
    "DEMO_PASSWORD",
    "DEMO_SIGN_INS",
    "FOLLOWS",
    "HIDDEN_COMMENT",
    "INVITATIONS",
    "ORGANIZATIONS",
    "QUESTIONS",
    "SUBMISSION_SETTINGS",
    "TEAM_FINDER",
    "USERS",
    "VOTER_COUNT",
    "challenges_loaded",
    "cover_for",
    "is_loaded",
    "load",
    "logo_for",
    "png",
]


class _Loaded(Protocol):
    def __call__(self, session: Session, /) -> bool: ...


class _Load(Protocol):
    def __call__(self, session: Session, /, *, now: datetime) -> None: ...


def _load_organizations(session: Session, *, now: datetime) -> None:
    """The organisations, their people and the open invitations: one step, as the audit log has always shown it."""
    by_slug = organizations.load(session, now=now)
    users = accounts.load(session, organizations=by_slug, now=now)
    organizations.load_invitations(session, organizations=by_slug, users=users, now=now)


# In order: whether a part of the demo is there, and how to add it. A database loaded by an older version of the
# demo (organisations, no challenges) gets the parts it lacks on the next load, once.
STEPS: tuple[tuple[_Loaded, _Load], ...] = (
    (is_loaded, _load_organizations),
    (challenges_loaded, challenges.load_challenges),
    (challenges.follows_loaded, challenges.load_follows),
    (challenges.covers_loaded, challenges.load_covers),
    (challenges.questions_loaded, challenges.load_questions),
    (submissions.submissions_loaded, submissions.load_submissions),
    (submissions.gallery_loaded, submissions.load_gallery),
    (submissions.comments_loaded, submissions.load_comments),
    (submissions.team_finder_loaded, submissions.load_team_finder),
    (voting.votes_loaded, voting.load_votes),
    (jury.jury_loaded, jury.load_jury),
)


def load(session: Session, *, now: datetime) -> bool:
    """Create the demo data unless it is there; True when something was created. Flushes, never commits."""
    created = False
    for loaded, add in STEPS:
        if not loaded(session):
            add(session, now=now)
            created = True
    return created
