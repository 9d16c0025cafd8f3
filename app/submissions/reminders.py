"""The draft reminder: from 48 hours before a challenge's deadline, each team whose concept is still only a draft is
emailed once, every member in their own language. Run by the worker's tick (app/cli.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app import i18n
from app.challenges.models import Challenge
from app.challenges.phases import Phase, phase_condition
from app.integrations import outbox
from app.kit import urls
from app.submissions.models import Submission, SubmissionMember, SubmissionStatus

REMIND_BEFORE = timedelta(hours=48)


def remind_drafts(session: Session, *, now: datetime) -> int:
    """Email the members of every never-submitted draft on a challenge that closes within 48 hours, once per draft;
    returns how many drafts were reminded. Idempotent: a draft is claimed (its mark set) in the same UPDATE that
    picks it, so two workers never remind the same team twice. A fixed number of queries, whatever the count."""
    closing = select(Challenge.id).where(
        phase_condition(Phase.OPEN, now), col(Challenge.submissions_close_at) <= now + REMIND_BEFORE
    )
    claimed = session.execute(
        update(Submission)
        .where(
            col(Submission.challenge_id).in_(closing),
            col(Submission.status) == SubmissionStatus.DRAFT,
            col(Submission.version_count) == 0,
            col(Submission.draft_reminder_sent_at).is_(None),
        )
        .values(draft_reminder_sent_at=now)
        .returning(col(Submission.id))
        .execution_options(synchronize_session=False)
    ).scalars().all()  # fmt: skip
    if not claimed:
        return 0
    drafts = session.exec(
        select(Submission)
        .where(col(Submission.id).in_(sorted(claimed)))
        .options(selectinload(Submission.members).selectinload(SubmissionMember.user))  # type: ignore[arg-type]
        .order_by(col(Submission.id))
        .execution_options(populate_existing=True)
    ).all()
    challenges = {
        challenge.id: challenge
        for challenge in session.exec(
            select(Challenge)
            .where(col(Challenge.id).in_(sorted({draft.challenge_id for draft in drafts})))
            .options(selectinload(Challenge.host))  # type: ignore[arg-type]
        ).all()
    }
    for draft in drafts:
        challenge = challenges[draft.challenge_id]
        assert challenge.submissions_close_at is not None  # noqa: S101  (chosen for its deadline)
        for member in draft.members:
            if not member.user.is_active:
                continue
            with i18n.language(member.user.language):
                deadline = i18n.format_datetime(challenge.submissions_close_at, challenge.host.timezone)
            outbox.enqueue_email(
                session, to=member.user.email, template="draft_reminder", language=member.user.language,
                context={"submission": draft, "challenge": challenge, "deadline": deadline,
                         "link": urls.absolute(urls.concept(challenge.slug, draft.id))},
                now=now,
            )  # fmt: skip
    session.flush()
    return len(drafts)
