"""Demo data: citizens follow several challenges, one of them takes a daily digest; loading twice adds nothing."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from app import demo
from app.accounts.models import EmailFrequency, User
from app.challenges.models import Challenge, Follow
from tests.conftest import NOW


def test_demo_citizens_follow_challenges_and_one_reads_a_daily_digest(db: Session) -> None:
    demo.load(db, now=NOW)
    rows = db.exec(
        select(User.email, Challenge.slug)
        .join(Follow, col(Follow.user_id) == User.id)
        .join(Challenge, col(Challenge.id) == Follow.challenge_id)
    ).all()
    followed: dict[str, set[str]] = {}
    for email, slug in rows:
        followed.setdefault(email, set()).add(slug)
    assert followed == {email: set(slugs) for email, slugs in demo.FOLLOWS}
    daily = db.exec(select(User.email).where(User.email_frequency == EmailFrequency.DAILY)).all()
    assert daily == list(demo.DAILY_DIGEST_CITIZENS)

    count = db.exec(select(func.count()).select_from(Follow)).one()
    assert demo.load(db, now=NOW) is False
    assert db.exec(select(func.count()).select_from(Follow)).one() == count
