"""Pages for comments and private feedback (no JavaScript needed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import SignedInDep
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.kit import duplicates, forms, urls
from app.kit.forms import FormDep, form_message
from app.submissions import permissions
from app.submissions.deps import CONCEPT, SignedInConceptDep
from app.submissions.discussion import service as comments
from app.submissions.discussion.deps import SignedInCommentDep
from app.submissions.models import Comment, Submission
from app.templating import redirect, render

router = APIRouter()


def _text_form(
    request: Request, *, challenge: Challenge, submission: Submission, heading: str, action: str, field: str,
    label: str, button: str, value: str = "", limit: int, error: str | None = None, parent: Comment | None = None,
    parent_name: str = "", parent_id: int | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    """One text to write: a comment, a reply, a change to either, or feedback (shown again with its error)."""
    return render(
        request,
        "submissions/comment_form.html",
        {
            "challenge": challenge, "submission": submission, "heading": heading, "action": action, "field": field,
            "label": label, "button": button, "values": {field: value}, "errors": {field: error} if error else {},
            "limit": limit, "parent": parent, "parent_name": parent_name, "parent_id": parent_id,
            "back": urls.concept(challenge.slug, submission.id, anchor="comments"),
        },
        status_code=status_code,
    )  # fmt: skip


# --- comments ----------------------------------------------------------------------------------------------------


@router.post(CONCEPT + "/comments")
def add_comment(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
    concept: SignedInConceptDep,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    body = form.get("body", "")
    raw_parent = form.get("parent_id", "")
    parent_id = forms.whole_number(raw_parent)
    try:
        comment = comments.add_comment(session, actor=actor, challenge=challenge, submission=submission, body=body,
                                       parent_id=parent_id, now=now)  # fmt: skip
    except ValidationFailed as error:
        return _text_form(
            request, challenge=challenge, submission=submission,
            heading=_("Reply to a comment") if parent_id else _("Comment on %(title)s") % {"title": submission.title},
            action=urls.concept(challenge.slug, submission.id, "/comments"), field="body", label=_("Your comment"),
            button=_("Post the comment"), value=body, limit=comments.MAX_COMMENT, error=form_message(error),
            parent_id=parent_id, status_code=422,
        )  # fmt: skip
    except duplicates.DuplicatePost as error:  # sent twice (a double-click): show the one that was stored
        return redirect(
            urls.concept(challenge.slug, submission.id, anchor=f"comment-{error.existing_id}"),
            message=error.detail,
            kind="info",
        )
    return redirect(
        urls.concept(challenge.slug, submission.id, anchor=f"comment-{comment.id}"),
        message=_("Your comment is posted."),
    )


@router.get(CONCEPT + "/comments/{comment_id}/reply", response_class=HTMLResponse)
def reply_form(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, found: SignedInCommentDep
) -> Response:
    now = clock.now()
    challenge, submission, comment = found
    permissions.check_takes_comments(actor, submission, challenge, now)
    entry = comments.entry_for(session, actor=actor, comment=comment, now=now)
    return _text_form(
        request, challenge=challenge, submission=submission, heading=_("Reply to a comment"),
        action=urls.concept(challenge.slug, submission.id, "/comments"), field="body", label=_("Your reply"),
        button=_("Post the reply"), limit=comments.MAX_COMMENT, parent=comment if entry.body else None,
        parent_name=entry.author_name, parent_id=comment.parent_id or comment.id,
    )  # fmt: skip


@router.get(CONCEPT + "/comments/{comment_id}/edit", response_class=HTMLResponse)
def edit_comment_form(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, found: SignedInCommentDep
) -> Response:
    now = clock.now()
    challenge, submission, comment = found
    permissions.check_edit_comment(actor, comment, now)
    return _edit_comment_page(request, challenge, submission, comment, comment.body)


def _edit_comment_page(request: Request, challenge: Challenge, submission: Submission, comment: Comment, value: str,
                       error: str | None = None, status_code: int = 200) -> Response:  # fmt: skip
    return _text_form(
        request, challenge=challenge, submission=submission, heading=_("Change your comment"),
        action=urls.concept(challenge.slug, submission.id, f"/comments/{comment.id}/edit"), field="body",
        label=_("Your comment"), button=_("Save the comment"), value=value, limit=comments.MAX_COMMENT, error=error,
        status_code=status_code,
    )  # fmt: skip


@router.post(CONCEPT + "/comments/{comment_id}/edit")
def edit_comment(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep, found: SignedInCommentDep
) -> Response:
    now = clock.now()
    challenge, submission, comment = found
    body = form.get("body", "")
    try:
        comments.edit_comment(session, actor=actor, challenge=challenge, comment=comment, body=body, now=now)
    except ValidationFailed as error:
        return _edit_comment_page(request, challenge, submission, comment, body, form_message(error), 422)
    return redirect(
        urls.concept(challenge.slug, submission.id, anchor=f"comment-{comment.id}"),
        message=_("Your comment is changed."),
    )


@router.post(CONCEPT + "/comments/{comment_id}/delete")
def delete_comment(session: SessionDep, actor: SignedInDep, clock: ClockDep, found: SignedInCommentDep) -> Response:
    now = clock.now()
    challenge, submission, comment = found
    comments.delete_comment(session, actor=actor, challenge=challenge, comment=comment, now=now)
    return redirect(
        urls.concept(challenge.slug, submission.id, anchor=f"comment-{comment.id}"),
        message=_("Your comment is deleted."),
    )


# --- private feedback --------------------------------------------------------------------------------------------


def _feedback_form(request: Request, challenge: Challenge, submission: Submission, *, action: str, value: str = "",
                   error: str | None = None, status_code: int = 200) -> Response:  # fmt: skip
    return _text_form(
        request, challenge=challenge, submission=submission, heading=_("Feedback to the team"), action=action,
        field="feedback", label=_("Your feedback"), button=_("Send the feedback"), value=value,
        limit=comments.MAX_FEEDBACK, error=error, status_code=status_code,
    )  # fmt: skip


@router.post(CONCEPT + "/feedback")
def give_feedback(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
    concept: SignedInConceptDep,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    body = form.get("feedback", "")
    try:
        comments.give_feedback(session, actor=actor, challenge=challenge, submission=submission, body=body, now=now)
    except ValidationFailed as error:
        action = urls.concept(challenge.slug, submission.id, "/feedback")
        return _feedback_form(request, challenge, submission, action=action, value=body, error=form_message(error),
                              status_code=422)  # fmt: skip
    return redirect(
        urls.concept(challenge.slug, submission.id, anchor="feedback"), message=_("The feedback is sent to the team.")
    )


@router.get(CONCEPT + "/feedback/{feedback_id}/edit", response_class=HTMLResponse)
def edit_feedback_form(
    request: Request,
    feedback_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    row = comments.get_feedback(session, actor=actor, challenge=challenge, submission=submission,
                                feedback_id=feedback_id)  # fmt: skip
    permissions.check_edit_feedback(actor, row, now)
    action = urls.concept(challenge.slug, submission.id, f"/feedback/{feedback_id}/edit")
    return _feedback_form(request, challenge, submission, action=action, value=row.body)


@router.post(CONCEPT + "/feedback/{feedback_id}/edit")
def edit_feedback(
    request: Request,
    feedback_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
    concept: SignedInConceptDep,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    row = comments.get_feedback(session, actor=actor, challenge=challenge, submission=submission,
                                feedback_id=feedback_id)  # fmt: skip
    body = form.get("feedback", "")
    try:
        comments.edit_feedback(session, actor=actor, challenge=challenge, submission=submission, feedback=row,
                               body=body, now=now)  # fmt: skip
    except ValidationFailed as error:
        action = urls.concept(challenge.slug, submission.id, f"/feedback/{feedback_id}/edit")
        return _feedback_form(request, challenge, submission, action=action, value=body, error=form_message(error),
                              status_code=422)  # fmt: skip
    return redirect(
        urls.concept(challenge.slug, submission.id, anchor="feedback"), message=_("The feedback is changed.")
    )
