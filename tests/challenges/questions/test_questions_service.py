"""Q&A through the service: asking, answering, editing, merging duplicates, hiding abuse, and who sees what."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from app import i18n
from app.accounts import gdpr
from app.accounts.models import User
from app.actor import Actor
from app.audit.models import AuditEvent
from app.auth import actors
from app.challenges.models import Challenge, ChallengeNotice, FollowerNotification, NoticeKind, Question
from app.challenges.phases import Phase
from app.challenges.questions import service as questions
from app.errors import Conflict, Forbidden, NotFound, PhaseClosed, TooManyRequests, ValidationFailed
from app.integrations.models import OutboxKind, OutboxMessage
from tests.challenges.conftest import Cast, at
from tests.factories import make_challenge, make_follow, make_question, make_user

OPEN = at(Phase.OPEN)


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    """The service's messages below are compared with their English source texts."""
    with i18n.language("en"):
        yield


def actor(db: Session, user: User | None) -> Actor:
    if user is None:
        return Actor.anonymous()
    assert user.id is not None
    return Actor(user=user, roles=actors.roles_of(db, user.id), via="session")


def seen_by(db: Session, user: User | None, challenge: Challenge) -> list[str]:
    return [entry.question.body for entry in questions.list_for(db, actor=actor(db, user), challenge=challenge)]


def emails(db: Session) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).where(OutboxMessage.kind == OutboxKind.EMAIL)).all())


def count(db: Session, model: Any) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


@pytest.fixture
def challenge(db: Session, cast: Cast) -> Challenge:
    made: Challenge = make_challenge(db, cast.halden, slug="gronne-tak", title="Grønne tak", cohosts=[cast.baerum])
    return made


def test_a_question_waits_for_the_hosts_and_becomes_public_when_answered(
    db: Session, cast: Cast, challenge: Challenge
) -> None:
    question = questions.ask(db, actor=actor(db, cast.citizen), challenge=challenge,
                             body="  Må vi ha med en budsjettskisse?  ", now=OPEN)  # fmt: skip
    assert question.body == "Må vi ha med en budsjettskisse?"

    assert seen_by(db, cast.citizen, challenge) == ["Må vi ha med en budsjettskisse?"]
    for host in (cast.halden_editor, cast.baerum_editor, cast.platform_admin):
        assert seen_by(db, host, challenge) == ["Må vi ha med en budsjettskisse?"]
    for outsider in (None, cast.stavanger_editor, make_user(db)):
        assert seen_by(db, outsider, challenge) == []
        with pytest.raises(NotFound):
            questions.get_question(db, actor=actor(db, outsider), challenge=challenge, question_id=question.id or 0)

    questions.answer(db, actor=actor(db, cast.baerum_editor), challenge=challenge, question=question,
                     text="Ja, en **enkel** skisse holder.", now=OPEN)  # fmt: skip
    for anyone in (None, cast.stavanger_editor, cast.citizen):
        assert seen_by(db, anyone, challenge) == ["Må vi ha med en budsjettskisse?"]
    assert question.answered_at == OPEN
    assert question.answered_by_id == cast.baerum_editor.id


def test_answering_tells_the_asker_by_email_and_the_followers_through_a_notice(
    db: Session, cast: Cast, challenge: Challenge
) -> None:
    follower = make_user(db, email="folger@example.no")
    make_follow(db, follower, challenge)
    asker = make_user(db, email="spor@example.no", display_name="Siri Spør", language="sv")
    question = make_question(db, challenge, author=asker, body="Får vi bruke åpne data fra kommunen?")

    questions.answer(db, actor=actor(db, cast.halden_editor), challenge=challenge, question=question,
                     text="Ja, alle datasett på data.halden.no.", now=OPEN)  # fmt: skip

    [email] = emails(db)
    assert email.recipient == "spor@example.no"
    assert "Grønne tak" in email.subject
    assert "Får vi bruke åpne data fra kommunen?" in email.body
    assert "Ja, alle datasett på data.halden.no." in email.body
    assert f"/challenges/gronne-tak#question-{question.id}" in email.body
    assert email.payload == {"template": "question_answered", "language": "sv"}
    notice = db.exec(select(ChallengeNotice).where(ChallengeNotice.challenge_id == challenge.id)).one()
    assert (notice.kind, notice.subject_id) == (NoticeKind.QUESTION_ANSWERED, question.id)
    assert db.exec(select(FollowerNotification.user_id)).all() == [follower.id]
    event = db.exec(select(AuditEvent).where(AuditEvent.action == "question.answer")).one()
    assert (event.target_type, event.target_id, event.organization_id) == ("question", str(question.id), cast.halden.id)


