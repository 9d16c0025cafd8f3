"""The challenges API under /api/v1: list, read, draft, edit, publish, cancel, criteria, co-hosts and copies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, Response, UploadFile, status
from sqlmodel import Session

from app.auth.deps import ActorDep, SignedInDep
from app.challenges import service
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.challenges.models import Challenge, Status, TargetGroup
from app.challenges.phases import Phase
from app.challenges.schemas import (
    MAX_COVER_BYTES,
    MAX_PAGE_SIZE,
    ChallengeCancel,
    ChallengeCopy,
    ChallengeCreate,
    ChallengePage,
    ChallengeRead,
    ChallengeSort,
    ChallengeUpdate,
    CoHostAdd,
    CriteriaReplace,
)
from app.clock import Clock, ClockDep
from app.db import SessionDep
from app.kit import bodies, images, responses, urls
from app.kit.pagination import MAX_PAGE, next_page_url, page_size
from app.openapi import CONFLICT, NOT_FOUND, problems

router = APIRouter(tags=["challenges"])
Responses = dict[int | str, dict[str, Any]]
NOT_MODIFIED: Responses = {304: {"description": "Not modified (the `If-None-Match` ETag still matches)"}}
MISSING: Responses = dict(NOT_FOUND.items())
CONFLICTING: Responses = dict(CONFLICT.items())
WRITE_ERRORS: Responses = {**MISSING, **CONFLICTING}


def _read(session: Session, challenge: Challenge, clock: Clock) -> ChallengeRead:
    return ChallengeRead.from_model(
        challenge, now=clock.now(), reuse_count=service.reuse_count(session, challenge=challenge)
    )


@router.get(
    "/challenges",
    response_model=ChallengePage,
    summary="List challenges",
    description=(
        "Published challenges by default; pass `phase` (repeatable) for others. Drafts are listed only for "
        "their hosts. Filters combine; `q` searches titles and summaries."
    ),
    responses=NOT_MODIFIED,
)
def list_challenges(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    phase: Annotated[list[Phase] | None, Query(description="Only challenges in these phases.")] = None,
    organisation: Annotated[str | None, Query(max_length=60, description="Hosted or co-hosted by (slug).")] = None,
    target_group: Annotated[TargetGroup | None, Query()] = None,
    sdg: Annotated[int | None, Query(ge=1, le=17, description="A UN Sustainable Development Goal, 1–17.")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Words in the title or summary.")] = None,
    sort: Annotated[ChallengeSort, Query(description="The next deadline, the newest or the largest prize first.")] = (
        ChallengeSort.NEWEST
    ),
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")] = 1,
    size: Annotated[int, Query(ge=1, description=f"Items per page; at most {MAX_PAGE_SIZE}.")] = 20,
) -> Response:
    size = page_size(size, cap=MAX_PAGE_SIZE)
    now = clock.now()
    filters = service.ListFilters(
        phases=phase or (), organization=organisation, target_group=target_group, sdg_goal=sdg, q=q
    )
    listing = service.list_challenges(session, actor=actor, filters=filters, sort=sort, page=page, size=size, now=now)
    items = [
        ChallengeRead.from_model(item, now=now, reuse_count=listing.reuse_counts.get(item.id or 0, 0))
        for item in listing.items
    ]
    next_url = next_page_url(request.url, page=page, size=size, total=listing.total)
    body = ChallengePage(items=items, page=page, size=size, total=listing.total, next=next_url)
    return responses.json_with_etag(request, body, shared=not actor.is_authenticated)


@router.get(
    "/challenges/{slug}",
    response_model=ChallengeRead,
    summary="Get a challenge, with its phase, criteria and hosts",
    responses={**MISSING, **NOT_MODIFIED},
)
def get_challenge(
    request: Request, challenge: ChallengeDep, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> Response:
    return responses.json_with_etag(request, _read(session, challenge, clock), shared=challenge.status != Status.DRAFT)


@router.post(
    "/challenges",
    response_model=ChallengeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Draft a challenge in your organisation",
    description="Editors, admins and owners of `organization` create drafts; the slug must be free.",
    responses=CONFLICTING,
)
def create_challenge(
    data: ChallengeCreate, response: Response, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    challenge = service.create(session, actor=actor, data=data, now=clock.now())
    response.headers["Location"] = urls.api_challenge(challenge.slug)
    return _read(session, challenge, clock)


@router.patch(
    "/challenges/{slug}",
    response_model=ChallengeRead,
    summary="Change a challenge",
    description=(
        "Submission rules freeze when submissions open and voting settings when voting opens (409 "
        "`phase-closed`). Once published, dates move only later and never into the past."
    ),
    responses=WRITE_ERRORS,
)
def update_challenge(
    challenge: SignedInChallengeDep, data: ChallengeUpdate, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    return _read(session, service.update(session, actor=actor, challenge=challenge, data=data, now=clock.now()), clock)


@router.post(
    "/challenges/{slug}/publish",
    response_model=ChallengeRead,
    summary="Publish a draft (the host organisation)",
    description="Refused with field messages until the draft has criteria and its dates, in order.",
    responses=WRITE_ERRORS,
)
def publish_challenge(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    return _read(session, service.publish(session, actor=actor, challenge=challenge, now=clock.now()), clock)


@router.post(
    "/challenges/{slug}/cancel",
    response_model=ChallengeRead,
    summary="Cancel a published challenge, with a public reason (the host organisation)",
    responses=WRITE_ERRORS,
)
def cancel_challenge(
    challenge: SignedInChallengeDep, data: ChallengeCancel, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    cancelled = service.cancel(session, actor=actor, challenge=challenge, reason=data.reason, now=clock.now())
    return _read(session, cancelled, clock)


@router.put(
    "/challenges/{slug}/criteria",
    response_model=ChallengeRead,
    summary="Replace the criteria (until submissions open)",
    responses=WRITE_ERRORS,
)
def replace_criteria(
    challenge: SignedInChallengeDep, data: CriteriaReplace, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    replaced = service.replace_criteria(
        session, actor=actor, challenge=challenge, criteria=data.criteria, now=clock.now()
    )
    return _read(session, replaced, clock)


@router.post(
    "/challenges/{slug}/co-hosts",
    response_model=ChallengeRead,
    summary="Add a co-host organisation (the host's owners and admins)",
    responses=WRITE_ERRORS,
)
def add_cohost(
    challenge: SignedInChallengeDep, data: CoHostAdd, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    added = service.add_cohost(
        session, actor=actor, challenge=challenge, organization_slug=data.organization, now=clock.now()
    )
    return _read(session, added, clock)


@router.delete(
    "/challenges/{slug}/co-hosts/{org_slug}",
    response_model=ChallengeRead,
    summary="Remove a co-host organisation (the host's owners and admins)",
    responses=MISSING,
)
def remove_cohost(
    org_slug: str,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> ChallengeRead:
    removed = service.remove_cohost(
        session, actor=actor, challenge=challenge, organization_slug=org_slug, now=clock.now()
    )
    return _read(session, removed, clock)


@router.post(
    "/challenges/{slug}/copy",
    response_model=ChallengeRead,
    status_code=status.HTTP_201_CREATED,
    summary="Copy a published challenge as a template into your organisation",
    description="Text, criteria and rules are copied; dates and prize are not. The copy credits its source.",
    responses=WRITE_ERRORS,
)
def copy_challenge(
    source: SignedInChallengeDep,
    data: ChallengeCopy,
    response: Response,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> ChallengeRead:
    copied = service.copy(session, actor=actor, source=source, data=data, now=clock.now())
    response.headers["Location"] = urls.api_challenge(copied.slug)
    return _read(session, copied, clock)


@router.put(
    "/challenges/{slug}/cover",
    response_model=ChallengeRead,
    summary="Upload the cover image (PNG, JPEG or WebP, at most 2 MB)",
    description=(
        "Checked by its content, not its name or declared type. Covers may change until the challenge is "
        "cancelled; `cover_url` changes with the image, so the image itself is cached for good."
    ),
    responses=problems(401, 403, 404, 413, 415),
)
@bodies.takes_files(max_bytes=MAX_COVER_BYTES)
def upload_cover(
    challenge: SignedInChallengeDep,
    cover: Annotated[UploadFile, File(description="A PNG, JPEG or WebP image of at most 2 MB.")],
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> ChallengeRead:
    content = images.read_upload(cover, max_bytes=MAX_COVER_BYTES)
    return _read(session, service.set_cover(session, actor=actor, challenge=challenge, content=content,
                                            now=clock.now()), clock)  # fmt: skip


@router.delete(
    "/challenges/{slug}/cover",
    response_model=ChallengeRead,
    summary="Remove the cover image",
    responses=problems(401, 403, 404),
)
def remove_cover(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ChallengeRead:
    return _read(session, service.remove_cover(session, actor=actor, challenge=challenge, now=clock.now()), clock)
