"""The reports and moderation API under /api/v1: anyone signed in reports, the hosts hide, restore, dismiss."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.auth.deps import SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.openapi import NOT_FOUND, WRITE_ERRORS
from app.submissions.deps import CONCEPT, SignedInConceptDep
from app.submissions.models import ReportTarget
from app.submissions.moderation import service as moderation
from app.submissions.moderation.schemas import ModerationItem, ModerationQueue, ReasonWrite, ReportCreate, ReportRead

router = APIRouter(tags=["submissions"])


# --- reports and moderation --------------------------------------------------------------------------------------


@router.post(
    "/reports",
    response_model=ReportRead,
    status_code=status.HTTP_201_CREATED,
    summary="Report a concept or a comment to the hosts",
    description="Reporting the same thing again changes nothing: the answer is 200 with your first report.",
    responses={**NOT_FOUND, 200: {"model": ReportRead, "description": "You had already reported it."}},
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
    responses=NOT_FOUND,
)
def moderation_queue(
    response: Response, session: SessionDep, actor: SignedInDep, challenge: SignedInChallengeDep
) -> ModerationQueue:
    found = moderation.queue(session, actor=actor, challenge=challenge)
    response.headers["Cache-Control"] = "private, no-cache"
    return ModerationQueue(open=[ModerationItem.of(g) for g in found.open],
                           hidden=[ModerationItem.of(g) for g in found.hidden])  # fmt: skip


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
    return ModerationItem.after(target)


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
    return ModerationItem.after(target)


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
    return ModerationItem.after(target)


@router.post(
    CONCEPT + "/hide",
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
    return ModerationItem.after(target)


@router.post(
    CONCEPT + "/comments/{comment_id}/hide",
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
    return ModerationItem.after(target)
