"""Concept pages: the draft form, a concept's page (the team's working copy or the submitted version), editing,
team invitations, versions with a diff, and "My concepts"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import ActorDep, SignedInDep
from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import AppError, Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.kit import urls
from app.kit.forms import FormDep, form_errors, parse_form
from app.kit.invitations import state as invitation_state
from app.submissions import deps, permissions, service
from app.submissions.deps import ConceptDep, SignedInConceptDep
from app.submissions.discussion import service as comments
from app.submissions.files import service as attachments
from app.submissions.models import Submission
from app.submissions.schemas import (
    LeadHandOver,
    SubmissionCreate,
    SubmissionUpdate,
    TeamInvitationCreate,
    team_is_shown,
)
from app.submissions.team import finder as team_finder
from app.submissions.team import service as teams
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
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
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
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
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


def _concept_page(
    request: Request, session: Session, challenge: Challenge, submission: Submission, actor: Actor, now: datetime,
    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    shown = service.shown(session, submission=submission, actor=actor)
    team_view = permissions.can_see_working_copy(actor, submission)
    join_requests = team_finder.requests_for_team(session, actor=actor, submission=submission) if team_view else []
    invitations = (
        [(i, invitation_state(i, now)) for i in teams.list_invitations(session, actor=actor, challenge=challenge,
                                                                        submission=submission)]
        if team_view else []
    )  # fmt: skip
    return render(
        request,
        "submissions/detail.html",
        {
            "challenge": challenge,
            "submission": submission,
            "shown": shown,
            "team_view": team_view,
            "team_shown": team_is_shown(actor, submission, challenge),
            "me": permissions.membership(actor, submission),
            "invitations": invitations,
            "not_accepted": [m for m in submission.members if m.terms_accepted_at is None],
            "reasons": service.readiness(submission, challenge) if team_view else [],
            "platform_terms": service.platform_terms(),
            "can_edit": permissions.can_edit(actor, submission, challenge, now),
            "can_withdraw": permissions.can_withdraw(actor, submission, challenge, now),
            "can_manage_team": permissions.can_manage_team(actor, submission, challenge, now),
            "can_leave": permissions.can_leave(actor, submission, challenge, now),
            "can_see_history": permissions.can_see_history(actor, submission, challenge),
            "join_requests": join_requests,
            "can_decide_join": permissions.can_decide_join_request(actor, submission, challenge, now),
            "max_attachments": attachments.MAX_ATTACHMENTS,
            "tz": challenge.host.timezone,
            "errors": errors or {},
            "values": values or {},
            "comments": comments.section(session, actor=actor, challenge=challenge, submission=submission, now=now),
            "feedback": comments.feedback_section(
                session, actor=actor, challenge=challenge, submission=submission, now=now
            ),
            "comment_max": comments.MAX_COMMENT,
            "feedback_max": comments.MAX_FEEDBACK,
        },
        status_code=status_code,
    )


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
    return _concept_page(request, session, challenge, submission, actor, now)


def _team_action(
    request: Request, session: Session, slug: str, submission_id: int, actor: Actor, now: datetime, action: Any,
    message: str,
) -> Response:  # fmt: skip
    """Run `action(challenge, submission)`; on a refusal, the concept page again with the reason."""
    challenge, submission = deps.find_concept(session, slug=slug, submission_id=submission_id, actor=actor, now=now)
    try:
        action(challenge, submission)
    except (ValidationFailed, Conflict, Forbidden, NotFound) as error:
        if isinstance(error, NotFound) and not permissions.can_view(actor, submission, challenge, now):
            raise
        submission = service.get_for(session, challenge=challenge, submission_id=submission_id, actor=actor, now=now)
        return _concept_page(request, session, challenge, submission, actor, now, form_errors(error),
                             status_code=error.status)  # fmt: skip
    return redirect(urls.concept(challenge.slug, submission.id), message=message)


@router.post("/challenges/{slug}/submissions/{submission_id}/terms")
def accept_terms(
    request: Request, slug: str, submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: service.accept_terms(session, actor=actor, challenge=c, submission=s, now=now),
        _("You accepted the terms."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/submit")
def submit(
    request: Request, slug: str, submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: service.submit(session, actor=actor, challenge=c, submission=s, now=now),
        _("Your concept was submitted. Every team member gets a receipt by email."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/withdraw")
def withdraw(
    request: Request, slug: str, submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: service.withdraw(session, actor=actor, challenge=c, submission=s, now=now),
        _("Your concept was withdrawn. You can change it and submit it again until the deadline."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/invitations")
def invite(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
    concept: SignedInConceptDep,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    values = {"email": form.get("email", "").strip()}
    try:
        data = parse_form(TeamInvitationCreate, values, {"email": _("Enter an email address, such as ola@example.no.")})
        teams.invite(session, actor=actor, challenge=challenge, submission=submission, email=data.email, now=now)
    except (ValidationFailed, Conflict, Forbidden) as error:
        errors = form_errors(error)
        if "form" in errors:
            errors = {"email": errors.pop("form")}
        return _concept_page(request, session, challenge, submission, actor, now, errors, values, error.status)
    return redirect(
        urls.concept(challenge.slug, submission.id), message=_("An invitation was sent to %(email)s.") % values
    )


@router.post("/challenges/{slug}/submissions/{submission_id}/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request, slug: str, submission_id: RowId, invitation_id: RowId, session: SessionDep,
    actor: SignedInDep, clock: ClockDep,
) -> Response:  # fmt: skip
    now = clock.now()
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: teams.revoke_invitation(session, actor=actor, challenge=c, submission=s,
                                               invitation_id=invitation_id, now=now),
        _("The invitation was revoked."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/lead")
def hand_over_lead(
    request: Request, slug: str, submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep,
) -> Response:  # fmt: skip
    now = clock.now()
    try:
        user_id = parse_form(LeadHandOver, {"user_id": form.get("user_id", "")}).user_id
    except ValidationFailed:
        user_id = 0
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: teams.hand_over_lead(session, actor=actor, challenge=c, submission=s, user_id=user_id, now=now),
        _("The lead role was handed over."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/members/{user_id}/remove")
def remove_member(
    request: Request, slug: str, submission_id: RowId, user_id: RowId, session: SessionDep, actor: SignedInDep,
    clock: ClockDep,
) -> Response:  # fmt: skip
    now = clock.now()
    leaving = user_id == actor.user_id
    if leaving:
        challenge, submission = deps.find_concept(session, slug=slug, submission_id=submission_id, actor=actor, now=now)
        try:
            teams.remove_member(session, actor=actor, challenge=challenge, submission=submission, user_id=user_id,
                                  now=now)  # fmt: skip
        except (Conflict, Forbidden, NotFound) as error:
            return _concept_page(request, session, challenge, submission, actor, now, form_errors(error),
                                 status_code=error.status)  # fmt: skip
        return redirect("/account/submissions", message=_("You left the team."))
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: teams.remove_member(session, actor=actor, challenge=c, submission=s, user_id=user_id, now=now),
        _("The member was removed from the team."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/attachments")
def upload_attachment(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    concept: SignedInConceptDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    now = clock.now()
    challenge, submission = concept
    try:
        filename = attachments.check_chosen(file.filename if file else None)
        content = file.file.read(attachments.upload_limit(challenge) + 1) if file else b""
        attachments.add_attachment(session, actor=actor, challenge=challenge, submission=submission,
                               filename=filename, content=content, now=now)  # fmt: skip
    except AppError as error:
        if isinstance(error, NotFound):
            raise
        errors = form_errors(error)
        errors = {"file": errors.get("form", errors.get("file", error.detail))}
        return _concept_page(request, session, challenge, submission, actor, now, errors, status_code=error.status)
    return redirect(urls.concept(challenge.slug, submission.id), message=_("The file was added."))


@router.post("/challenges/{slug}/submissions/{submission_id}/attachments/{attachment_id}/remove")
def remove_attachment(
    request: Request, slug: str, submission_id: RowId, attachment_id: RowId, session: SessionDep,
    actor: SignedInDep, clock: ClockDep,
) -> Response:  # fmt: skip
    now = clock.now()
    return _team_action(
        request, session, slug, submission_id, actor, now,
        lambda c, s: attachments.remove_attachment(session, actor=actor, challenge=c, submission=s,
                                               attachment_id=attachment_id, now=now),
        _("The file was removed. Submitted versions keep it."),
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


# --- invitations (the invitee's side) ----------------------------------------------------------------------------


@router.get("/team-invitations/{token}", response_class=HTMLResponse)
def invitation_page(request: Request, token: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    try:
        invitation, submission, challenge = teams.invitation_by_token(session, raw_token=token)
        teams.check_usable(invitation, now=clock.now())
    except AppError as error:
        return render(request, "submissions/invitation.html", {"problem": error.detail}, status_code=error.status)
    return render(
        request,
        "submissions/invitation.html",
        {"invitation": invitation, "submission": submission, "challenge": challenge, "token": token,
         "is_for_actor": teams.is_for(invitation, actor), "next_path": request.url.path,
         "tz": challenge.host.timezone},
    )  # fmt: skip


@router.post("/team-invitations/{token}/accept")
def accept_invitation(
    request: Request, token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        submission, challenge = teams.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
    except AppError as error:
        return render(request, "submissions/invitation.html", {"problem": error.detail}, status_code=error.status)
    return redirect(
        urls.concept(challenge.slug, submission.id),
        message=_("Welcome to the team! Read and accept the terms before the team submits."),
    )


@router.post("/team-invitations/{token}/decline")
def decline_invitation(
    request: Request, token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    try:
        challenge = teams.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    except AppError as error:
        return render(request, "submissions/invitation.html", {"problem": error.detail}, status_code=error.status)
    return redirect(urls.challenge(challenge.slug), message=_("You declined the invitation."))


# --- my concepts -------------------------------------------------------------------------------------------------


@router.get("/account/submissions", response_class=HTMLResponse)
def my_submissions(request: Request, session: SessionDep, actor: SignedInDep) -> Response:
    return render(request, "submissions/mine.html", {"rows": service.mine(session, actor=actor)})
