"""The comments and private feedback API under /api/v1."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.accounts.permissions import user_of
from app.auth.deps import ActorDep, SignedInDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.kit import pagination, urls
from app.openapi import NOT_FOUND, WRITE_ERRORS
from app.submissions.deps import CONCEPT, ConceptDep, SignedInConceptDep
from app.submissions.discussion import service as comments
from app.submissions.discussion.deps import SignedInCommentDep
from app.submissions.discussion.schemas import (
    CommentCreate,
    CommentPage,
    CommentRead,
    CommentUpdate,
    FeedbackCreate,
    FeedbackList,
    FeedbackRead,
)
from app.submissions.schemas import MAX_PAGE_SIZE

router = APIRouter(tags=["submissions"])


# --- comments ----------------------------------------------------------------------------------------------------


@router.post(
    CONCEPT + "/comments",
    response_model=CommentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Comment on a public concept",
    description=(
        "For signed-in people with a confirmed email, on public concepts of a published challenge (also after "
        "its deadline). At most 10 comments a minute. The team is emailed."
    ),
    responses=WRITE_ERRORS,
)
def create_comment(
    slug: str,
    submission_id: RowId,
    data: CommentCreate,
    response: Response,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> CommentRead:
    now = clock.now()
    challenge, submission = concept
    comment = comments.add_comment(session, actor=actor, challenge=challenge, submission=submission, body=data.body,
                                   parent_id=data.parent_id, now=now)  # fmt: skip
    response.headers["Location"] = urls.api_concept(slug, submission_id, f"/comments/{comment.id}")
    return CommentRead.of(comments.entry_for(session, actor=actor, comment=comment, now=now), challenge)


@router.get(
    CONCEPT + "/comments",
    response_model=CommentPage,
    summary="List a concept's comments",
    description="Oldest first, flat: a reply names its `parent_id`. Deleted and hidden comments keep their place.",
    responses=NOT_FOUND,
)
def list_comments(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    concept: ConceptDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    size: Annotated[int, Query(ge=1, description=f"Items per page; at most {MAX_PAGE_SIZE}.")] = 20,
) -> CommentPage:
    now = clock.now()
    size = pagination.page_size(size, cap=MAX_PAGE_SIZE)
    challenge, submission = concept
    entries, total = comments.page(session, actor=actor, submission=submission, now=now, page=page, size=size)
    return CommentPage(
        items=[CommentRead.of(entry, challenge) for entry in entries],
        page=page,
        size=size,
        total=total,
        next=pagination.next_page_url(request.url, page=page, size=size, total=total),
    )


@router.patch(
    CONCEPT + "/comments/{comment_id}",
    response_model=CommentRead,
    summary="Change your comment",
    description="Only within 15 minutes of posting it; later the answer is 409.",
    responses=WRITE_ERRORS,
)
def update_comment(
    data: CommentUpdate, session: SessionDep, actor: SignedInDep, clock: ClockDep, found: SignedInCommentDep
) -> CommentRead:
    now = clock.now()
    challenge, _submission, comment = found
    comments.edit_comment(session, actor=actor, challenge=challenge, comment=comment, body=data.body, now=now)
    return CommentRead.of(comments.entry_for(session, actor=actor, comment=comment, now=now), challenge)


@router.delete(
    CONCEPT + "/comments/{comment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete your comment",
    description="The text is blanked; a placeholder keeps its replies in place.",
    responses=WRITE_ERRORS,
)
def delete_comment(session: SessionDep, actor: SignedInDep, clock: ClockDep, found: SignedInCommentDep) -> Response:
    now = clock.now()
    challenge, _submission, comment = found
    comments.delete_comment(session, actor=actor, challenge=challenge, comment=comment, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- private feedback --------------------------------------------------------------------------------------------


@router.post(
    CONCEPT + "/feedback",
    response_model=FeedbackRead,
    status_code=status.HTTP_201_CREATED,
    summary="Write private feedback to a team (hosts)",
    description="Seen by the team and the hosts only; the team is emailed. Editable by its author for 15 minutes.",
    responses=WRITE_ERRORS,
)
def create_feedback(
    data: FeedbackCreate, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> FeedbackRead:
    now = clock.now()
    challenge, submission = concept
    row = comments.give_feedback(session, actor=actor, challenge=challenge, submission=submission, body=data.body,
                                 now=now)  # fmt: skip
    return FeedbackRead(id=row.id or 0, body=row.body, author_name=comments.author_name(user_of(actor)),
                        created_at=row.created_at, edited_at=None, can_edit=True)  # fmt: skip


@router.get(
    CONCEPT + "/feedback",
    response_model=FeedbackList,
    summary="List a concept's private feedback (team and hosts)",
    responses=NOT_FOUND,
)
def list_feedback(
    response: Response, session: SessionDep, actor: ActorDep, clock: ClockDep, concept: ConceptDep
) -> FeedbackList:
    now = clock.now()
    challenge, submission = concept
    entries = comments.feedback_list(session, actor=actor, challenge=challenge, submission=submission, now=now)
    response.headers["Cache-Control"] = "private, no-cache"
    return FeedbackList(items=[FeedbackRead.of(entry) for entry in entries])


@router.patch(
    CONCEPT + "/feedback/{feedback_id}",
    response_model=FeedbackRead,
    summary="Change your feedback",
    description="Only its author, within 15 minutes of writing it; later the answer is 409.",
    responses=WRITE_ERRORS,
)
def update_feedback(
    feedback_id: RowId,
    data: FeedbackCreate,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> FeedbackRead:
    now = clock.now()
    challenge, submission = concept
    row = comments.get_feedback(session, actor=actor, challenge=challenge, submission=submission,
                                feedback_id=feedback_id)  # fmt: skip
    comments.edit_feedback(session, actor=actor, challenge=challenge, submission=submission, feedback=row,
                           body=data.body, now=now)  # fmt: skip
    return FeedbackRead(id=row.id or 0, body=row.body, author_name=comments.author_name(user_of(actor)),
                        created_at=row.created_at, edited_at=row.edited_at, can_edit=True)  # fmt: skip
