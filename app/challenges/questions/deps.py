"""The question named in the path, in the challenge named there: a 404 when the caller may not see it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, TypedDict

from fastapi import Depends
from sqlmodel import Session

from app.actor import Actor
from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import ChallengeDep, ModeratedChallengeDep, SignedInChallengeDep
from app.challenges.models import Challenge, Question
from app.challenges.questions import service as questions
from app.clock import ClockDep
from app.db import RowId, SessionDep


def visible_question(question_id: RowId, challenge: ChallengeDep, session: SessionDep, actor: ActorDep) -> Question:
    """The challenge's question `question_id`, when `actor` may see it."""
    return questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)


def signed_in_question(
    question_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep
) -> Question:
    """As `visible_question`, for signed-in callers (an anonymous one is refused before the lookup)."""
    return questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)


def moderated_question(
    question_id: RowId, challenge: ModeratedChallengeDep, session: SessionDep, actor: SignedInDep
) -> Question:
    """A question of a challenge `actor` hosts (the hosts see every question, hidden ones too)."""
    return questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)


QuestionDep = Annotated[Question, Depends(visible_question)]
SignedInQuestionDep = Annotated[Question, Depends(signed_in_question)]
ModeratedQuestionDep = Annotated[Question, Depends(moderated_question)]


@dataclass(frozen=True)
class QuestionWrite:
    """A write to the question named in the path, with what the questions service needs from the request."""

    session: Session
    actor: Actor
    challenge: Challenge
    question: Question
    now: datetime

    @property
    def target(self) -> QuestionTarget:
        """The keywords every questions service write takes (edit, answer, merge, hide…): pass them as
        `questions.edit(write.session, **write.target, body=…)`, and mypy still checks the whole call."""
        return QuestionTarget(actor=self.actor, challenge=self.challenge, question=self.question, now=self.now)


class QuestionTarget(TypedDict):
    actor: Actor
    challenge: Challenge
    question: Question
    now: datetime


def question_write(
    challenge: SignedInChallengeDep,
    question: SignedInQuestionDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> QuestionWrite:
    """A signed-in caller's write to a question they see (the service refuses what they may not do)."""
    return QuestionWrite(session, actor, challenge, question, clock.now())


def moderated_write(
    challenge: ModeratedChallengeDep,
    question: ModeratedQuestionDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> QuestionWrite:
    """A host's write to a question of their challenge (the hosts' queue)."""
    return QuestionWrite(session, actor, challenge, question, clock.now())


QuestionWriteDep = Annotated[QuestionWrite, Depends(question_write)]
ModeratedWriteDep = Annotated[QuestionWrite, Depends(moderated_write)]
