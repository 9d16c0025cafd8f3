"""Following challenges in the API: follow, unfollow, and the challenges you follow."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from app.auth.deps import SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.challenges.follows import service as follows
from app.challenges.follows.schemas import FollowRead
from app.clock import ClockDep
from app.db import SessionDep
from app.openapi import CONFLICT, NOT_FOUND

router = APIRouter(tags=["challenges"])
Responses = dict[int | str, dict[str, Any]]
MISSING: Responses = dict(NOT_FOUND.items())
FOLLOW_ERRORS: Responses = {**MISSING, **dict(CONFLICT.items())}


@router.put(
    "/challenges/{slug}/follow",
    response_model=FollowRead,
    summary="Follow a challenge",
    description=(
        "You get an email when it opens, 48 hours before its deadline, when a question is answered and when the "
        "results are announced (at once or in a daily digest, per your account's `email_frequency`). Needs a "
        "confirmed email address (403 otherwise). Drafts are not found; a cancelled challenge cannot be followed "
        "(409). Answers 201 when the follow is new and 200 when you already follow the challenge."
    ),
    responses={201: {"description": "Now following", "model": FollowRead}, **FOLLOW_ERRORS},
)
def follow_challenge(
    challenge: SignedInChallengeDep, response: Response, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> FollowRead:
    now = clock.now()
    row, created = follows.follow(session, actor=actor, challenge=challenge, now=now)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return FollowRead.from_model(challenge, followed_at=row.created_at, now=now)


@router.delete(
    "/challenges/{slug}/follow",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Stop following a challenge",
    description="Also drops its news not yet emailed to you. Stopping when you do not follow it is no error.",
    responses=MISSING,
)
def unfollow_challenge(challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep) -> Response:
    follows.unfollow(session, actor=actor, challenge=challenge)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/me/follows",
    response_model=list[FollowRead],
    summary="The challenges you follow",
    description="Most recently followed first. How the news reaches you is `email_frequency` on `/api/v1/me`.",
)
def list_follows(session: SessionDep, actor: SignedInDep, clock: ClockDep) -> list[FollowRead]:
    now = clock.now()
    return [
        FollowRead.from_model(item.challenge, followed_at=item.followed_at, now=now)
        for item in follows.follows_of(session, actor=actor, now=now)
    ]
