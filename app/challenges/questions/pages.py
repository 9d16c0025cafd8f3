"""Q&A pages: the section on a challenge's page, the ask and reword forms, and the hosts' answering queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.actor import Actor
from app.auth.deps import SignedInDep
from app.challenges import permissions
from app.challenges.deps import ModeratedChallengeDep, SignedInChallengeDep
from app.challenges.models import Challenge, Question
from app.challenges.questions import service as questions
from app.challenges.questions.deps import ModeratedWriteDep, QuestionWrite, SignedInQuestionDep
from app.challenges.questions.schemas import MergeWrite
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Conflict, ValidationFailed
from app.i18n import gettext as _
from app.kit import duplicates, urls
from app.kit.forms import FormData, FormDep, form_message, parse_form
from app.templating import redirect, render

router = APIRouter()


def _text(form: FormData, name: str) -> str:
    return form.get(name, "")


# --- asking and rewording ----------------------------------------------------------------------------------------


def _question_form(
    request: Request,
    challenge: Challenge,
    *,
    question: Question | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
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
def ask_form(request: Request, actor: SignedInDep, challenge: SignedInChallengeDep) -> Response:
    return _question_form(request, challenge)


@router.post("/challenges/{slug}/questions")
def ask_question(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    body = _text(form, "body")
    try:
        question = questions.ask(session, actor=actor, challenge=challenge, body=body, now=clock.now())
    except ValidationFailed as error:
        return _question_form(request, challenge, values={"body": body}, errors=error.errors, status_code=422)
    except duplicates.DuplicatePost as error:  # sent twice (a double-click): show the one that was stored
        return redirect(
            urls.challenge(challenge.slug, anchor=f"question-{error.existing_id}"), message=error.detail, kind="info"
        )
    return redirect(
        urls.challenge(challenge.slug, anchor=f"question-{question.id}"),
        message=_("Your question was sent. The hosts answer it on this page, and we email you when they do."),
    )


@router.get("/challenges/{slug}/questions/{question_id}/edit", response_class=HTMLResponse)
def edit_form(
    request: Request,
    challenge: SignedInChallengeDep,
    question: SignedInQuestionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    questions.check_editable(actor=actor, challenge=challenge, question=question, now=clock.now())
    return _question_form(request, challenge, question=question)


@router.post("/challenges/{slug}/questions/{question_id}/edit")
def edit_question(
    request: Request,
    challenge: SignedInChallengeDep,
    question: SignedInQuestionDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    body = _text(form, "body")
    try:
        questions.edit(session, actor=actor, challenge=challenge, question=question, body=body, now=clock.now())
    except ValidationFailed as error:
        return _question_form(
            request, challenge, question=question, values={"body": body}, errors=error.errors, status_code=422
        )
    return redirect(
        urls.challenge(challenge.slug, anchor=f"question-{question.id}"), message=_("Your question was changed.")
    )


# --- the hosts' queue --------------------------------------------------------------------------------------------


def _queue(
    request: Request,
    session: Session,
    actor: Actor,
    challenge: Challenge,
    now: datetime,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
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


@router.get("/manage/challenges/{slug}/questions", response_class=HTMLResponse)
def question_queue(
    request: Request, challenge: ModeratedChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _queue(request, session, actor, challenge, clock.now())


def _host_write(
    request: Request, write: QuestionWrite, action: Callable[[], object], *, field: str, value: str, done: str
) -> Response:
    """Run `action` (a questions service write on the question); its messages appear beside its `field` in the
    queue."""
    name = f"{field}-{write.question.id}"
    try:
        action()
    except (ValidationFailed, Conflict) as error:
        errors = {name: form_message(error)}
        return _queue(
            request,
            write.session,
            write.actor,
            write.challenge,
            write.now,
            values={name: value},
            errors=errors,
            status_code=error.status,
        )
    anchor = f"question-{write.question.id}"
    return redirect(urls.manage_challenge(write.challenge.slug, "/questions", anchor=anchor), message=done)


def _merge(write: QuestionWrite, into: str) -> Question:
    """Merge into the question chosen in the form (its id as typed)."""
    chosen = parse_form(MergeWrite, {"into": into}, {"into": _("Choose the question this one duplicates.")})
    return questions.merge(write.session, **write.target, into_id=chosen.into)


@router.post("/manage/challenges/{slug}/questions/{question_id}/answer")
def answer_question(request: Request, write: ModeratedWriteDep, form: FormDep) -> Response:
    text = _text(form, f"answer-{write.question.id}")
    action = partial(questions.answer, write.session, **write.target, text=text)
    return _host_write(request, write, action, field="answer", value=text, done=_("The answer is published."))


@router.post("/manage/challenges/{slug}/questions/{question_id}/merge")
def merge_question(request: Request, write: ModeratedWriteDep, form: FormDep) -> Response:
    into = _text(form, f"into-{write.question.id}")
    done = _("The question is merged and listed under the one it duplicates.")
    return _host_write(request, write, partial(_merge, write, into), field="into", value=into, done=done)


@router.post("/manage/challenges/{slug}/questions/{question_id}/hide")
def hide_question(request: Request, write: ModeratedWriteDep, form: FormDep) -> Response:
    reason = _text(form, f"reason-{write.question.id}")
    action = partial(questions.hide, write.session, **write.target, reason=reason)
    return _host_write(request, write, action, field="reason", value=reason, done=_("The question is hidden."))


@router.post("/manage/challenges/{slug}/questions/{question_id}/unhide")
def unhide_question(request: Request, write: ModeratedWriteDep) -> Response:
    action = partial(questions.unhide, write.session, **write.target)
    return _host_write(request, write, action, field="unhide", value="", done=_("The question is shown again."))
