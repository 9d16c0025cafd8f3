"""What the Q&A API accepts and returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.challenges.models import Challenge, Question
from app.challenges.questions import service as questions
from app.kit import urls
from app.kit.bounds import Id
from app.templating import render_markdown


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

    into: Id = Field(description="The id of the question of the same challenge that this one duplicates.")


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
            url=urls.challenge(challenge.slug, anchor=f"question-{question.id}"),
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
