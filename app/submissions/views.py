"""What other domains' pages show of submissions: the challenge page's concept counts, a concept's API body."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from app.actor import Actor
from app.challenges.models import Challenge
from app.submissions import service
from app.submissions.models import Submission, SubmissionStatus
from app.submissions.schemas import SubmissionRead, submission_read


@dataclass(frozen=True)
class ConceptCounts:
    submitted: int  # submitted concepts, public or not (a number, never their content)
    in_gallery: int  # those this reader finds in the gallery


def concept_counts(session: Session, *, challenge: Challenge, actor: Actor, now: datetime) -> ConceptCounts:
    """The challenge page's numbers, in one query."""
    submitted = and_(col(Submission.status) == SubmissionStatus.SUBMITTED, col(Submission.version_count) > 0)
    seen = and_(submitted, service.visible_condition(actor, challenge, now))
    row = session.exec(
        select(
            func.coalesce(func.sum(case((submitted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((seen, 1), else_=0)), 0),
        ).where(col(Submission.challenge_id) == challenge.id)
    ).one()
    return ConceptCounts(submitted=int(row[0]), in_gallery=int(row[1]))


def concept_read(session: Session, *, challenge: Challenge, submission: Submission, actor: Actor) -> SubmissionRead:
    """A concept's API body as `actor` sees it (the working copy for its team, a submitted version for others)."""
    return submission_read(service.shown(session, submission=submission, actor=actor), actor=actor, challenge=challenge)
