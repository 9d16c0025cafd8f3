"""The comments, feedback, reports and moderation API under /api/v1."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from app.accounts.deps import ActorDep, SignedInDep
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.openapi import CONFLICT, NOT_FOUND
from app.submissions.deps import ConceptDep, SignedInConceptDep
from app.submissions.discussion import service as comments
from app.submissions.models import Report, ReportTarget
from app.submissions.moderation import service as moderation
from app.submissions.schemas import MAX_PAGE_SIZE

router = APIRouter(tags=["submissions"])
Responses = dict[int | str, dict[str, Any]]
MISSING: Responses = dict(NOT_FOUND.items())
WRITE_ERRORS: Responses = {**MISSING, **dict(CONFLICT.items())}
ONE = "/challenges/{slug}/submissions/{submission_id}"


# --- schemas -----------------------------------------------------------------------------------------------------


class CommentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"body": "Flott idé! Har dere tenkt på vedlikehold?"}]}
    )

    # Lengths are documented here and checked by the service, so a refusal names the field with a translated message.
    body: str = Field(
        description="Plain text; line breaks are kept, nothing is rendered as markup.",
        json_schema_extra={"minLength": 1, "maxLength": comments.MAX_COMMENT},
    )
    parent_id: int | None = Field(
        default=None, ge=1, description="Reply to this comment (a reply to a reply joins the top-level comment)."
    )


class CommentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"body": "Flott idé!"}]})

    body: str = Field(
        description="The new text, within 15 minutes of posting.",
        json_schema_extra={"minLength": 1, "maxLength": comments.MAX_COMMENT},
    )


class CommentRead(BaseModel):
    """A comment; a deleted or hidden one keeps its place with `body` null."""

    id: int
    url: str = Field(examples=["/challenges/gronne-tak/submissions/3#comment-12"])
    parent_id: int | None
    state: Literal["shown", "deleted", "hidden"]
    body: str | None
    author_name: str = Field(description="The author's display name, or “Deleted user”.")
    own: bool
    created_at: datetime
    edited_at: datetime | None
    hidden_reason: str | None = Field(description="Why the hosts hid it.")
    can_edit: bool
    can_delete: bool

    @classmethod
    def of(cls, entry: comments.CommentEntry, challenge: Challenge) -> CommentRead:
        comment = entry.comment
        return cls(
            id=comment.id or 0,
            url=f"/challenges/{challenge.slug}/submissions/{comment.submission_id}#comment-{comment.id}",
            parent_id=comment.parent_id, state=entry.state, body=entry.body,
            author_name=entry.author_name, own=entry.own, created_at=comment.created_at,
            edited_at=comment.edited_at,
            hidden_reason=comment.hidden_reason if comment.hidden_at else None,
            can_edit=entry.can_edit, can_delete=entry.can_delete,
        )  # fmt: skip


class CommentPage(BaseModel):
    items: list[CommentRead]
    page: int
    size: int
    total: int
    next: str | None = Field(description="The next page's address, when there is one.")


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"body": "Sterkt konsept. Vis gjerne kostnadene tydeligere."}]}
    )

    body: str = Field(
        description="Plain text, seen by the team and the hosts only.",
        json_schema_extra={"minLength": 1, "maxLength": comments.MAX_FEEDBACK},
    )


class FeedbackRead(BaseModel):
    id: int
    body: str
    author_name: str
    created_at: datetime
    edited_at: datetime | None
    can_edit: bool

    @classmethod
    def of(cls, entry: comments.FeedbackEntry) -> FeedbackRead:
        row = entry.feedback
        return cls(id=row.id or 0, body=row.body, author_name=entry.author_name, created_at=row.created_at,
                   edited_at=row.edited_at, can_edit=entry.can_edit)  # fmt: skip


class FeedbackList(BaseModel):
    items: list[FeedbackRead]


class ReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"target_type": "comment", "target_id": 12, "reason": "Personangrep."}]},
    )

    target_type: ReportTarget
    target_id: int = Field(ge=1)
    reason: str = Field(
        description="What is wrong with it (for the hosts).",
        json_schema_extra={"minLength": 1, "maxLength": moderation.MAX_REASON},
    )


class ReportRead(BaseModel):
    id: int
    target_type: ReportTarget
    target_id: int
    reason: str
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None

    @classmethod
    def of(cls, report: Report) -> ReportRead:
        return cls(id=report.id or 0, target_type=ReportTarget(report.target_type), target_id=report.target_id,
                   reason=report.reason, created_at=report.created_at, resolved_at=report.resolved_at,
                   resolution=str(report.resolution) if report.resolution else None)  # fmt: skip


class ReasonWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Personangrep."}]})

    reason: str = Field(
        description="Shown to the author (and kept in the audit log).",
        json_schema_extra={"minLength": 1, "maxLength": moderation.MAX_HIDE_REASON},
    )


class ModerationItem(BaseModel):
    target_type: ReportTarget
    target_id: int
    title: str = Field(description="The concept's title (for a comment: the concept it is on).")
    text: str = Field(description="The concept's summary, or the comment's text.")
    author_name: str = Field(description="The comment's author; empty for a concept.")
    hidden_reason: str | None
    report_count: int
    reports: list[ReportRead]

    @classmethod
    def of(cls, group: moderation.Group) -> ModerationItem:
        target = group.target
        return cls(target_type=target.kind, target_id=target.id, title=group.title, text=group.text,
                   author_name=group.author, hidden_reason=target.hidden_reason if target.hidden_at else None,
                   report_count=group.count, reports=[ReportRead.of(r) for r, _name in group.reports])  # fmt: skip


class ModerationQueue(BaseModel):
    open: list[ModerationItem] = Field(description="Open reports grouped by what they report, most reported first.")
    hidden: list[ModerationItem] = Field(description="Hidden concepts and comments, newest first.")


# --- comments ----------------------------------------------------------------------------------------------------


@router.post(
    ONE + "/comments",
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
    response.headers["Location"] = f"/api/v1{ONE.format(slug=slug, submission_id=submission_id)}/comments/{comment.id}"
    return CommentRead.of(comments.entry_for(session, actor=actor, comment=comment, now=now), challenge)


@router.get(
    ONE + "/comments",
    response_model=CommentPage,
    summary="List a concept's comments",
    description="Oldest first, flat: a reply names its `parent_id`. Deleted and hidden comments keep their place.",
    responses=MISSING,
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
    size = min(size, MAX_PAGE_SIZE)
    challenge, submission = concept
    entries, total = comments.page(session, actor=actor, submission=submission, now=now, page=page, size=size)
    return CommentPage(
        items=[CommentRead.of(entry, challenge) for entry in entries], page=page, size=size, total=total,
        next=str(request.url.include_query_params(page=page + 1, size=size)) if page * size < total else None,
    )  # fmt: skip


@router.patch(
    ONE + "/comments/{comment_id}",
    response_model=CommentRead,
    summary="Change your comment",
    description="Only within 15 minutes of posting it; later the answer is 409.",
    responses=WRITE_ERRORS,
)
def update_comment(
    comment_id: RowId,
    data: CommentUpdate,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> CommentRead:
    now = clock.now()
    challenge, submission = concept
    comment = comments.get_comment(session, submission=submission, comment_id=comment_id)
    comments.edit_comment(session, actor=actor, challenge=challenge, comment=comment, body=data.body, now=now)
    return CommentRead.of(comments.entry_for(session, actor=actor, comment=comment, now=now), challenge)


@router.delete(
    ONE + "/comments/{comment_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete your comment",
    description="The text is blanked; a placeholder keeps its replies in place.",
    responses=WRITE_ERRORS,
)
def delete_comment(
    comment_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    now = clock.now()
    challenge, submission = concept
    comment = comments.get_comment(session, submission=submission, comment_id=comment_id)
    comments.delete_comment(session, actor=actor, challenge=challenge, comment=comment, now=now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


# --- private feedback --------------------------------------------------------------------------------------------


@router.post(
    ONE + "/feedback",
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
    return FeedbackRead(id=row.id or 0, body=row.body, author_name=comments.author_name(actor.user),
                        created_at=row.created_at, edited_at=None, can_edit=True)  # fmt: skip


@router.get(
    ONE + "/feedback",
    response_model=FeedbackList,
    summary="List a concept's private feedback (team and hosts)",
    responses=MISSING,
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
    ONE + "/feedback/{feedback_id}",
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
    return FeedbackRead(id=row.id or 0, body=row.body, author_name=comments.author_name(actor.user),
                        created_at=row.created_at, edited_at=row.edited_at, can_edit=True)  # fmt: skip


# --- reports and moderation --------------------------------------------------------------------------------------


@router.post(
    "/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    summary="Report a concept or a comment to the hosts",
    description="Reporting the same thing again changes nothing: the answer is 200 with your first report.",
    responses={**MISSING, 200: {"model": ReportRead, "description": "You had already reported it."}},
)
def create_report(
    data: ReportCreate, response: Response, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ReportRead:
    challenge = moderation.challenge_of(session, actor=actor, kind=data.target_type, target_id=data.target_id)
    filed, created = moderation.report(session, actor=actor, challenge=challenge, kind=data.target_type,
                                       target_id=data.target_id, reason=data.reason, now=clock.now())  # fmt: skip
    if not created:
        response.status_code = status.HTTP_200_OK
    return ReportRead.of(filed)


@router.get(
    "/challenges/{slug}/moderation",
    response_model=ModerationQueue,
    summary="The hosts' moderation queue",
    description="Open reports grouped by the concept or comment they report, and hidden content to restore.",
    responses=MISSING,
)
def moderation_queue(slug: str, response: Response, session: SessionDep, actor: SignedInDep) -> ModerationQueue:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    found = moderation.queue(session, actor=actor, challenge=challenge)
    response.headers["Cache-Control"] = "private, no-cache"
    return ModerationQueue(open=[ModerationItem.of(g) for g in found.open],
                           hidden=[ModerationItem.of(g) for g in found.hidden])  # fmt: skip


def _item(target: moderation.Target) -> ModerationItem:
    """The concept or comment after a host's action (its open reports are all resolved by then)."""
    text = target.comment.body if target.comment is not None else target.submission.summary
    return ModerationItem(target_type=target.kind, target_id=target.id, title=target.submission.title, text=text,
                          author_name="", hidden_reason=target.hidden_reason if target.hidden_at else None,
                          report_count=0, reports=[])  # fmt: skip


