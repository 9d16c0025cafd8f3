"""Followers hear about a challenge by email, through the outbox: when it opens, two days before the deadline, when
a question is answered and when results are announced; at once or in one daily digest; in their own language;
never twice, and never as a flood of old news."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from app import cli
from app.accounts.models import EmailFrequency
from app.challenges.follows import service as follows
from app.challenges.models import Challenge, FollowerNotification, NoticeKind
from app.clock import FrozenClock
from app.integrations import sender
from app.integrations.models import OutboxStatus
from app.organizations.models import Organization
from tests.challenges.conftest import Cast
from tests.challenges.follows.follows_helpers import as_user, follow_mail, tick
from tests.conftest import NOW
from tests.factories import make_challenge, make_follow, make_question, make_user

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def challenge_opening_in_ten_days(db: Session, host: Organization, **fields: Any) -> Challenge:
    """Opens NOW + 10 days, closes NOW + 40 days, results NOW + 70 days (the standard timeline)."""
    return make_challenge(db, host, slug="sentrum", title="Bærekraftig sentrumshandel", start=NOW, **fields)


def test_followers_hear_when_it_opens_nears_its_deadline_and_announces_results(
    db: Session, cast: Cast, clock: FrozenClock
) -> None:
    challenge = challenge_opening_in_ten_days(db, cast.halden)
    nora, jonas = (
        make_user(db, language="en", display_name="Nora Dahl"),
        make_user(db, language="en", display_name="Jonas Aasen"),
    )
    for user in (nora, jonas):
        make_follow(db, user, challenge, created_at=clock.now())
    bystander = make_user(db, language="en")

    assert tick(db, clock) == 0  # upcoming: nothing to tell

    clock.at = challenge.opens_at + HOUR
    assert tick(db, clock) == 2
    (opened,) = follow_mail(db, nora)
    assert opened.subject == "Bærekraftig sentrumshandel is open for concepts"
    assert opened.body.startswith("Hello Nora Dahl,")  # in Nora's language (other languages: further down)
    assert "Halden kommune" in opened.body
    assert "http://testserver/challenges/sentrum" in opened.body
    assert len(follow_mail(db, jonas)) == 1
    assert follow_mail(db, bystander) == []
    assert tick(db, clock) == 0  # running again sends nothing more

    clock.at = challenge.opens_at + 10 * DAY  # the middle of the open phase: nothing new
    assert tick(db, clock) == 0

    clock.at = challenge.submissions_close_at - 47 * HOUR
    assert tick(db, clock) == 2
    closing = follow_mail(db, nora)[-1]
    assert closing.subject == "Bærekraftig sentrumshandel closes soon"
    assert "There is still time to send in a concept." in closing.body
    assert tick(db, clock) == 0

    for day in (45, 60, 67):  # review, public vote, closed: no news for followers
        clock.at = NOW + day * DAY
        assert tick(db, clock) == 0

    clock.at = challenge.announce_at + 2 * HOUR
    assert tick(db, clock) == 2
    results = follow_mail(db, nora)[-1]
    assert results.subject == "The results of Bærekraftig sentrumshandel are announced"
    assert tick(db, clock) == 0
    clock.advance(30 * DAY)
    assert tick(db, clock) == 0
    assert [m.subject for m in follow_mail(db, jonas)] == [m.subject for m in follow_mail(db, nora)]


def test_the_first_run_does_not_spam_followers_with_old_news(db: Session, cast: Cast, clock: FrozenClock) -> None:
    opened_long_ago = make_challenge(db, cast.halden, slug="gammel", start=NOW - 30 * DAY)  # opened 20 days ago
    announced_long_ago = make_challenge(db, cast.halden, slug="ferdig", start=NOW - 80 * DAY)  # results 10 days ago
    opened_this_morning = make_challenge(db, cast.halden, slug="fersk", start=NOW - 10 * DAY - 3 * HOUR)
    nora = make_user(db, language="en")
    for challenge in (opened_long_ago, announced_long_ago, opened_this_morning):
        make_follow(db, nora, challenge, created_at=clock.now())

    assert tick(db, clock) == 1
    (mail,) = follow_mail(db, nora)
    assert opened_this_morning.title in mail.subject
    assert tick(db, clock) == 0


def test_a_challenge_opening_close_to_its_deadline_warns_before_it_closes(
    db: Session, cast: Cast, clock: FrozenClock
) -> None:
    # Found for the first time 10 hours before the deadline: still worth a warning, with the real time left.
    challenge = make_challenge(db, cast.halden, slug="snart", start=NOW - 40 * DAY + 10 * HOUR)
    nora = make_user(db, language="en")
    make_follow(db, nora, challenge, created_at=clock.now())
    assert tick(db, clock) == 1
    assert "closes soon" in follow_mail(db, nora)[0].subject
    clock.at = challenge.submissions_close_at + HOUR  # the deadline passed: no more warnings
    assert tick(db, clock) == 0


def test_a_daily_digest_gathers_the_news_once_a_morning(db: Session, cast: Cast, clock: FrozenClock) -> None:
    sentrum = make_challenge(db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel", start=NOW)
    mobility = make_challenge(db, cast.stavanger, slug="mobilitet", title="Smartere mobilitet", start=NOW)
    ida = make_user(db, language="en", display_name="Ida Halvorsen", email_frequency=EmailFrequency.DAILY)
    emma = make_user(db, language="en", display_name="Emma Solberg")
    for user in (ida, emma):
        make_follow(db, user, sentrum, created_at=clock.now())
        make_follow(db, user, mobility, created_at=clock.now())

    clock.at = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)  # both opened an hour ago (14:00 in Oslo)
    assert tick(db, clock) == 2  # Emma gets two emails at once; Ida waits for tomorrow morning
    assert len(follow_mail(db, emma)) == 2
    assert follow_mail(db, ida) == []

    clock.at = datetime(2026, 12, 6, 5, 59, tzinfo=UTC)  # 06:59 in Oslo
    assert tick(db, clock) == 0
    clock.at = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)  # 07:00 in Oslo: the digest goes out
    assert tick(db, clock) == 1
    (digest,) = follow_mail(db, ida)
    assert digest.subject == "Samskap: 2 pieces of news about challenges you follow"
    assert digest.payload is not None
    assert digest.payload["template"] == "follow_digest"
    body = digest.body
    assert body.index("== Bærekraftig sentrumshandel ==") < body.index("== Smartere mobilitet ==")
    assert "Bærekraftig sentrumshandel from Halden kommune is now open for concepts." in body
    assert "Smartere mobilitet from Stavanger kommune is now open for concepts." in body
    assert body.count("/unfollow/") == 3  # one per challenge, and one that stops them all
    assert tick(db, clock) == 0
    clock.advance(6 * HOUR)
    assert tick(db, clock) == 0  # nothing new, so no empty digest


def test_switching_to_a_digest_holds_back_what_is_not_sent_yet(db: Session, cast: Cast, clock: FrozenClock) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", start=NOW - 10 * DAY - HOUR)
    nora = make_user(db, language="en")
    make_follow(db, nora, challenge, created_at=clock.now())
    follows.record_due_notices(db, now=clock.now())
    nora.email_frequency = EmailFrequency.DAILY
    db.add(nora)
    db.flush()
    assert follows.deliver_notifications(db, now=clock.now()) == 0
    clock.advance(DAY)
    assert follows.deliver_notifications(db, now=clock.now()) == 1


VIDEO_QUESTION = "Kan vi levere konseptet som video i stedet for PDF?"
VIDEO_ANSWER = "Ja, en video på inntil fem minutter er fint."


def test_an_answered_question_reaches_followers_with_the_question_and_answer(
    db: Session, cast: Cast, clock: FrozenClock
) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel", start=NOW)
    nora, asker = make_user(db, language="en"), make_user(db, language="en")
    for user in (nora, asker):
        make_follow(db, user, challenge, created_at=clock.now())
    question = make_question(db, challenge, author=asker, body=VIDEO_QUESTION, answer=VIDEO_ANSWER, answered_at=NOW)

    # What the Q&A does when a host answers for the first time.
    follows.record_notice(db, challenge=challenge, kind=NoticeKind.QUESTION_ANSWERED, subject_id=question.id or 0,
                          now=clock.now())  # fmt: skip
    assert tick(db, clock) == 1
    (mail,) = follow_mail(db, nora)
    assert mail.subject == "A question about Bærekraftig sentrumshandel was answered"
    assert "Kan vi levere konseptet som video i stedet for PDF?" in mail.body
    assert "Ja, en video på inntil fem minutter er fint." in mail.body
    assert f"http://testserver/challenges/sentrum#question-{question.id}" in mail.body
    # The asker was told by the Q&A itself; the follow news would only say it again.
    assert follow_mail(db, asker) == []


def test_a_question_hidden_before_the_email_goes_out_is_left_out(db: Session, cast: Cast, clock: FrozenClock) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", start=NOW)
    nora = make_user(db, language="en")
    make_follow(db, nora, challenge, created_at=clock.now())
    question = make_question(
        db,
        challenge,
        author_id=None,
        body=VIDEO_QUESTION,
        answer=VIDEO_ANSWER,
        answered_at=NOW,
        hidden_at=NOW,
        hidden_reason="Personangrep",
    )
    follows.record_notice(db, challenge=challenge, kind=NoticeKind.QUESTION_ANSWERED, subject_id=question.id or 0,
                          now=clock.now())  # fmt: skip
    assert tick(db, clock) == 0
    assert follow_mail(db, nora) == []
    assert db.exec(select(FollowerNotification).where(FollowerNotification.sent_at == None)).all() == []  # noqa: E711


@pytest.mark.parametrize(
    ("language", "month", "greeting"),
    [("nb", "januar", "Hei"), ("sv", "januari", "Hej"), ("en", "January", "Hello")],
)
def test_each_follower_is_emailed_in_their_own_language(
    db: Session, cast: Cast, clock: FrozenClock, language: str, month: str, greeting: str
) -> None:
    challenge = challenge_opening_in_ten_days(db, cast.halden)  # closes 4 January 2027
    follower = make_user(db, language=language, display_name="Alex")
    make_follow(db, follower, challenge, created_at=clock.now())
    clock.at = challenge.opens_at + HOUR
    tick(db, clock)
    (mail,) = follow_mail(db, follower)
    assert mail.payload is not None
    assert mail.payload["language"] == language
    assert f"{month} 2027" in mail.body or f"{month} 4, 2027" in mail.body
    assert mail.body.startswith(greeting)


def test_news_waits_for_nobody_who_cannot_be_emailed(db: Session, cast: Cast, clock: FrozenClock) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", start=NOW - 10 * DAY - HOUR)
    active, deactivated = make_user(db, language="en"), make_user(db, language="en")
    for user in (active, deactivated):
        make_follow(db, user, challenge, created_at=clock.now())
    deactivated.is_active = False
    db.add(deactivated)
    db.flush()
    assert tick(db, clock) == 1
    assert follow_mail(db, deactivated) == []
    assert len(follow_mail(db, active)) == 1


def test_a_follower_who_stops_before_the_digest_gets_nothing(db: Session, cast: Cast, clock: FrozenClock) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", start=NOW - 10 * DAY - HOUR)
    ida = make_user(db, language="en", email_frequency=EmailFrequency.DAILY)
    make_follow(db, ida, challenge, created_at=clock.now())
    follows.record_due_notices(db, now=clock.now())
    follows.unfollow(db, actor=as_user(ida), challenge=challenge)
    clock.advance(DAY)
    assert tick(db, clock) == 0
    assert follow_mail(db, ida) == []


def test_every_follow_email_can_be_stopped_from_the_mail_client(db: Session, cast: Cast, clock: FrozenClock) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", start=NOW - 10 * DAY - HOUR)
    nora = make_user(db, language="en")
    make_follow(db, nora, challenge, created_at=clock.now())
    tick(db, clock)
    (mail,) = follow_mail(db, nora)
    email = sender.build_email(mail, cli.get_settings())
    header = email["List-Unsubscribe"]
    assert header.startswith("<http://testserver/unfollow/")
    assert header[1:-1] in mail.body  # the same link as in the text
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_worker_tick_records_queues_and_sends_follow_news(
    db: Session, cast: Cast, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    challenge = make_challenge(db, cast.halden, slug="sentrum", start=NOW - 10 * DAY - HOUR)
    nora = make_user(db, language="en")
    make_follow(db, nora, challenge, created_at=clock.now())
    # The worker, in this process, on the test's connection and clock.
    monkeypatch.setattr(cli, "get_engine", db.connection)
    monkeypatch.setattr(cli, "SYSTEM_CLOCK", clock)

    assert cli.main(["worker", "--once"]) == 0
    assert "Sent 1 message(s)." in capsys.readouterr().out
    (mail,) = follow_mail(db, nora)
    db.refresh(mail)
    assert mail.status == OutboxStatus.SENT
    assert cli.main(["worker", "--once"]) == 0
    assert "Sent 0 message(s)." in capsys.readouterr().out
