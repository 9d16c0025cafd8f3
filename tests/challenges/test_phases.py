"""The phase is derived from status and dates: every transition, every skipped phase, and the SQL agrees."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from app.challenges.models import Challenge, Status
from app.challenges.phases import ALLOWED, Action, Phase, phase_condition, phase_of
from app.organizations.models import Organization
from tests.challenges.conftest import Cast
from tests.factories import TIMELINE_START, make_challenge

DAY = timedelta(days=1)


def challenge(status: Status = Status.PUBLISHED, **dates: datetime | None) -> Challenge:
    timeline: dict[str, datetime | None] = {
        "opens_at": TIMELINE_START + 10 * DAY,
        "submissions_close_at": TIMELINE_START + 40 * DAY,
        "review_ends_at": TIMELINE_START + 55 * DAY,
        "voting_opens_at": TIMELINE_START + 55 * DAY,
        "voting_closes_at": TIMELINE_START + 65 * DAY,
        "announce_at": TIMELINE_START + 70 * DAY,
    }
    return Challenge(host_id=1, slug="x", title="X", status=status, **{**timeline, **dates})


def day(n: float) -> datetime:
    return TIMELINE_START + n * DAY


@pytest.mark.parametrize(
    ("moment", "phase"),
    [
        (day(0), Phase.UPCOMING),
        (day(10) - timedelta(seconds=1), Phase.UPCOMING),
        (day(10), Phase.OPEN),  # opening is inclusive
        (day(40) - timedelta(seconds=1), Phase.OPEN),
        (day(40), Phase.REVIEW),  # the deadline is exclusive
        (day(55) - timedelta(seconds=1), Phase.REVIEW),
        (day(55), Phase.VOTING),
        (day(65) - timedelta(seconds=1), Phase.VOTING),
        (day(65), Phase.CLOSED),
        (day(70) - timedelta(seconds=1), Phase.CLOSED),
        (day(70), Phase.ANNOUNCED),
        (day(400), Phase.ANNOUNCED),
    ],
)
def test_a_published_challenge_moves_through_every_phase(moment: datetime, phase: Phase) -> None:
    assert phase_of(challenge(), moment) is phase


@pytest.mark.parametrize("moment", [day(-5), day(20), day(80)])
def test_status_decides_before_dates(moment: datetime) -> None:
    assert phase_of(challenge(Status.DRAFT), moment) is Phase.DRAFT
    assert phase_of(challenge(Status.CANCELLED), moment) is Phase.CANCELLED


def test_without_a_jury_the_review_phase_is_skipped() -> None:
    no_jury = challenge(review_ends_at=None, voting_opens_at=day(40), voting_closes_at=day(50), announce_at=day(52))
    assert phase_of(no_jury, day(39)) is Phase.OPEN
    assert phase_of(no_jury, day(40)) is Phase.VOTING
    assert phase_of(no_jury, day(50)) is Phase.CLOSED
    assert phase_of(no_jury, day(52)) is Phase.ANNOUNCED


def test_without_a_public_vote_the_voting_phase_is_skipped() -> None:
    no_vote = challenge(voting_opens_at=None, voting_closes_at=None)
    assert phase_of(no_vote, day(54)) is Phase.REVIEW
    assert phase_of(no_vote, day(55)) is Phase.CLOSED
    assert phase_of(no_vote, day(70)) is Phase.ANNOUNCED


def test_without_jury_or_vote_the_challenge_closes_at_the_deadline() -> None:
    bare = challenge(review_ends_at=None, voting_opens_at=None, voting_closes_at=None)
    assert phase_of(bare, day(40)) is Phase.CLOSED
    assert phase_of(bare, day(70)) is Phase.ANNOUNCED


def test_a_gap_between_review_and_vote_is_closed() -> None:
    gap = challenge(voting_opens_at=day(60), voting_closes_at=day(65))
    assert phase_of(gap, day(57)) is Phase.CLOSED
    assert phase_of(gap, day(60)) is Phase.VOTING


def test_without_an_announcement_date_it_stays_closed() -> None:
    assert phase_of(challenge(announce_at=None), day(500)) is Phase.CLOSED


def test_the_phase_table_names_every_phase_and_freezes_rules_once_open() -> None:
    assert set(ALLOWED) == set(Phase)
    assert [phase for phase in Phase if Action.EDIT_RULES in ALLOWED[phase]] == [Phase.DRAFT, Phase.UPCOMING]
    assert [phase for phase in Phase if Action.SUBMIT in ALLOWED[phase]] == [Phase.OPEN]
    assert [phase for phase in Phase if Action.VOTE in ALLOWED[phase]] == [Phase.VOTING]
    assert [phase for phase in Phase if Action.SCORE in ALLOWED[phase]] == [Phase.REVIEW]
    assert ALLOWED[Phase.CANCELLED] == frozenset()


def _with_timeline(db: Session, host: Organization, slug: str, status: str, **dates: datetime | None) -> None:
    make_challenge(db, host, slug=slug, status=status, **dates)


def test_the_sql_phase_condition_agrees_with_phase_of(db: Session, cast: Cast) -> None:
    _with_timeline(db, cast.halden, "full", "published")
    _with_timeline(db, cast.halden, "draft", "draft")
    _with_timeline(db, cast.halden, "cancelled", "cancelled")
    _with_timeline(db, cast.halden, "no-jury", "published", review_ends_at=None, voting_opens_at=day(40),
                   voting_closes_at=day(50), announce_at=day(52))  # fmt: skip
    _with_timeline(db, cast.halden, "no-vote", "published", voting_opens_at=None, voting_closes_at=None)
    _with_timeline(db, cast.halden, "gap", "published", voting_opens_at=day(60))
    _with_timeline(db, cast.halden, "no-announce", "published", announce_at=None)
    challenges = db.exec(select(Challenge)).all()
    for moment in [day(n) for n in (0, 10, 20, 40, 45, 52, 55, 57, 60, 65, 67, 70, 90)]:
        for phase in Phase:
            in_sql = set(db.exec(select(Challenge.slug).where(phase_condition(phase, moment))).all())
            in_python = {c.slug for c in challenges if phase_of(c, moment) is phase}
            assert in_sql == in_python, (phase, moment)
    assert db.exec(select(col(Challenge.slug)).where(phase_condition(Phase.OPEN, day(20)))).all()


def test_comments_feedback_and_public_concepts_follow_the_phase_table() -> None:
    published = [Phase.UPCOMING, Phase.OPEN, Phase.REVIEW, Phase.VOTING, Phase.CLOSED, Phase.ANNOUNCED]
    for action in (Action.COMMENT, Action.FEEDBACK, Action.SHOW_CONCEPTS):
        assert [phase for phase in Phase if action in ALLOWED[phase]] == published
    after_review = [phase for phase in Phase if Action.SHOW_REVIEWED_CONCEPTS in ALLOWED[phase]]
    assert after_review == [Phase.VOTING, Phase.CLOSED, Phase.ANNOUNCED]
    assert [phase for phase in Phase if Action.COUNT_DOWN in ALLOWED[phase]] == [Phase.UPCOMING, Phase.OPEN]
