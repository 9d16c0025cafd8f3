"""The submissions API under /api/v1: drafts, terms, submit and withdraw, versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.kit import responses, urls
from app.openapi import NOT_FOUND, NOT_MODIFIED, WRITE_ERRORS
from app.submissions import permissions, service, views
from app.submissions.deps import CONCEPT, CONCEPTS, ConceptDep, SignedInConceptDep
from app.submissions.schemas import (
    SubmissionCreate,
    SubmissionRead,
    SubmissionUpdate,
    VersionDiff,
    VersionRead,
    VersionSummary,
    version_read,
)

router = APIRouter(tags=["submissions"])


@router.post(
    CONCEPTS,
    response_model=SubmissionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Start a concept as a draft (you lead its team)",
    description=(
        "While the challenge is open, for signed-in people with a confirmed email. Refused (409 `limit-reached`) "
        "when you are already on as many concepts for this challenge as it allows."
    ),
    responses={**WRITE_ERRORS},
)
def create_submission(
    slug: str,
    data: SubmissionCreate,
    response: Response,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    challenge: SignedInChallengeDep,
) -> SubmissionRead:
    submission = service.create(session, actor=actor, challenge=challenge, data=data, now=clock.now())
    response.headers["Location"] = urls.api_concept(slug, submission.id)
    return views.concept_read(session, challenge=challenge, submission=submission, actor=actor)


@router.get(
    CONCEPT,
    response_model=SubmissionRead,
    summary="Get a concept",
    description="The team gets its working copy; the hosts and the public get the newest submitted version.",
    responses={**NOT_FOUND, **NOT_MODIFIED},
)
def get_submission(request: Request, session: SessionDep, actor: ActorDep, concept: ConceptDep) -> Response:
    challenge, submission = concept
    body = views.concept_read(session, challenge=challenge, submission=submission, actor=actor)
    return responses.json_with_etag(request, body, shared=not actor.is_authenticated)


@router.patch(
    CONCEPT,
    response_model=SubmissionRead,
    summary="Change the working copy (team members, while open)",
    description="Submitted versions never change; submit again to store a new one. After the deadline: 409.",
    responses=WRITE_ERRORS,
)
def update_submission(
    data: SubmissionUpdate, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> SubmissionRead:
    challenge, submission = concept
    updated = service.update(session, actor=actor, challenge=challenge, submission=submission, data=data,
                             now=clock.now())  # fmt: skip
    return views.concept_read(session, challenge=challenge, submission=updated, actor=actor)


@router.post(
    CONCEPT + "/terms",
    response_model=SubmissionRead,
    summary="Accept the terms for this concept (each team member)",
    responses=WRITE_ERRORS,
)
def accept_terms(
    session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> SubmissionRead:
    challenge, submission = concept
    accepted = service.accept_terms(session, actor=actor, challenge=challenge, submission=submission, now=clock.now())
    return views.concept_read(session, challenge=challenge, submission=accepted, actor=actor)


@router.post(
    CONCEPT + "/submit",
    response_model=VersionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Submit the working copy as a new version",
    description=(
        "Needs the team size the challenge asks for and every member's acceptance of the terms (409 "
        "`not-ready-to-submit` with `reasons`). Every member gets a receipt by email."
    ),
    responses=WRITE_ERRORS,
)
def submit(session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep) -> VersionRead:
    challenge, submission = concept
    version = service.submit(session, actor=actor, challenge=challenge, submission=submission, now=clock.now())
    files = service.attachments_by_id(session, ids=version.attachment_ids)
    return version_read(version, challenge=challenge, files=[files[i] for i in version.attachment_ids if i in files])


@router.post(
    CONCEPT + "/withdraw",
    response_model=SubmissionRead,
    summary="Withdraw a submitted concept (while open; it may be submitted again)",
    responses=WRITE_ERRORS,
)
def withdraw(session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep) -> SubmissionRead:
    challenge, submission = concept
    withdrawn = service.withdraw(session, actor=actor, challenge=challenge, submission=submission, now=clock.now())
    return views.concept_read(session, challenge=challenge, submission=withdrawn, actor=actor)


@router.get(
    CONCEPT + "/versions",
    response_model=list[VersionSummary],
    summary="List the submitted versions (the team and the hosts)",
    responses=NOT_FOUND,
)
def list_versions(
    slug: str, submission_id: RowId, session: SessionDep, actor: ActorDep, concept: ConceptDep
) -> list[VersionSummary]:
    challenge, submission = concept
    found = service.versions(session, actor=actor, challenge=challenge, submission=submission)
    return [
        VersionSummary(number=v.number, title=v.title, created_at=v.created_at,
                       url=urls.api_concept(slug, submission_id, f"/versions/{v.number}"))
        for v in found
    ]  # fmt: skip


@router.get(
    CONCEPT + "/diff",
    response_model=VersionDiff,
    summary="The text difference between two versions (the team and the hosts)",
    responses=NOT_FOUND,
)
def diff_versions(
    session: SessionDep,
    actor: ActorDep,
    from_version: Annotated[int, Query(alias="from", ge=1, le=100_000)],
    to_version: Annotated[int, Query(alias="to", ge=1, le=100_000)],
    concept: ConceptDep,
) -> VersionDiff:
    challenge, submission = concept
    service.versions(session, actor=actor, challenge=challenge, submission=submission)  # the history is theirs
    old = service.version(session, actor=actor, challenge=challenge, submission=submission, number=from_version)
    new = service.version(session, actor=actor, challenge=challenge, submission=submission, number=to_version)
    lines = service.diff_lines(old, new)
    return VersionDiff(from_version=old.number, to_version=new.number, diff="\n".join(lines) + ("\n" if lines else ""))


@router.get(
    CONCEPT + "/versions/{number}",
    response_model=VersionRead,
    summary="Get one submitted version",
    description="The team and the hosts read every version; the public (when concepts are public) the newest.",
    responses=NOT_FOUND,
)
def get_version(
    number: Annotated[int, Path(ge=1, le=100_000)], session: SessionDep, actor: ActorDep, concept: ConceptDep
) -> VersionRead:
    challenge, submission = concept
    found = service.version(session, actor=actor, challenge=challenge, submission=submission, number=number)
    files = service.attachments_by_id(session, ids=found.attachment_ids)
    hidden = not permissions.is_member(actor, submission) and views.teams_hidden(
        session, challenge=challenge, actor=actor
    )
    return version_read(
        found, challenge=challenge, files=[files[i] for i in found.attachment_ids if i in files], team_hidden=hidden
    )
