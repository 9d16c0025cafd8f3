"""A concept's attachments under /api/v1: upload, download, remove."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Response, UploadFile, status

from app.auth.deps import ActorDep, SignedInDep
from app.challenges.schemas import MAX_FILE_MB
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.kit import bodies, responses
from app.openapi import NOT_FOUND, WRITE_ERRORS, Responses, problem_response
from app.submissions import service as submissions
from app.submissions.deps import CONCEPT, ConceptDep, SignedInConceptDep
from app.submissions.files import service as attachments
from app.submissions.schemas import (
    AttachmentRead,
    attachments_read,
)

router = APIRouter(tags=["submissions"])
UPLOAD_ERRORS: Responses = {
    **WRITE_ERRORS,
    413: problem_response("The file is larger than the challenge allows."),
    415: problem_response("The file's content is not one of the types the challenge allows."),
}


@router.post(
    CONCEPT + "/attachments",
    response_model=AttachmentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a file to the working copy (multipart, field `file`)",
    description=(
        "The type is judged by the file's content against the challenge's allowed types (415 otherwise); larger "
        "than the challenge's limit: 413; at most 5 files on the working copy."
    ),
    responses=UPLOAD_ERRORS,
)
@bodies.takes_files(max_bytes=MAX_FILE_MB * 1024 * 1024, exact=attachments.upload_limit_before_reading)
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


# A download is served as the type its content was found to be, one of the accepted file types.
FILE_CONTENT = {
    media_type: {"schema": {"type": "string", "format": "binary"}}
    for media_type in sorted(set(submissions.CONTENT_TYPES.values()))
}


@router.get(
    CONCEPT + "/attachments/{attachment_id}",
    summary="Download a file",
    description="For whoever may see a text that lists the file. Served as an attachment, never inline.",
    responses={**NOT_FOUND, 200: {"content": FILE_CONTENT, "description": "The file, of the type it was uploaded as."}},
    response_class=Response,
)
def download_attachment(attachment_id: RowId, session: SessionDep, actor: ActorDep, concept: ConceptDep) -> Response:
    challenge, submission = concept
    attachment, content = attachments.attachment_for_download(
        session, actor=actor, challenge=challenge, submission=submission, attachment_id=attachment_id
    )
    return responses.download(content, filename=attachment.filename, content_type=attachment.content_type)


@router.delete(
    CONCEPT + "/attachments/{attachment_id}",
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
