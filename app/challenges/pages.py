"""Challenge pages for the public: the list with filters in the URL, and a challenge's own page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import ActorDep
from app.challenges import permissions, service, views
from app.challenges.deps import ChallengeDep
from app.challenges.follows import service as follows
from app.challenges.models import Status, TargetGroup
from app.challenges.phases import PUBLIC_PHASES, Phase
from app.challenges.questions import service as questions
from app.challenges.schemas import SDG_GOALS, criteria_read, prize_split_view
from app.clock import ClockDep
from app.db import SessionDep
from app.jury import views as jury_views
from app.kit import forms, responses
from app.kit.pagination import MAX_PAGE
from app.organizations import service as organizations
from app.submissions import permissions as submission_permissions
from app.submissions import views as submission_views
from app.templating import render

router = APIRouter()
PAGE_SIZE = 12


def _choice(value: str | None, allowed: Sequence[str]) -> str | None:
    """A filter value from the URL when it is one of `allowed`; anything else (an empty choice too) is no filter."""
    return value if value in allowed else None


def _sdg(value: str | None) -> int | None:
    goal = forms.whole_number(value, max_digits=2)
    return goal if goal in SDG_GOALS else None


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
            "cards": [views.card(item, now) for item in listing.items],
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
def challenge_page(
    request: Request, challenge: ChallengeDep, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> Response:
    now = clock.now()
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "card": views.card(challenge, now),
            "criteria": criteria_read(challenge.criteria),
            "prize_split": prize_split_view(challenge),
            "timeline": views.timeline(challenge, now),
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
            "concepts": submission_views.concept_counts(session, challenge=challenge, actor=actor, now=now),
            "runs_challenge": submission_permissions.runs_challenge(actor, challenge),
            "jury": jury_views.jury_links(session, challenge=challenge, actor=actor),
            "follow_up": jury_views.follow_up_of_challenge(session, challenge=challenge, now=now),
            "awards_announced": jury_views.awards_announced(session, challenge=challenge, now=now),
        },
    )


# A cover's address names its hash, so a browser or proxy may keep it for a year without asking again.


@router.get("/challenges/{slug}/cover/{sha256}")
def challenge_cover(request: Request, challenge: ChallengeDep, sha256: str, session: SessionDep) -> Response:
    # A draft's cover is a 404 to outsiders too (the challenge is looked up as the caller sees it).
    cover = service.cover_of(session, challenge=challenge, sha256=sha256)
    # A draft's cover is for its hosts' browsers only, never for a shared cache.
    shared = challenge.status != Status.DRAFT
    return responses.immutable_image(
        request, content=cover.content, content_type=cover.content_type, sha256=cover.sha256, shared=shared
    )