def test_rewording_an_answer_is_audited_but_sends_nothing_again(db: Session, cast: Cast, challenge: Challenge) -> None:
    question = make_question(db, challenge, author=cast.citizen)
    host = actor(db, cast.halden_editor)
    questions.answer(db, actor=host, challenge=challenge, question=question, text="Ja.", now=OPEN)
    questions.answer(db, actor=host, challenge=challenge, question=question, text="Ja, se reglene.", now=OPEN)

    assert question.answer == "Ja, se reglene."
    assert len(emails(db)) == 1
    assert count(db, ChallengeNotice) == 1
    edit = db.exec(select(AuditEvent).where(AuditEvent.action == "question.answer.edit")).one()
    assert (edit.before, edit.after) == ({"answer": "Ja."}, {"answer": "Ja, se reglene."})


def test_an_unverified_person_must_confirm_their_email_before_asking(db: Session, challenge: Challenge) -> None:
    unverified = make_user(db, verified=False)
    with pytest.raises(Forbidden, match="Confirm your email"):
        questions.ask(db, actor=actor(db, unverified), challenge=challenge, body="Hei?", now=OPEN)
    assert count(db, Question) == 0


@pytest.mark.parametrize("phase", [Phase.REVIEW, Phase.VOTING, Phase.CLOSED, Phase.ANNOUNCED])
def test_no_new_questions_once_submissions_close(db: Session, cast: Cast, challenge: Challenge, phase: Phase) -> None:
    with pytest.raises(PhaseClosed):
        questions.ask(db, actor=actor(db, cast.citizen), challenge=challenge, body="For sent?", now=at(phase))
    assert count(db, Question) == 0


