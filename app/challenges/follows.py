"""Following challenges: who follows what, and the notices followers hear about."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.challenges.models import Challenge, ChallengeNotice, Follow, FollowerNotification, NoticeKind


def record_notice(
    session: Session, *, challenge: Challenge, kind: NoticeKind, now: datetime, subject_id: int = 0
) -> ChallengeNotice | None:
    """Record that `kind` happened to `challenge` and queue it for every follower; None if it was recorded before.

    Recording twice is harmless (the scheduler and a request may race): the unique key keeps one notice.
    """
    assert challenge.id is not None  # noqa: S101  (a stored challenge)
    notice = ChallengeNotice(challenge_id=challenge.id, kind=kind, subject_id=subject_id, created_at=now)
    try:
        with session.begin_nested():
            session.add(notice)
            session.flush()
    except IntegrityError:
        return None
    follower_ids = session.exec(select(Follow.user_id).where(col(Follow.challenge_id) == challenge.id)).all()
    assert notice.id is not None  # noqa: S101  (flushed above)
    session.add_all(
        FollowerNotification(user_id=user_id, notice_id=notice.id, created_at=now) for user_id in follower_ids
    )
    session.flush()
    return notice
