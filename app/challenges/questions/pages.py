"""Q&A pages: the section on a challenge's page, the ask and reword forms, and the hosts' answering queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import SignedInDep
from app.actor import Actor
from app.challenges import permissions
from app.challenges import service as challenges
from app.challenges.models import Challenge, Question
from app.challenges.questions import service as questions
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Conflict, Forbidden, ValidationFailed
from app.i18n import gettext as _
from app.kit.forms import FormData, FormDep, form_message
from app.templating import redirect, render

router = APIRouter()


def _text(form: FormData, name: str) -> str:
    return form.get(name, "")


# --- asking and rewording ----------------------------------------------------------------------------------------


def _question_form(
    request: Request, challenge: Challenge, *, question: Question | None = None, values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "challenges/question_form.html",
        {
            "challenge": challenge,
            "question": question,
            "values": values if values is not None else {"body": question.body if question else ""},
            "errors": errors or {},
            "max_body": questions.MAX_BODY,
        },
        status_code=status_code,
    )


@router.get("/challenges/{slug}/questions/new", response_class=HTMLResponse)
def ask_form(request: Request, slug: str, session: SessionDep, actor: SignedInDep) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    return _question_form(request, challenge)


@router.post("/challenges/{slug}/questions")
def ask_question(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    body = _text(form, "body")
    try:
        question = questions.ask(session, actor=actor, challenge=challenge, body=body, now=clock.now())
    except ValidationFailed as error:
        return _question_form(request, challenge, values={"body": body}, errors=error.errors, status_code=422)
    return redirect(
        f"/challenges/{slug}#question-{question.id}",
        message=_("Your question was sent. The hosts answer it on this page, and we email you when they do."),
    )


@router.get("/challenges/{slug}/questions/{question_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request, slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    questions.check_editable(actor=actor, challenge=challenge, question=question, now=clock.now())
    return _question_form(request, challenge, question=question)


@router.post("/challenges/{slug}/questions/{question_id}/edit")
def edit_question(
    request: Request, slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep,
) -> Response:  # fmt: skip
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    body = _text(form, "body")
    try:
        questions.edit(session, actor=actor, challenge=challenge, question=question, body=body, now=clock.now())
    except ValidationFailed as error:
        return _question_form(request, challenge, question=question, values={"body": body}, errors=error.errors,
                              status_code=422)  # fmt: skip
    return redirect(f"/challenges/{slug}#question-{question.id}", message=_("Your question was changed."))


# --- the hosts' queue --------------------------------------------------------------------------------------------


def _queue(
    request: Request, session: Session, actor: Actor, challenge: Challenge, now: datetime,
    values: dict[str, str] | None = None, errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    entries = questions.list_for(session, actor=actor, challenge=challenge)
    by_state: dict[str, list[questions.Entry]] = {state: [] for state in ("waiting", "answered", "merged", "hidden")}
    for entry in entries:
        by_state[entry.state].append(entry)
    # A duplicate may be merged into any shown question that is not itself a duplicate.
    targets = [
        (str(entry.question.id), _truncate(entry.question.body))
        for entry in entries
        if entry.state in (questions.State.WAITING, questions.State.ANSWERED)
    ]
    return render(
        request,
        "manage/challenge_questions.html",
        {
            "challenge": challenge,
            "by_state": by_state,
            "merge_options": targets,
            "can_answer": permissions.can_answer(actor, challenge, now),
            "values": values or {},
            "errors": errors or {},
            "tz": challenge.host.timezone,
            "max_answer": questions.MAX_ANSWER,
            "max_reason": questions.MAX_REASON,
        },
        status_code=status_code,
    )


def _truncate(text: str, length: int = 90) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _moderated(session: Session, actor: Actor, slug: str) -> Challenge:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    if not permissions.can_moderate_questions(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts can do this."))
    return challenge


@router.get("/manage/challenges/{slug}/questions", response_class=HTMLResponse)
def question_queue(request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    return _queue(request, session, actor, _moderated(session, actor, slug), clock.now())


HostAction = Callable[[Session, Actor, Challenge, Question, str, datetime], object]


def _host_write(
    request: Request, session: Session, actor: Actor, slug: str, question_id: int, now: datetime, *, field: str,
    value: str, action: HostAction, done: str,
) -> Response:  # fmt: skip
    """Run one of the hosts' actions on a question; its messages appear beside that question's form field."""
    challenge = _moderated(session, actor, slug)
    question = questions.get_question(session, actor=actor, challenge=challenge, question_id=question_id)
    name = f"{field}-{question_id}"
    try:
        action(session, actor, challenge, question, value, now)
    except (ValidationFailed, Conflict) as error:
        message = form_message(error)
        return _queue(request, session, actor, challenge, now, values={name: value}, errors={name: message},
                      status_code=error.status)  # fmt: skip
    return redirect(f"/manage/challenges/{slug}/questions#question-{question_id}", message=done)


@router.post("/manage/challenges/{slug}/questions/{question_id}/answer")
def answer_question(
    request: Request, slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep,
) -> Response:  # fmt: skip
    return _host_write(
        request, session, actor, slug, question_id, clock.now(), field="answer",
        value=_text(form, f"answer-{question_id}"),
        action=lambda s, a, c, q, v, n: questions.answer(s, actor=a, challenge=c, question=q, text=v, now=n),
        done=_("The answer is published."),
    )  # fmt: skip


@router.post("/manage/challenges/{slug}/questions/{question_id}/merge")
def merge_question(
    request: Request, slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep,
) -> Response:  # fmt: skip
    def merge(s: Session, a: Actor, c: Challenge, q: Question, v: str, n: datetime) -> Question:
        if not v.isdigit():
            raise ValidationFailed(_("Please correct the fields marked below."),
                                   errors={"into": _("Choose the question this one duplicates.")})  # fmt: skip
        return questions.merge(s, actor=a, challenge=c, question=q, into_id=int(v), now=n)

    return _host_write(
        request, session, actor, slug, question_id, clock.now(), field="into",
        value=_text(form, f"into-{question_id}"), action=merge,
        done=_("The question is merged and listed under the one it duplicates."),
    )  # fmt: skip


@router.post("/manage/challenges/{slug}/questions/{question_id}/hide")
def hide_question(
    request: Request, slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep,
) -> Response:  # fmt: skip
    return _host_write(
        request, session, actor, slug, question_id, clock.now(), field="reason",
        value=_text(form, f"reason-{question_id}"),
        action=lambda s, a, c, q, v, n: questions.hide(s, actor=a, challenge=c, question=q, reason=v, now=n),
        done=_("The question is hidden."),
    )  # fmt: skip


@router.post("/manage/challenges/{slug}/questions/{question_id}/unhide")
def unhide_question(
    request: Request, slug: str, question_id: int, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _host_write(
        request, session, actor, slug, question_id, clock.now(), field="unhide", value="",
        action=lambda s, a, c, q, v, n: questions.unhide(s, actor=a, challenge=c, question=q, now=n),
        done=_("The question is shown again."),
    )  # fmt: skip
