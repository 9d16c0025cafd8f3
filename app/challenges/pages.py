"""Challenge pages for the public: the list with filters in the URL, and a challenge's own page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import ActorDep
from app.actor import Actor
from app.challenges import permissions, service
from app.challenges.follows import service as follows
from app.challenges.models import Challenge, Status, TargetGroup
from app.challenges.phases import Phase, phase_of
from app.challenges.questions import service as questions
from app.challenges.schemas import MAX_PAGE, SDG_GOALS, criteria_read, prize_split_view
from app.clock import ClockDep
from app.db import SessionDep
from app.i18n import format_number
from app.kit import responses
from app.organizations import service as organizations
from app.organizations.models import Organization
from app.submissions import gallery
from app.submissions import permissions as submission_permissions
from app.templating import render

router = APIRouter()
PAGE_SIZE = 12
FRONT_PAGE_SIZE = 6
# Phases the public can filter by (drafts are for their hosts, who find them under /manage).
PUBLIC_PHASES = [phase for phase in Phase if phase != Phase.DRAFT]


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
    if deadline is not None and deadline > now and phase in (Phase.UPCOMING, Phase.OPEN):
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
    listing = service.list_challenges(
        session, actor=actor, filters=service.ListFilters(organization=organization), sort="deadline", page=1,
        size=50, now=now,
    )  # fmt: skip
    return [card(item, now) for item in listing.items]


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


def _choice(value: str | None, allowed: Sequence[str]) -> str | None:
    """A filter value from the URL when it is one of `allowed`; anything else (an empty choice too) is no filter."""
    return value if value in allowed else None


def _sdg(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and int(value) in SDG_GOALS else None


@router.get("/challenges", response_class=HTMLResponse)
def challenge_list(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    phase: Annotated[str | None, Query(max_length=20)] = None,
    organisation: Annotated[str | None, Query(max_length=60)] = None,
    target_group: Annotated[str | None, Query(max_length=30)] = None,
    sdg: Annotated[str | None, Query(max_length=2)] = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    sort: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
) -> Response:
    now = clock.now()
    chosen_phase = _choice(phase, [item.value for item in PUBLIC_PHASES])
    chosen_sort = _choice(sort, service.SORTS) or "deadline"
    filters = service.ListFilters(
        phases=[Phase(chosen_phase)] if chosen_phase else (),
        organization=organisation or None,
        target_group=_choice(target_group, [group.value for group in TargetGroup]),
        sdg_goal=_sdg(sdg),
        q=(q or "").strip() or None,
    )
    chosen: dict[str, str | int | None] = {
        "phase": chosen_phase,
        "organisation": filters.organization,
        "target_group": filters.target_group,
        "sdg": filters.sdg_goal,
        "q": filters.q,
        "sort": chosen_sort,
    }
    listing = service.list_challenges(
        session, actor=actor, filters=filters, sort=chosen_sort, page=page, size=PAGE_SIZE, now=now
    )
    query = {name: value for name, value in chosen.items() if value is not None}

    def page_url(number: int) -> str:
        return "/challenges?" + urlencode({**query, "page": number})

    return render(
        request,
        "challenges/list.html",
        {
            "cards": [card(item, now) for item in listing.items],
            "total": listing.total,
            "page": page,
            "previous_url": page_url(page - 1) if page > 1 else None,
            "next_url": page_url(page + 1) if page * PAGE_SIZE < listing.total else None,
            "chosen": chosen,
            "phases": PUBLIC_PHASES,
            "target_groups": list(TargetGroup),
            "sdg_goals": list(SDG_GOALS),
            "sorts": service.SORTS,
            "organizations": organizations.list_organizations(session),
        },
    )


@router.get("/challenges/{slug}", response_class=HTMLResponse)
def challenge_page(request: Request, slug: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    now = clock.now()
    challenge = service.get_for(session, slug=slug, actor=actor)
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "card": card(challenge, now),
            "criteria": criteria_read(challenge.criteria),
            "prize_split": prize_split_view(challenge),
            "timeline": timeline(challenge, now),
            "reuse_count": service.reuse_count(session, challenge=challenge),
            "tz": challenge.host.timezone,
            "now": now,
            "can_edit": permissions.can_edit(actor, challenge, now),
            "can_publish": permissions.can_publish(actor, challenge, now),
            "can_cancel": permissions.can_cancel(actor, challenge, now),
            "qa": questions.question_section(session, actor=actor, challenge=challenge, now=now),
            "follow": follows.follow_state(session, actor=actor, challenge=challenge),
            "can_manage_cohosts": permissions.can_manage_cohosts(actor, challenge, now),
            "can_copy": permissions.can_copy(actor, challenge, now),
            "concepts": gallery.concept_counts(session, challenge=challenge, actor=actor, now=now),
            "runs_challenge": submission_permissions.runs_challenge(actor, challenge),
        },
    )


# A cover's address names its hash, so a browser or proxy may keep it for a year without asking again.


@router.get("/challenges/{slug}/cover/{sha256}")
def challenge_cover(request: Request, slug: str, sha256: str, session: SessionDep, actor: ActorDep) -> Response:
    challenge = service.get_for(session, slug=slug, actor=actor)  # a draft's cover is a 404 to outsiders too
    cover = service.cover_of(session, challenge=challenge, sha256=sha256)
    # A draft's cover is for its hosts' browsers only, never for a shared cache.
    shared = challenge.status != Status.DRAFT
    return responses.immutable_image(
        request, content=cover.content, content_type=cover.content_type, sha256=cover.sha256, shared=shared
    )
