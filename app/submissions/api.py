"""The submissions API under /api/v1: drafts, teams and invitations, terms, submit and withdraw, versions, files."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Path, Query, Request, Response, UploadFile, status

from app.accounts.deps import ActorDep, SignedInDep
from app.challenges import service as challenges
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.kit import responses
from app.openapi import CONFLICT, NOT_FOUND, problem_response
from app.submissions import service, views
from app.submissions.deps import ConceptDep, SignedInConceptDep
from app.submissions.files import service as attachments
from app.submissions.schemas import (
    AttachmentRead,
    LeadHandOver,
    SubmissionCreate,
    SubmissionRead,
    SubmissionUpdate,
    TeamInvitationCreate,
    TeamInvitationRead,
    VersionDiff,
    VersionRead,
    VersionSummary,
    attachments_read,
    version_read,
)
from app.submissions.team import service as teams

router = APIRouter(tags=["submissions"])
Responses = dict[int | str, dict[str, Any]]
MISSING: Responses = dict(NOT_FOUND.items())
WRITE_ERRORS: Responses = {**MISSING, **dict(CONFLICT.items())}
NOT_MODIFIED: Responses = {304: {"description": "Not modified (the `If-None-Match` ETag still matches)"}}
UPLOAD_ERRORS: Responses = {
    **WRITE_ERRORS,
    413: problem_response("The file is larger than the challenge allows."),
    415: problem_response("The file's content is not one of the types the challenge allows."),
}
BASE = "/challenges/{slug}/submissions"
ONE = BASE + "/{submission_id}"


@router.post(
    BASE,
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
    slug: str, data: SubmissionCreate, response: Response, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> SubmissionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    submission = service.create(session, actor=actor, challenge=challenge, data=data, now=clock.now())
    response.headers["Location"] = f"/api/v1/challenges/{slug}/submissions/{submission.id}"
    return views.concept_read(session, challenge=challenge, submission=submission, actor=actor)


@router.get(
    ONE,
    response_model=SubmissionRead,
    summary="Get a concept",
    description="The team gets its working copy; the hosts and the public get the newest submitted version.",
    responses={**MISSING, **NOT_MODIFIED},
)
def get_submission(request: Request, session: SessionDep, actor: ActorDep, concept: ConceptDep) -> Response:
    challenge, submission = concept
    body = views.concept_read(session, challenge=challenge, submission=submission, actor=actor)
    return responses.json_with_etag(request, body, shared=not actor.is_authenticated)


@router.patch(
    ONE,
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
    ONE + "/terms",
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
    ONE + "/submit",
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
    ONE + "/withdraw",
    response_model=SubmissionRead,
    summary="Withdraw a submitted concept (while open; it may be submitted again)",
    responses=WRITE_ERRORS,
)
def withdraw(session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep) -> SubmissionRead:
    challenge, submission = concept
    withdrawn = service.withdraw(session, actor=actor, challenge=challenge, submission=submission, now=clock.now())
    return views.concept_read(session, challenge=challenge, submission=withdrawn, actor=actor)


@router.get(
    ONE + "/versions",
    response_model=list[VersionSummary],
    summary="List the submitted versions (the team and the hosts)",
    responses=MISSING,
)
def list_versions(
    slug: str, submission_id: RowId, session: SessionDep, actor: ActorDep, concept: ConceptDep
) -> list[VersionSummary]:
    challenge, submission = concept
    found = service.versions(session, actor=actor, challenge=challenge, submission=submission)
    return [
        VersionSummary(number=v.number, title=v.title, created_at=v.created_at,
                       url=f"/api/v1/challenges/{slug}/submissions/{submission_id}/versions/{v.number}")
        for v in found
    ]  # fmt: skip


@router.get(
    ONE + "/diff",
    response_model=VersionDiff,
    summary="The text difference between two versions (the team and the hosts)",
    responses=MISSING,
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
    ONE + "/versions/{number}",
    response_model=VersionRead,
    summary="Get one submitted version",
    description="The team and the hosts read every version; the public (when concepts are public) the newest.",
    responses=MISSING,
)
def get_version(
    number: Annotated[int, Path(ge=1, le=100_000)], session: SessionDep, actor: ActorDep, concept: ConceptDep
) -> VersionRead:
    challenge, submission = concept
    found = service.version(session, actor=actor, challenge=challenge, submission=submission, number=number)
    files = service.attachments_by_id(session, ids=found.attachment_ids)
    return version_read(found, challenge=challenge, files=[files[i] for i in found.attachment_ids if i in files])


# --- the team ----------------------------------------------------------------------------------------------------


@router.post(
    ONE + "/invitations",
    response_model=TeamInvitationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone to the team by email (the lead)",
    description="Open invitations count towards the largest team size. The link is valid for 7 days.",
    responses=WRITE_ERRORS,
)
def invite(
    data: TeamInvitationCreate, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> TeamInvitationRead:
    challenge, submission = concept
    now = clock.now()
    invitation = teams.invite(session, actor=actor, challenge=challenge, submission=submission, email=data.email,
                                now=now)  # fmt: skip
    return TeamInvitationRead.from_model(invitation, now)


@router.get(
    ONE + "/invitations",
    response_model=list[TeamInvitationRead],
    summary="List the team's invitations (the team)",
    responses=MISSING,
)
def list_invitations(
    session: SessionDep, actor: ActorDep, clock: ClockDep, concept: ConceptDep
) -> list[TeamInvitationRead]:
    challenge, submission = concept
    found = teams.list_invitations(session, actor=actor, challenge=challenge, submission=submission)
    return [TeamInvitationRead.from_model(invitation, clock.now()) for invitation in found]


@router.delete(
    ONE + "/invitations/{invitation_id}",
    response_model=TeamInvitationRead,
    summary="Revoke an open invitation (the lead)",
    responses=WRITE_ERRORS,
)
def revoke_invitation(
    invitation_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> TeamInvitationRead:
    challenge, submission = concept
    now = clock.now()
    invitation = teams.revoke_invitation(session, actor=actor, challenge=challenge, submission=submission,
                                           invitation_id=invitation_id, now=now)  # fmt: skip
    return TeamInvitationRead.from_model(invitation, now)


@router.post(
    "/team-invitations/{token}/accept",
    response_model=SubmissionRead,
    summary="Accept a team invitation (signed in with the invited email)",
    description="Expired, used, declined or revoked links: 409 `invitation-unusable`. A full team: 409.",
    responses=WRITE_ERRORS,
)
def accept_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> SubmissionRead:
    submission, challenge = teams.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return views.concept_read(session, challenge=challenge, submission=submission, actor=actor)


@router.post(
    "/team-invitations/{token}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Decline a team invitation",
    responses=WRITE_ERRORS,
)
def decline_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    teams.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    ONE + "/lead",
    response_model=SubmissionRead,
    summary="Hand over the lead role to another member (the lead)",
    responses=WRITE_ERRORS,
)
def hand_over_lead(
    data: LeadHandOver, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> SubmissionRead:
    challenge, submission = concept
    changed = teams.hand_over_lead(session, actor=actor, challenge=challenge, submission=submission,
                                     user_id=data.user_id, now=clock.now())  # fmt: skip
    return views.concept_read(session, challenge=challenge, submission=changed, actor=actor)


@router.delete(
    ONE + "/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member (the lead), or leave the team (your own id)",
    responses=WRITE_ERRORS,
)
def remove_member(
    user_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    challenge, submission = concept
    teams.remove_member(session, actor=actor, challenge=challenge, submission=submission, user_id=user_id,
                          now=clock.now())  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- files -------------------------------------------------------------------------------------------------------


@router.post(
    ONE + "/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a file to the working copy (multipart, field `file`)",
    description=(
        "The type is judged by the file's content against the challenge's allowed types (415 otherwise); larger "
        "than the challenge's limit: 413; at most 5 files on the working copy."
    ),
    responses=UPLOAD_ERRORS,
)
def upload_attachment(
    slug: str,
    submission_id: RowId,
    file: Annotated[UploadFile, File()],
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> AttachmentRead:
    challenge, submission = concept
    content = file.file.read(attachments.upload_limit(challenge) + 1)  # never more than the limit and one byte
    attachment = attachments.add_attachment(session, actor=actor, challenge=challenge, submission=submission,
                                        filename=file.filename or "", content=content, now=clock.now())  # fmt: skip
    return attachments_read(slug, submission_id, [attachment])[0]


@router.get(
    ONE + "/attachments/{attachment_id}",
    summary="Download a file",
    description="For whoever may see a text that lists the file. Served as an attachment, never inline.",
    responses={**MISSING, 200: {"content": {"application/octet-stream": {}}, "description": "The file."}},
    response_class=Response,
)
def download_attachment(attachment_id: RowId, session: SessionDep, actor: ActorDep, concept: ConceptDep) -> Response:
    challenge, submission = concept
    attachment, content = attachments.attachment_for_download(
        session, actor=actor, challenge=challenge, submission=submission, attachment_id=attachment_id
    )
    return responses.download(content, filename=attachment.filename, content_type=attachment.content_type)


@router.delete(
    ONE + "/attachments/{attachment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a file from the working copy (versions keep it)",
    responses=WRITE_ERRORS,
)
def remove_attachment(
    attachment_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    challenge, submission = concept
    attachments.remove_attachment(session, actor=actor, challenge=challenge, submission=submission,
                              attachment_id=attachment_id, now=clock.now())  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)
