"""A concept's attachments on its page: upload and remove (no JavaScript needed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import Response

from app.auth.deps import SignedInDep
from app.challenges.schemas import MAX_FILE_MB
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import AppError, NotFound
from app.i18n import gettext as _
from app.kit import bodies, urls
from app.kit.forms import form_message
from app.submissions import views
from app.submissions.deps import SignedInConceptDep
from app.submissions.files import service as attachments
from app.templating import redirect

router = APIRouter()


@router.post("/challenges/{slug}/submissions/{submission_id}/attachments")
@bodies.takes_files(max_bytes=MAX_FILE_MB * 1024 * 1024, exact=attachments.upload_limit_before_reading)
def upload_attachment(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    try:
        filename = attachments.check_chosen(file.filename if file else None)
        content = file.file.read(attachments.upload_limit(challenge) + 1) if file else b""
        attachments.add_attachment(session, actor=actor, challenge=challenge, submission=submission,
                               filename=filename, content=content, now=now)  # fmt: skip
    except AppError as error:
        if isinstance(error, NotFound):
            raise
        errors = {"file": form_message(error)}
        return views.concept_page(request, session, challenge, submission, actor, now, errors, status_code=error.status)
    return redirect(urls.concept(challenge.slug, submission.id), message=_("The file was added."))


@router.post("/challenges/{slug}/submissions/{submission_id}/attachments/{attachment_id}/remove")
def remove_attachment(
    request: Request, attachment_id: RowId, session: SessionDep,
    actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep,
) -> Response:  # fmt: skip
    now = clock.now()
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: attachments.remove_attachment(session, actor=actor, challenge=c, submission=s,
                                               attachment_id=attachment_id, now=now),
        _("The file was removed. Submitted versions keep it."),
    )  # fmt: skip
