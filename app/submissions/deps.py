"""The concept named in the path (`/challenges/{slug}/submissions/{submission_id}`), looked up once per request: a
404 when the caller may not see the challenge or the concept."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, NamedTuple

from fastapi import Depends
from sqlmodel import Session

from app.actor import Actor
from app.auth.deps import ActorDep, SignedInDep
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.submissions import service
from app.submissions.models import Submission

# The addresses of a challenge's concepts, as route templates (the API mounts them under /api/v1).
CONCEPTS = "/challenges/{slug}/submissions"
CONCEPT = CONCEPTS + "/{submission_id}"


class Concept(NamedTuple):
    """A concept and the challenge it was written for, both visible to the one asking."""

    challenge: Challenge
    submission: Submission


def find_concept(session: Session, *, slug: str, submission_id: int, actor: Actor, now: datetime) -> Concept:
    """The concept `submission_id` of challenge `slug`, when `actor` may see both at `now` (else a 404)."""
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    return Concept(
        challenge, service.get_for(session, challenge=challenge, submission_id=submission_id, actor=actor, now=now)
    )


def visible_concept(slug: str, submission_id: RowId, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Concept:
    """The concept `submission_id` of challenge `slug`, when `actor` may see both (else a 404)."""
    return find_concept(session, slug=slug, submission_id=submission_id, actor=actor, now=clock.now())


ConceptDep = Annotated[Concept, Depends(visible_concept)]


def signed_in_concept(
    slug: str, submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Concept:
    """As `visible_concept`, for signed-in callers: an anonymous one is refused (401) before anything is looked up."""
    return find_concept(session, slug=slug, submission_id=submission_id, actor=actor, now=clock.now())


SignedInConceptDep = Annotated[Concept, Depends(signed_in_concept)]
