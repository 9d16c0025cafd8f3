"""48 hours before the deadline, every member of a team whose concept is still only a draft gets one reminder."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event
from sqlmodel import Session

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import Submission
from app.submissions.reminders import remind_drafts
from tests.challenges.conftest import Cast, at
from tests.factories import make_challenge, make_submission, make_user
from tests.mail import emails_to
from tests.submissions.conftest import Team


def test_draft_teams_are_reminded_once_in_their_language(
    db: Session, cast: Cast, team: Team, challenge: Any, clock: FrozenClock
) -> None:
    draft = make_submission(db, challenge, team.lead, members=[team.member], title="Takhager")
    make_submission(db, challenge, cast.citizen, title="Allerede sendt", versions=1)
    make_submission(db, challenge, team.invitee, title="Trukket", versions=1, status="withdrawn")
    deadline = challenge.submissions_close_at
    clock.at = deadline - timedelta(hours=49)
    assert remind_drafts(db, now=clock.now()) == 0
    assert emails_to(db, team.lead.email) == []

    clock.at = deadline - timedelta(hours=47)
    assert remind_drafts(db, now=clock.now()) == 1
    to_lead, to_member = emails_to(db, team.lead.email), emails_to(db, team.member.email)
    assert len(to_lead) == len(to_member) == 1
    assert "Takhager" in to_lead[0].subject
    assert f"/challenges/gronne-tak/submissions/{draft.id}" in to_lead[0].body
    assert to_lead[0].payload["language"] == "nb"
    assert to_member[0].payload["language"] == "sv"
    assert emails_to(db, cast.citizen.email) == []
    assert emails_to(db, team.invitee.email) == []
    assert db.get(Submission, draft.id).draft_reminder_sent_at == clock.now()

    clock.at = deadline - timedelta(hours=1)
    assert remind_drafts(db, now=clock.now()) == 0
    assert len(emails_to(db, team.lead.email)) == 1


def test_a_draft_started_after_the_reminder_ran_is_reminded_at_the_next_tick(
    db: Session, cast: Cast, team: Team, challenge: Any, clock: FrozenClock
) -> None:
    clock.at = challenge.submissions_close_at - timedelta(hours=40)
    assert remind_drafts(db, now=clock.now()) == 0
    make_submission(db, challenge, cast.citizen)
    clock.at += timedelta(minutes=1)
    assert remind_drafts(db, now=clock.now()) == 1
    assert len(emails_to(db, cast.citizen.email)) == 1


def test_nothing_is_sent_after_the_deadline_or_for_a_challenge_far_from_it(
    db: Session, cast: Cast, team: Team, challenge: Any, clock: FrozenClock
) -> None:
    make_submission(db, challenge, team.lead)
    clock.at = challenge.submissions_close_at + timedelta(minutes=1)
    assert remind_drafts(db, now=clock.now()) == 0
    clock.at = at(Phase.OPEN)
    assert challenge.submissions_close_at - clock.at > timedelta(hours=48)
    assert remind_drafts(db, now=clock.now()) == 0
    assert emails_to(db, team.lead.email) == []


def test_the_query_count_does_not_grow_with_the_number_of_drafts(
    db: Session, cast: Cast, challenge: Any, clock: FrozenClock
) -> None:
    other = make_challenge(db, cast.baerum, slug="bedre-busser", title="Bedre busser")

    def drafts_on(count: int, prefix: str) -> None:
        for number in range(count):
            for target in (challenge, other):
                lead = make_user(db, email=f"{prefix}{number}-{target.slug}@example.no")
                make_submission(db, target, lead, members=[make_user(db, email=f"m{prefix}{number}{target.slug}@x.no")])
        db.commit()

    def statements_for_reminding() -> int:
        seen: list[str] = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        engine = db.get_bind()
        event.listen(engine, "before_cursor_execute", listener)
        try:
            remind_drafts(db, now=clock.now())
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return sum(1 for sql in seen if not sql.lstrip().upper().startswith(("INSERT", "SAVEPOINT", "RELEASE")))

    clock.at = challenge.submissions_close_at - timedelta(hours=24)
    drafts_on(1, "a")
    few = statements_for_reminding()
    drafts_on(5, "b")
    many = statements_for_reminding()
    assert few == many
