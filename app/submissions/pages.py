"""Concept pages: the draft form, a concept's page (the team's working copy or the submitted version), editing,
team invitations, versions with a diff, and "My concepts"."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import ActorDep, SignedInDep
from app.challenges import service as challenges
from app.challenges.deps import SignedInChallengeDep
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.jury import views as jury_views
from app.kit import urls
from app.kit.forms import FormDep, form_errors, parse_form
from app.submissions import deps, permissions, service, views
from app.submissions.deps import ConceptDep, SignedInConceptDep
from app.submissions.models import Submission
from app.submissions.schemas import (
    SubmissionCreate,
    SubmissionUpdate,
)
from app.templating import redirect, render

router = APIRouter()


def _messages() -> dict[str, str]:
    return {
        "title": _("Enter a title of at most 140 characters."),
        "summary": _("Keep the summary under 500 characters."),
        "body": _("Keep the description under 50 000 characters."),
        "team_name": _("Keep the team name under 120 characters."),
    }


def _values(form: Mapping[str, str]) -> dict[str, Any]:
    """What was typed, as typed, so a form shown again loses nothing."""
    values: dict[str, Any] = {name: form.get(name, "") for name in service.TEXT_FIELDS}
    values["anonymous"] = form.get("anonymous") == "yes"
    return values


# --- a new draft -------------------------------------------------------------------------------------------------


def _new_form(
    request: Request, challenge: Challenge, values: dict[str, Any], errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request, "submissions/form.html",
        {"challenge": challenge, "submission": None, "values": values, "errors": errors or {}},
        status_code=status_code,
    )  # fmt: skip


@router.get("/challenges/{slug}/submissions/new", response_class=HTMLResponse)
def new_submission_form(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> Response:
    errors = {}
    if not permissions.can_start(actor, challenge, clock.now()):
        errors["form"] = (
            _("Confirm your email address before you submit a concept.")
            if service.is_writable(challenge, clock.now())
            else _("Submissions to this challenge are closed; nothing can change now.")
        )
    return _new_form(request, challenge, {"anonymous": False}, errors)


@router.post("/challenges/{slug}/submissions/new")
def create_submission(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
    challenge: SignedInChallengeDep,
) -> Response:
    values = _values(form)
    try:
        data = parse_form(SubmissionCreate, values, _messages())
        submission = service.create(session, actor=actor, challenge=challenge, data=data, now=clock.now())
    except (ValidationFailed, Conflict, Forbidden) as error:
        return _new_form(request, challenge, values, form_errors(error), status_code=error.status)
    return redirect(
        urls.concept(challenge.slug, submission.id), message=_("Your draft was saved. Only your team can see it.")
    )


# --- a concept's page --------------------------------------------------------------------------------------------


@router.get("/challenges/{slug}/submissions/{submission_id}", response_class=HTMLResponse)
def submission_page(
    request: Request, slug: str, submission_id: RowId, session: SessionDep, actor: ActorDep, clock: ClockDep
) -> Response:
    now = clock.now()
    try:
        challenge, submission = deps.find_concept(session, slug=slug, submission_id=submission_id, actor=actor, now=now)
    except NotFound:
        # A link to a concept the hosts have since hidden gets a placeholder with their reason, not a dead end.
        challenge = challenges.get_for(session, slug=slug, actor=actor)
        hidden = service.hidden_from_public(session, challenge=challenge, submission_id=submission_id, now=now)
        return render(request, "submissions/hidden.html", {"challenge": challenge, "submission": hidden})
    return views.concept_page(request, session, challenge, submission, actor, now)


@router.post("/challenges/{slug}/submissions/{submission_id}/terms")
def accept_terms(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    now = clock.now()
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: service.accept_terms(session, actor=actor, challenge=c, submission=s, now=now),
        _("You accepted the terms."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/submit")
def submit(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    now = clock.now()
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: service.submit(session, actor=actor, challenge=c, submission=s, now=now),
        _("Your concept was submitted. Every team member gets a receipt by email."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/withdraw")
def withdraw(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    now = clock.now()
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: service.withdraw(session, actor=actor, challenge=c, submission=s, now=now),
        _("Your concept was withdrawn. You can change it and submit it again until the deadline."),
    )  # fmt: skip


# --- editing -----------------------------------------------------------------------------------------------------


def _edit_form(
    request: Request, challenge: Challenge, submission: Submission, values: dict[str, Any],
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request, "submissions/form.html",
        {"challenge": challenge, "submission": submission, "values": values, "errors": errors or {}},
        status_code=status_code,
    )  # fmt: skip


@router.get("/challenges/{slug}/submissions/{submission_id}/edit", response_class=HTMLResponse)
def edit_submission_form(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    now = clock.now()
    challenge, submission = concept
    permissions.check_team(actor, submission)
    values: dict[str, Any] = {name: getattr(submission, name) for name in service.TEXT_FIELDS}
    values["anonymous"] = submission.anonymous
    errors = {} if permissions.can_edit(actor, submission, challenge, now) else {
        "form": _("Submissions to this challenge are closed; nothing can change now.")}  # fmt: skip
    return _edit_form(request, challenge, submission, values, errors)


@router.post("/challenges/{slug}/submissions/{submission_id}/edit")
def update_submission(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
    concept: SignedInConceptDep,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    values = _values(form)
    try:
        data = parse_form(SubmissionUpdate, values, _messages())
        service.update(session, actor=actor, challenge=challenge, submission=submission, data=data, now=now)
    except (ValidationFailed, Conflict, Forbidden) as error:
        return _edit_form(request, challenge, submission, values, form_errors(error), status_code=error.status)
    return redirect(urls.concept(challenge.slug, submission.id), message=_("Your changes were saved."))


# --- versions ----------------------------------------------------------------------------------------------------


@router.get("/challenges/{slug}/submissions/{submission_id}/versions", response_class=HTMLResponse)
def versions_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    concept: ConceptDep,
    from_version: Annotated[int | None, Query(alias="from", ge=1, le=100_000)] = None,
    to_version: Annotated[int | None, Query(alias="to", ge=1, le=100_000)] = None,
) -> Response:
    challenge, submission = concept
    found = service.versions(session, actor=actor, challenge=challenge, submission=submission)
    by_number = {v.number: v for v in found}
    newest = found[-1].number if found else 0
    to_number = to_version if to_version in by_number else newest
    from_number = from_version if from_version in by_number else max(to_number - 1, 1)
    diff = (
        service.diff_lines(by_number[from_number], by_number[to_number])
        if to_number in by_number and from_number in by_number and from_number != to_number
        else []
    )
    return render(
        request,
        "submissions/versions.html",
        {"challenge": challenge, "submission": submission, "versions": found, "from_number": from_number,
         "to_number": to_number, "diff": diff, "tz": challenge.host.timezone},
    )  # fmt: skip


# --- my concepts -------------------------------------------------------------------------------------------------


@router.get("/account/submissions", response_class=HTMLResponse)
def my_submissions(request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    rows = service.mine(session, actor=actor)
    outcomes = jury_views.outcomes(session, concepts=[(s, c) for s, c, _member in rows], now=clock.now())
    return render(request, "submissions/mine.html", {"rows": rows, "outcomes": outcomes})
