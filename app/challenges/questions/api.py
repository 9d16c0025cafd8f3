"""The Q&A API under /api/v1/challenges/{slug}/questions: ask, reword, answer, merge, hide and list."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status
from sqlmodel import Session

from app.actor import Actor
from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.challenges.models import Challenge, Question
from app.challenges.questions import service as questions
from app.challenges.questions.deps import QuestionDep, QuestionWrite, QuestionWriteDep
from app.challenges.questions.schemas import (
    AnswerWrite,
    HideWrite,
    MergeWrite,
    QuestionCreate,
    QuestionList,
    QuestionRead,
    QuestionUpdate,
)
from app.clock import ClockDep
from app.db import SessionDep
from app.kit import urls
from app.openapi import CONFLICT, NOT_FOUND

router = APIRouter(tags=["challenges"])
Responses = dict[int | str, dict[str, Any]]
MISSING: Responses = dict(NOT_FOUND.items())
WRITE_ERRORS: Responses = {**MISSING, **dict(CONFLICT.items())}


def _read(session: Session, actor: Actor, challenge: Challenge, question: Question) -> QuestionRead:
    entry = questions.entry_for(session, actor=actor, challenge=challenge, question=question)
    return QuestionRead.from_entry(entry, challenge)


def _written(write: QuestionWrite) -> QuestionRead:
    """The question as its writer now sees it."""
    return _read(write.session, write.actor, write.challenge, write.question)


@router.get(
    "/challenges/{slug}/questions",
    response_model=QuestionList,
    summary="List a challenge's questions",
    description=(
        "Answered questions (with the duplicates merged into them) for everybody; your own questions while they "
        "wait; everything, hidden ones too, for the challenge's hosts."
    ),
    responses=MISSING,
)
def list_questions(challenge: ChallengeDep, response: Response, session: SessionDep, actor: ActorDep) -> QuestionList:
    if actor.is_authenticated:
        response.headers["Cache-Control"] = "private, no-cache"
    entries = questions.list_for(session, actor=actor, challenge=challenge)
    return QuestionList(items=[QuestionRead.from_entry(entry, challenge) for entry in entries])


@router.get(
    "/challenges/{slug}/questions/{question_id}",
    response_model=QuestionRead,
    summary="Get one question",
    responses=MISSING,
)
def get_question(challenge: ChallengeDep, question: QuestionDep, session: SessionDep, actor: ActorDep) -> QuestionRead:
    return _read(session, actor, challenge, question)


@router.post(
    "/challenges/{slug}/questions",
    response_model=QuestionRead,
    status_code=status.HTTP_201_CREATED,
    summary="Ask the hosts a question",
    description=(
        "Signed-in people with a confirmed email ask while the challenge is upcoming or open (else 409 "
        "`phase-closed`). The question is seen by you and the hosts until they answer it."
    ),
    responses=WRITE_ERRORS,
)
def ask_question(
    challenge: SignedInChallengeDep,
    data: QuestionCreate,
    response: Response,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> QuestionRead:
    question = questions.ask(session, actor=actor, challenge=challenge, body=data.body, now=clock.now())
    response.headers["Location"] = urls.api_challenge(challenge.slug, f"/questions/{question.id}")
    return _read(session, actor, challenge, question)


@router.patch(
    "/challenges/{slug}/questions/{question_id}",
    response_model=QuestionRead,
    summary="Reword your question while it waits for an answer",
    responses=WRITE_ERRORS,
)
def edit_question(data: QuestionUpdate, write: QuestionWriteDep) -> QuestionRead:
    questions.edit(write.session, **write.target, body=data.body)
    return _written(write)


@router.post(
    "/challenges/{slug}/questions/{question_id}/answer",
    response_model=QuestionRead,
    summary="Answer a question, or change the answer (the hosts)",
    description=(
        "The first answer makes the question public, emails its asker (and the askers of its duplicates) and "
        "notifies the challenge's followers. Not on a cancelled challenge (409 `phase-closed`)."
    ),
    responses=WRITE_ERRORS,
)
def answer_question(data: AnswerWrite, write: QuestionWriteDep) -> QuestionRead:
    questions.answer(write.session, **write.target, text=data.answer)
    return _written(write)


@router.post(
    "/challenges/{slug}/questions/{question_id}/merge",
    response_model=QuestionRead,
    summary="Merge a duplicate into another question of the same challenge (the hosts)",
    description="The duplicate is then listed under `into`, with its answer. Its own duplicates move along.",
    responses=WRITE_ERRORS,
)
def merge_question(data: MergeWrite, write: QuestionWriteDep) -> QuestionRead:
    questions.merge(write.session, **write.target, into_id=data.into)
    return _written(write)


@router.post(
    "/challenges/{slug}/questions/{question_id}/hide",
    response_model=QuestionRead,
    summary="Hide an abusive or off-topic question, with a reason (the hosts)",
    description="The public no longer sees it; its asker sees a placeholder with the reason.",
    responses=WRITE_ERRORS,
)
def hide_question(data: HideWrite, write: QuestionWriteDep) -> QuestionRead:
    questions.hide(write.session, **write.target, reason=data.reason)
    return _written(write)


@router.post(
    "/challenges/{slug}/questions/{question_id}/unhide",
    response_model=QuestionRead,
    summary="Show a hidden question again (the hosts)",
    responses=WRITE_ERRORS,
)
def unhide_question(write: QuestionWriteDep) -> QuestionRead:
    questions.unhide(write.session, **write.target)
    return _written(write)
