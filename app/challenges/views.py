"""What other pages show of challenges: cards (phase, hosts, deadline, prize), timelines, and the lists of cards."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.actor import Actor
from app.challenges import service
from app.challenges.models import Challenge
from app.challenges.phases import Action, Phase, allows, phase_of
from app.i18n import format_number
from app.organizations.models import Organization

FRONT_PAGE_SIZE = 6
ORGANIZATION_PAGE_SIZE = 50
MANAGED_PAGE_SIZE = 50


@dataclass(frozen=True)
class Step:
    """One phase on a challenge's timeline, with the moment it starts."""

    phase: Phase
    starts: datetime | None
    current: bool


@dataclass(frozen=True)
class Card:
    """What a challenge card shows, worked out once in Python so the template only lays it out."""

    challenge: Challenge
    phase: Phase
    hosts: list[Organization]
    timezone: str
    deadline: datetime | None
    days_left: int | None
    prize: str


def prize_amount(challenge: Challenge) -> str:
    """The total prize in whole currency units ("50 000 NOK"), or "" when none is given."""
    if challenge.prize_amount is None:
        return ""
    return f"{format_number(challenge.prize_amount // 100)} {challenge.prize_currency}"


def hosts_of(challenge: Challenge) -> list[Organization]:
    return [challenge.host, *(cohost.organization for cohost in challenge.cohosts)]


def card(challenge: Challenge, now: datetime) -> Card:
    """A challenge as a card: phase, hosts, deadline with days left, prize."""
    phase = phase_of(challenge, now)
    deadline = challenge.submissions_close_at
    days_left = None
    if deadline is not None and deadline > now and allows(challenge, Action.COUNT_DOWN, now):
        days_left = math.ceil((deadline - now).total_seconds() / 86400)
    return Card(
        challenge=challenge,
        phase=phase,
        hosts=hosts_of(challenge),
        timezone=challenge.host.timezone,
        deadline=deadline,
        days_left=days_left,
        prize=prize_amount(challenge),
    )


def open_challenge_cards(
    session: Session, *, actor: Actor, now: datetime, organization: str | None = None
) -> list[Card]:
    """Up to six open challenges, deadline first (the front page)."""
    filters = service.ListFilters(phases=[Phase.OPEN], organization=organization)
    listing = service.list_challenges(
        session, actor=actor, filters=filters, sort="deadline", page=1, size=FRONT_PAGE_SIZE, now=now
    )
    return [card(item, now) for item in listing.items]


def organization_cards(session: Session, *, actor: Actor, organization: str, now: datetime) -> list[Card]:
    """The organisation's published challenges (hosted or co-hosted), deadline first."""
    filters = service.ListFilters(organization=organization)
    listing = service.list_challenges(
        session, actor=actor, filters=filters, sort="deadline", page=1, size=ORGANIZATION_PAGE_SIZE, now=now
    )
    return [card(item, now) for item in listing.items]


def managed_challenges(
    session: Session, *, actor: Actor, organizations_: Sequence[Organization], now: datetime
) -> list[tuple[Organization, list[Card]]]:
    """Each organisation's challenges (drafts included), newest first, for the manage home page."""
    organization_ids = [org.id for org in organizations_ if org.id is not None]
    by_organization = service.challenges_by_organization(
        session, actor=actor, organization_ids=organization_ids, now=now, limit=MANAGED_PAGE_SIZE
    )
    return [(org, [card(item, now) for item in by_organization.get(org.id or 0, [])]) for org in organizations_]


def timeline(challenge: Challenge, now: datetime) -> list[Step]:
    """The phases this challenge goes through (skipped ones left out), the current one marked."""
    current = phase_of(challenge, now)
    steps = [
        (Phase.UPCOMING, challenge.published_at),
        (Phase.OPEN, challenge.opens_at),
        (Phase.REVIEW, challenge.submissions_close_at if challenge.review_ends_at else None),
        (Phase.VOTING, challenge.voting_opens_at),
        (Phase.CLOSED, challenge.voting_closes_at or challenge.review_ends_at or challenge.submissions_close_at),
        (Phase.ANNOUNCED, challenge.announce_at),
    ]
    kept = [(phase, starts) for phase, starts in steps if starts is not None or phase == Phase.UPCOMING]
    return [Step(phase=phase, starts=starts, current=phase == current) for phase, starts in kept]
