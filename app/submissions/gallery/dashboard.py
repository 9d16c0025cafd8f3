"""The hosts' dashboard of a challenge's concepts: counts, the table of submitted and withdrawn concepts, and the CSV
export of the submitted entries. Drafts are counted, never shown: their content is the team's alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.challenges.models import Challenge
from app.errors import Forbidden
from app.i18n import gettext as _
from app.kit import text
from app.submissions import permissions
from app.submissions.models import MemberRole, Submission, SubmissionMember, SubmissionStatus, SubmissionVersion

# Spreadsheets run a cell that starts with one of these as a formula.


@dataclass(frozen=True)
class Counts:
    drafts: int
    submitted: int
    withdrawn: int
    teams: int  # concepts with two or more people, drafts included
    participants: int  # distinct people on any concept, drafts included


@dataclass(frozen=True)
class Row:
    submission: Submission
    version: SubmissionVersion  # the newest submitted one
    lead_email: str
    attachment_count: int


def require_host(actor: Actor, challenge: Challenge) -> None:
    """The dashboard is for the challenge's host and co-host editors and platform admins."""
    if not permissions.runs_challenge(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts can see its concepts' dashboard."))


def counts(session: Session, *, actor: Actor, challenge: Challenge) -> Counts:
    """How many concepts are in each state, how many are teams, and how many people take part (two queries)."""
    require_host(actor, challenge)
    status = col(Submission.status)
    members = (
        select(func.count(col(SubmissionMember.id)))
        .where(col(SubmissionMember.submission_id) == col(Submission.id))
        .correlate(Submission)
        .scalar_subquery()
    )
    row = session.exec(
        select(
            func.coalesce(func.sum(case((status == SubmissionStatus.DRAFT, 1), else_=0)), 0),
            func.coalesce(func.sum(case((status == SubmissionStatus.SUBMITTED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((status == SubmissionStatus.WITHDRAWN, 1), else_=0)), 0),
            func.coalesce(func.sum(case((members > 1, 1), else_=0)), 0),
        ).where(col(Submission.challenge_id) == challenge.id)
    ).one()
    participants = session.exec(
        select(func.count(func.distinct(col(SubmissionMember.user_id))))
        .join(Submission, col(Submission.id) == col(SubmissionMember.submission_id))
        .where(col(Submission.challenge_id) == challenge.id)
    ).one()
    return Counts(
        drafts=int(row[0]), submitted=int(row[1]), withdrawn=int(row[2]), teams=int(row[3]),
        participants=int(participants),
    )  # fmt: skip


def rows(session: Session, *, actor: Actor, challenge: Challenge, statuses: Sequence[SubmissionStatus]) -> list[Row]:
    """Submitted (and withdrawn, when asked) concepts with their newest version and lead's email, newest change
    first, in one query. Drafts never: they may have no version, and their content is the team's."""
    require_host(actor, challenge)
    allowed = [s for s in statuses if s != SubmissionStatus.DRAFT]
    found = session.exec(
        select(Submission, SubmissionVersion, User.email,
               func.coalesce(func.json_array_length(col(SubmissionVersion.attachment_ids)), 0))
        .join(SubmissionVersion, and_(col(SubmissionVersion.submission_id) == col(Submission.id),
                                      col(SubmissionVersion.number) == col(Submission.version_count)))
        .outerjoin(SubmissionMember, and_(col(SubmissionMember.submission_id) == col(Submission.id),
                                          col(SubmissionMember.role) == MemberRole.LEAD))
        .outerjoin(User, col(User.id) == col(SubmissionMember.user_id))
        .where(col(Submission.challenge_id) == challenge.id, col(Submission.status).in_(allowed),
               col(Submission.version_count) > 0)
        .order_by(col(Submission.updated_at).desc(), col(Submission.id).desc())
    ).all()  # fmt: skip
    return [Row(submission=s, version=v, lead_email=email or "", attachment_count=int(n)) for s, v, email, n in found]


def export_csv(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> str:
    """The submitted entries as CSV (UTF-8 with a byte order mark, for Excel): the newest version's text, the team
    name as the team wrote it (hosts know anonymous teams; the `anonymous` column says not to publish it), the
    lead's email and nothing else personal."""
    del now  # the export is the same at any moment; kept for the service signature's sake
    header = ["id", "title", "summary", "team_name", "anonymous", "version", "submitted_at", "attachment_count",
              "lead_email"]  # fmt: skip
    found = rows(session, actor=actor, challenge=challenge, statuses=[SubmissionStatus.SUBMITTED])
    return text.csv_document(header, (
        (row.submission.id, row.version.title, row.version.summary, row.version.team_name,
         "yes" if row.submission.anonymous else "no", row.version.number, row.version.created_at.isoformat(),
         row.attachment_count, row.lead_email)
        for row in found
    ))  # fmt: skip