@pytest.mark.parametrize(("body", "message"), [("   ", "Write your question."), ("x" * 2001, "under 2000")])
def test_an_empty_or_overlong_question_is_refused(
    db: Session, cast: Cast, challenge: Challenge, body: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        questions.ask(db, actor=actor(db, cast.citizen), challenge=challenge, body=body, now=OPEN)
    assert message in refused.value.errors["body"]
    assert count(db, Question) == 0


def test_asking_is_rate_limited_per_person(db: Session, cast: Cast, challenge: Challenge) -> None:
    kari = actor(db, cast.citizen)
    for n in range(5):
        questions.ask(db, actor=kari, challenge=challenge, body=f"Spørsmål {n}", now=OPEN)
    with pytest.raises(TooManyRequests):
        questions.ask(db, actor=kari, challenge=challenge, body="Ett til", now=OPEN)
    questions.ask(db, actor=actor(db, make_user(db)), challenge=challenge, body="Noen andre", now=OPEN)
    assert count(db, Question) == 6


def test_the_asker_rewords_their_question_until_it_is_answered(db: Session, cast: Cast, challenge: Challenge) -> None:
    question = make_question(db, challenge, author=cast.citizen, body="Hvor lang kan rapporten være")
    kari = actor(db, cast.citizen)
    questions.edit(db, actor=kari, challenge=challenge, question=question, body="Hvor lang kan rapporten være?",
                   now=OPEN)  # fmt: skip
    assert question.body == "Hvor lang kan rapporten være?"

    with pytest.raises(Forbidden):
        questions.edit(db, actor=actor(db, cast.halden_editor), challenge=challenge, question=question, body="Nei",
                       now=OPEN)  # fmt: skip
    with pytest.raises(PhaseClosed):
        questions.edit(db, actor=kari, challenge=challenge, question=question, body="Sent", now=at(Phase.REVIEW))
    questions.answer(db, actor=actor(db, cast.halden_editor), challenge=challenge, question=question,
                     text="Ti sider.", now=OPEN)  # fmt: skip
    with pytest.raises(Conflict):
        questions.edit(db, actor=kari, challenge=challenge, question=question, body="Endret", now=OPEN)
    assert question.body == "Hvor lang kan rapporten være?"


@pytest.mark.parametrize("who", ["citizen", "stavanger_editor"])
def test_only_hosts_answer_merge_and_hide(db: Session, cast: Cast, challenge: Challenge, who: str) -> None:
    question = make_question(db, challenge, author=cast.citizen)
    other = make_question(db, challenge, author=cast.citizen, answer="Svar", answered_by=cast.halden_editor)
    outsider = actor(db, getattr(cast, who))
    with pytest.raises(Forbidden):
        questions.answer(db, actor=outsider, challenge=challenge, question=question, text="Ja", now=OPEN)
    with pytest.raises(Forbidden):
        questions.merge(db, actor=outsider, challenge=challenge, question=question, into_id=other.id or 0, now=OPEN)
    with pytest.raises(Forbidden):
        questions.hide(db, actor=outsider, challenge=challenge, question=question, reason="Spam", now=OPEN)
    assert (question.answer, question.duplicate_of_id, question.hidden_at) == ("", None, None)


def test_a_cancelled_challenge_takes_no_answers_but_abuse_can_still_be_hidden(db: Session, cast: Cast) -> None:
    cancelled = make_challenge(db, cast.halden, status="cancelled")
    question = make_question(db, cancelled, author=cast.citizen)
    host = actor(db, cast.halden_editor)
    with pytest.raises(PhaseClosed):
        questions.answer(db, actor=host, challenge=cancelled, question=question, text="Ja", now=OPEN)
    questions.hide(db, actor=host, challenge=cancelled, question=question, reason="Personangrep", now=OPEN)
    assert question.hidden_at == OPEN


def test_a_duplicate_is_listed_under_its_original_with_the_originals_answer(
    db: Session, cast: Cast, challenge: Challenge
) -> None:
    original = make_question(db, challenge, author=cast.citizen, body="Kan studenter delta?",
                             answer="Ja, alle over 16 år.", answered_by=cast.halden_editor)  # fmt: skip
    asker = make_user(db, email="ola@example.no")
    duplicate = make_question(db, challenge, author=asker, body="Må man være student?")
    earlier = make_question(db, challenge, author=make_user(db), body="Gjelder det elever?")
    host = actor(db, cast.halden_editor)
    questions.merge(db, actor=host, challenge=challenge, question=earlier, into_id=duplicate.id or 0, now=OPEN)

    questions.merge(db, actor=host, challenge=challenge, question=duplicate, into_id=original.id or 0, now=OPEN)

    assert earlier.duplicate_of_id == original.id  # moved along: no duplicate points at a duplicate
    [entry] = questions.list_for(db, actor=Actor.anonymous(), challenge=challenge)
    assert entry.question.body == "Kan studenter delta?"
    assert [d.question.body for d in entry.duplicates] == ["Må man være student?", "Gjelder det elever?"]
    assert {email.recipient for email in emails(db)} == {"ola@example.no", earlier_email(db, earlier)}
    event = db.exec(
        select(AuditEvent).where(AuditEvent.action == "question.merge").order_by(col(AuditEvent.id).desc())
    ).first()
    assert event is not None
    assert event.after == {"duplicate_of": original.id, "moved": [earlier.id]}


def earlier_email(db: Session, question: Question) -> str:
    user = db.get(User, question.author_id)
    assert user is not None
    return user.email


def test_merging_refuses_itself_a_duplicate_and_other_challenges(db: Session, cast: Cast, challenge: Challenge) -> None:
    question = make_question(db, challenge)
    original = make_question(db, challenge)
    duplicate = make_question(db, challenge, duplicate_of_id=original.id)
    elsewhere = make_question(db, make_challenge(db, cast.baerum))
    host = actor(db, cast.halden_editor)
    refusals = [(question.id, "itself"), (duplicate.id, "itself a duplicate"), (elsewhere.id, "this challenge"),
                (999_999, "this challenge")]  # fmt: skip
    for into, message in refusals:
        with pytest.raises(ValidationFailed) as refused:
            questions.merge(db, actor=host, challenge=challenge, question=question, into_id=into or 0, now=OPEN)
        assert message in refused.value.errors["into"]
    assert question.duplicate_of_id is None
    assert count(db, AuditEvent) == 0


def test_a_hidden_question_leaves_the_page_and_its_asker_sees_a_placeholder(
    db: Session, cast: Cast, challenge: Challenge
) -> None:
    question = make_question(db, challenge, author=cast.citizen, body="Dere er idioter", answer="Takk",
                             answered_by=cast.halden_editor)  # fmt: skip
    host = actor(db, cast.baerum_editor)
    questions.hide(db, actor=host, challenge=challenge, question=question, reason="Personangrep", now=OPEN)

    assert seen_by(db, None, challenge) == []
    [own] = questions.list_for(db, actor=actor(db, cast.citizen), challenge=challenge)
    assert (own.state, own.shows_body, own.question.hidden_reason) == ("hidden", False, "Personangrep")
    [hosted] = questions.list_for(db, actor=host, challenge=challenge)
    assert (hosted.state, hosted.shows_body) == ("hidden", True)
    with pytest.raises(Conflict):
        questions.hide(db, actor=host, challenge=challenge, question=question, reason="Igjen", now=OPEN)
    with pytest.raises(Conflict):
        questions.answer(db, actor=host, challenge=challenge, question=question, text="Nytt svar", now=OPEN)

    questions.unhide(db, actor=host, challenge=challenge, question=question, now=OPEN)
    assert seen_by(db, None, challenge) == ["Dere er idioter"]
    actions = db.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions == ["question.hide", "question.unhide"]


def test_hiding_needs_a_reason(db: Session, cast: Cast, challenge: Challenge) -> None:
    question = make_question(db, challenge)
    with pytest.raises(ValidationFailed) as refused:
        questions.hide(db, actor=actor(db, cast.halden_editor), challenge=challenge, question=question, reason=" ",
                       now=OPEN)  # fmt: skip
    assert "reason" in refused.value.errors
    assert question.hidden_at is None


def test_the_hosts_queue_lists_waiting_questions_first_oldest_first(
    db: Session, cast: Cast, challenge: Challenge
) -> None:
    from datetime import timedelta

    make_question(db, challenge, body="Besvart", answer="Ja", answered_by=cast.halden_editor)
    make_question(db, challenge, body="Nyere", created_at=OPEN)
    make_question(db, challenge, body="Eldre", created_at=OPEN - timedelta(days=3))
    make_question(db, challenge, body="Skjult", hidden_at=OPEN, hidden_reason="Spam")
    entries = questions.list_for(db, actor=actor(db, cast.halden_editor), challenge=challenge)
    assert [entry.question.body for entry in entries] == ["Eldre", "Nyere", "Besvart", "Skjult"]
    assert questions.waiting_count(entries) == 2


def test_a_deleted_askers_question_stays_with_deleted_user_as_its_author(
    db: Session, cast: Cast, challenge: Challenge
) -> None:
    gone = make_user(db, display_name="Deleted user", deleted_at=OPEN, is_active=False)
    make_question(db, challenge, author=gone, body="Hva med universell utforming?", answer="Det er et krav.",
                  answered_by=cast.halden_editor)  # fmt: skip
    [entry] = questions.list_for(db, actor=Actor.anonymous(), challenge=challenge)
    assert entry.author_name in {"Deleted user", "Slettet bruker"}


def test_the_askers_questions_are_in_their_data_export(db: Session, cast: Cast, challenge: Challenge) -> None:
    make_question(db, challenge, author=cast.citizen, body="Kan vi levere på engelsk?", answer="Ja.",
                  answered_by=cast.halden_editor)  # fmt: skip
    make_question(db, challenge, body="Noen andres spørsmål")
    [exported] = gdpr.export_sections(db, cast.citizen)["questions"]
    assert exported["challenge"] == "gronne-tak"
    assert (exported["question"], exported["answer"]) == ("Kan vi levere på engelsk?", "Ja.")


def test_the_demo_has_answered_a_merged_and_a_hidden_question_and_loads_them_once(db: Session) -> None:
    from app import demo
    from tests.conftest import NOW

    demo.load(db, now=NOW)
    loaded = count(db, Question)
    assert loaded == len(demo.QUESTIONS)
    assert db.exec(select(func.count()).where(col(Question.duplicate_of_id).is_not(None))).one() == 1
    assert db.exec(select(func.count()).where(col(Question.hidden_at).is_not(None))).one() == 1
    demo.load(db, now=NOW)
    assert count(db, Question) == loaded
