"""The Q&A API under /api/v1/challenges/{slug}/questions: ask, reword, answer, merge, hide and list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from app.accounts.deps import ActorDep, SignedInDep
from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.models import Challenge, Question
from app.challenges.questions import service as questions
from app.clock import ClockDep
from app.db import SessionDep
from app.openapi import CONFLICT, NOT_FOUND
from app.templating import render_markdown

router = APIRouter(tags=["challenges"])
Responses = dict[int | str, dict[str, Any]]
MISSING: Responses = dict(NOT_FOUND.items())
WRITE_ERRORS: Responses = {**MISSING, **dict(CONFLICT.items())}


class QuestionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"body": "Kan vi sende inn et konsept som allerede er testet?"}]},
    )

    # Lengths are documented here and checked by the service, so that every refusal names the field `body` with
    # a translated message (a schema error on a field named "body" would lose its name in the problem's `errors`).
    body: str = Field(
        description="Plain text, shown as written.",
        json_schema_extra={"minLength": 1, "maxLength": questions.MAX_BODY},
    )


class QuestionUpdate(QuestionCreate):
    """The asker's new wording, while the question waits for an answer."""


class AnswerWrite(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"answer": "Ja, så lenge dere forklarer hva som er **nytt**."}]}
    )

    answer: str = Field(min_length=1, max_length=questions.MAX_ANSWER, description="Markdown; sanitised on render.")


class MergeWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"into": 12}]})

    into: int = Field(ge=1, description="The id of the question of the same challenge that this one duplicates.")


class HideWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Personangrep."}]})

    reason: str = Field(min_length=1, max_length=questions.MAX_REASON, description="Shown to the asker.")


class QuestionRead(BaseModel):
    """A question as the caller may see it: a hidden one's text is left out for its asker (`body` is null)."""

    id: int
    url: str = Field(examples=["/challenges/baerekraftig-sentrumshandel#question-12"])
    state: str = Field(description="`waiting`, `answered`, `merged` (a duplicate listed on its own) or `hidden`.")
    body: str | None
    author_name: str = Field(description="The asker's display name, or “Deleted user”.")
    own: bool = Field(description="The caller asked this question.")
    asked_at: datetime
    updated_at: datetime
    answer: str | None = Field(description="Markdown as written, once answered.")
    answer_html: str | None = Field(description="The answer rendered and sanitised.")
    answered_at: datetime | None
    duplicate_of: int | None = Field(description="The question this one was merged into.")
    hidden_reason: str | None = Field(description="Why the hosts hid the question (for its asker and the hosts).")
    duplicates: list[QuestionRead] = Field(default_factory=list, description="Questions merged into this one.")

    @classmethod
    def from_entry(cls, entry: questions.Entry, challenge: Challenge) -> QuestionRead:
        question: Question = entry.question
        hidden = question.hidden_at is not None
        return cls(
            id=question.id or 0,
            url=f"/challenges/{challenge.slug}#question-{question.id}",
            state=entry.state,
            body=question.body if entry.shows_body else None,
            author_name=entry.author_name,
            own=entry.own,
            asked_at=question.created_at,
            updated_at=question.updated_at,
            answer=question.answer if question.answered_at and entry.shows_body else None,
            answer_html=str(render_markdown(question.answer)) if question.answered_at and entry.shows_body else None,
            answered_at=question.answered_at,
            duplicate_of=question.duplicate_of_id,
            hidden_reason=question.hidden_reason if hidden else None,
            duplicates=[cls.from_entry(duplicate, challenge) for duplicate in entry.duplicates],
        )


class QuestionList(BaseModel):
    """Waiting questions first (the caller's own, or all for hosts), then answered ones, newest answer first."""

    items: list[QuestionRead]


def _read(session: Session, actor: Actor, challenge: Challenge, question: Question) -> QuestionRead:
    entry = questions.entry_for(session, actor=actor, challenge=challenge, question=question)
    return QuestionRead.from_entry(entry, challenge)


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
def list_questions(slug: str, response: Response, session: SessionDep, actor: ActorDep) -> QuestionList:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
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
def get_question(slug: str, question_id: int, session: SessionDep, actor: ActorDep) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
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
    slug: str, data: QuestionCreate, response: Response, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.ask(session, actor=actor, challenge=challenge, body=data.body, now=clock.now())
    response.headers["Location"] = f"/api/v1/challenges/{slug}/questions/{question.id}"
    return _read(session, actor, challenge, question)


@router.patch(
    "/challenges/{slug}/questions/{question_id}",
    response_model=QuestionRead,
    summary="Reword your question while it waits for an answer",
    responses=WRITE_ERRORS,
)
def edit_question(
    slug: str, question_id: int, data: QuestionUpdate, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    questions.edit(session, actor=actor, challenge=challenge, question=question, body=data.body, now=clock.now())
    return _read(session, actor, challenge, question)


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
def answer_question(
    slug: str, question_id: int, data: AnswerWrite, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    questions.answer(session, actor=actor, challenge=challenge, question=question, text=data.answer, now=clock.now())
    return _read(session, actor, challenge, question)


@router.post(
    "/challenges/{slug}/questions/{question_id}/merge",
    response_model=QuestionRead,
    summary="Merge a duplicate into another question of the same challenge (the hosts)",
    description="The duplicate is then listed under `into`, with its answer. Its own duplicates move along.",
    responses=WRITE_ERRORS,
)
def merge_question(
    slug: str, question_id: int, data: MergeWrite, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    questions.merge(session, actor=actor, challenge=challenge, question=question, into_id=data.into, now=clock.now())
    return _read(session, actor, challenge, question)


@router.post(
    "/challenges/{slug}/questions/{question_id}/hide",
    response_model=QuestionRead,
    summary="Hide an abusive or off-topic question, with a reason (the hosts)",
    description="The public no longer sees it; its asker sees a placeholder with the reason.",
    responses=WRITE_ERRORS,
)
def hide_question(
    slug: str, question_id: int, data: HideWrite, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    questions.hide(session, actor=actor, challenge=challenge, question=question, reason=data.reason, now=clock.now())
    return _read(session, actor, challenge, question)


@router.post(
    "/challenges/{slug}/questions/{question_id}/unhide",
    response_model=QuestionRead,
    summary="Show a hidden question again (the hosts)",
    responses=WRITE_ERRORS,
)
def unhide_question(
    slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> QuestionRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    questions.unhide(session, actor=actor, challenge=challenge, question=question, now=clock.now())
    return _read(session, actor, challenge, question)
