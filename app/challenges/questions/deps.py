"""The question named in the path, in the challenge named there: a 404 when the caller may not see it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.accounts.deps import ActorDep, SignedInDep
from app.challenges.deps import ChallengeDep, ModeratedChallengeDep, SignedInChallengeDep
from app.challenges.models import Question
from app.challenges.questions import service as questions
from app.db import SessionDep


def visible_question(question_id: int, challenge: ChallengeDep, session: SessionDep, actor: ActorDep) -> Question:
    """The challenge's question `question_id`, when `actor` may see it."""
    return questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)


def signed_in_question(
    question_id: int, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep
) -> Question:
    """As `visible_question`, for signed-in callers (an anonymous one is refused before the lookup)."""
    return questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)


def moderated_question(
    question_id: int, challenge: ModeratedChallengeDep, session: SessionDep, actor: SignedInDep
) -> Question:
    """A question of a challenge `actor` hosts (the hosts see every question, hidden ones too)."""
    return questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)


QuestionDep = Annotated[Question, Depends(visible_question)]
SignedInQuestionDep = Annotated[Question, Depends(signed_in_question)]
ModeratedQuestionDep = Annotated[Question, Depends(moderated_question)]