@router.post(
    "/reports/{report_id}/dismiss",
    response_model=ModerationItem,
    summary="Dismiss the open reports on the reported concept or comment (hosts)",
    responses=WRITE_ERRORS,
)
def dismiss_report(report_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> ModerationItem:
    filed, challenge = moderation.get_report(session, actor=actor, report_id=report_id)
    target = moderation.dismiss(session, actor=actor, challenge=challenge, kind=ReportTarget(filed.target_type),
                                target_id=filed.target_id, now=clock.now())  # fmt: skip
    return _item(target)


@router.post(
    "/reports/{report_id}/hide",
    response_model=ModerationItem,
    summary="Hide the reported concept or comment, with a reason (hosts)",
    description="Resolves its open reports; the comment's author or the concept's team is emailed the reason.",
    responses=WRITE_ERRORS,
)
def hide_reported(
    report_id: RowId, data: ReasonWrite, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ModerationItem:
    filed, challenge = moderation.get_report(session, actor=actor, report_id=report_id)
    target = moderation.hide(session, actor=actor, challenge=challenge, kind=ReportTarget(filed.target_type),
                             target_id=filed.target_id, reason=data.reason, now=clock.now())  # fmt: skip
    return _item(target)


@router.post(
    "/reports/{report_id}/restore",
    response_model=ModerationItem,
    summary="Show the reported concept or comment again, with a reason (hosts)",
    responses=WRITE_ERRORS,
)
def restore_reported(
    report_id: RowId, data: ReasonWrite, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ModerationItem:
    filed, challenge = moderation.get_report(session, actor=actor, report_id=report_id)
    target = moderation.restore(session, actor=actor, challenge=challenge, kind=ReportTarget(filed.target_type),
                                target_id=filed.target_id, reason=data.reason, now=clock.now())  # fmt: skip
    return _item(target)


@router.post(
    ONE + "/hide",
    response_model=ModerationItem,
    summary="Hide a concept straight away, reported or not, with a reason (hosts)",
    description="Resolves any open reports on it; its team is emailed the reason. Show it again with "
    "`/reports/{id}/restore` or from the moderation queue.",
    responses=WRITE_ERRORS,
)
def hide_concept(
    submission_id: RowId,
    data: ReasonWrite,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> ModerationItem:
    now = clock.now()
    challenge, submission = concept
    target = moderation.hide(session, actor=actor, challenge=challenge, kind=ReportTarget.SUBMISSION,
                             target_id=submission_id, reason=data.reason, now=now)  # fmt: skip
    return _item(target)


@router.post(
    ONE + "/comments/{comment_id}/hide",
    response_model=ModerationItem,
    summary="Hide a comment straight away, reported or not, with a reason (hosts)",
    description="Resolves any open reports on it; its author is emailed the reason.",
    responses=WRITE_ERRORS,
)
def hide_comment(
    comment_id: RowId,
    data: ReasonWrite,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
) -> ModerationItem:
    now = clock.now()
    challenge, _submission = concept
    target = moderation.hide(session, actor=actor, challenge=challenge, kind=ReportTarget.COMMENT,
                             target_id=comment_id, reason=data.reason, now=now)  # fmt: skip
    return _item(target)
