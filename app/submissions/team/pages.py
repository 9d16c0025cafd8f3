"""The team finder's page and its forms: your entry, asking to join a draft team, and the lead's answer (the lead
answers on the concept's page)."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.actor import Actor
from app.auth.deps import ActorDep, SignedInDep
from app.challenges import service as challenges
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import AppError, Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.kit import urls
from app.kit.forms import FormDep, form_errors, parse_form
from app.submissions import permissions, service, views
from app.submissions.deps import SignedInConceptDep
from app.submissions.schemas import (
    LeadHandOver,
    TeamInvitationCreate,
)
from app.submissions.team import finder as team_finder
from app.submissions.team import service as teams
from app.templating import redirect, render

router = APIRouter()
PAGE_SIZE = 20
NoteField = Annotated[str, Form(max_length=2000)]
REFUSALS = (ValidationFailed, Conflict, Forbidden, NotFound)


def _finder_url(challenge: Challenge) -> str:
    return urls.challenge(challenge.slug, "/team-finder")


def _refusal(session: Session, challenge: Challenge, actor: Actor, now: Any) -> str | None:
    """Why the actor cannot post an entry now (None: they can)."""
    if not service.is_writable(challenge, now):
        return _("The team finder is closed: submissions to this challenge have closed.")
    if not actor.is_authenticated:
        return None
    if not permissions.can_look_for_team(actor, challenge, now):
        return _("Confirm your email address before you use the team finder.")
    return None


def _page(
    request: Request, session: Session, challenge: Challenge, actor: Actor, now: Any, page: int = 1,
    errors: dict[str, str] | None = None, values: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    entries, total = team_finder.list_entries(session, challenge=challenge, actor=actor, page=page, size=PAGE_SIZE)
    mine = team_finder.my_entry(session, challenge=challenge, actor=actor)
    my_requests = team_finder.my_requests(session, actor=actor, challenge=challenge)
    return render(
        request,
        "submissions/team_finder.html",
        {
            "challenge": challenge,
            "entries": entries,
            "total": total,
            "page": page,
            "pages": max(1, ceil(total / PAGE_SIZE)),
            "can_browse": permissions.can_browse_team_finder(actor),
            "open": service.is_writable(challenge, now),
            "refusal": _refusal(session, challenge, actor, now),
            "mine": mine,
            "my_offer": team_finder.my_team_offer(session, challenge=challenge, actor=actor),
            "my_requests": my_requests,
            "requested": {v.request.submission_id for v in my_requests if v.request.status == "pending"},
            "can_ask": permissions.can_start(actor, challenge, now),
            "errors": errors or {},
            "values": values if values is not None else {"note": mine.note if mine else ""},
            "max_note": team_finder.MAX_NOTE,
        },
        status_code=status_code,
    )


@router.get("/challenges/{slug}/team-finder", response_class=HTMLResponse)
def team_finder_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    clock: ClockDep,
    challenge: ChallengeDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    return _page(request, session, challenge, actor, clock.now(), page)


@router.post("/challenges/{slug}/team-finder")
def save_entry(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    challenge: SignedInChallengeDep,
    note: NoteField = "",
) -> Response:
    now = clock.now()
    try:
        team_finder.save_entry(session, actor=actor, challenge=challenge, note=note, now=now)
    except REFUSALS as error:
        return _page(request, session, challenge, actor, now, errors=form_errors(error), values={"note": note},
                     status_code=error.status)  # fmt: skip
    return redirect(_finder_url(challenge) + "#my-entry", message=_("Your entry in the team finder was saved."))


@router.post("/challenges/{slug}/team-finder/remove")
def remove_entry(session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep) -> Response:
    try:
        team_finder.remove_entry(session, actor=actor, challenge=challenge, now=clock.now())
    except NotFound as error:
        return redirect(_finder_url(challenge), message=error.detail, kind="warning")
    return redirect(_finder_url(challenge), message=_("Your entry was taken off the team finder."))


@router.post("/challenges/{slug}/submissions/{submission_id}/join-requests")
def ask_to_join(
    request: Request,
    submission_id: RowId,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    challenge: SignedInChallengeDep,
    note: NoteField = "",
) -> Response:
    now = clock.now()
    try:
        team_finder.ask_to_join(session, actor=actor, challenge=challenge, submission_id=submission_id, note=note,
                                now=now)  # fmt: skip
    except REFUSALS as error:
        if isinstance(error, NotFound):
            raise
        field = f"join-note-{submission_id}"
        errors = form_errors(error, renamed={"note": field})
        return _page(request, session, challenge, actor, now, errors=errors, values={field: note},
                     status_code=error.status)  # fmt: skip
    return redirect(_finder_url(challenge) + "#my-requests",
                    message=_("Your request was sent. The team lead decides, and you get an email."))  # fmt: skip


def _decide(session: Session, slug: str, request_id: int, actor: Actor, now: Any, *, accept: bool) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    try:
        decided = team_finder.decide(session, actor=actor, challenge=challenge, request_id=request_id, accept=accept,
                                     now=now)  # fmt: skip
    except (Conflict, Forbidden) as error:
        request, _submission = team_finder.request_in(session, challenge=challenge, request_id=request_id)
        url = urls.concept(slug, request.submission_id, anchor="join-requests")
        return redirect(url, message=error.detail, kind="warning")
    view = team_finder.request_view(session, request=decided)
    message = (_("%(name)s is now on the team.") if accept else _("You declined %(name)s's request.")) % {
        "name": view.requester_name
    }
    return redirect(urls.concept(slug, decided.submission_id, anchor="join-requests"), message=message)


@router.post("/challenges/{slug}/join-requests/{request_id}/accept")
def accept_request(slug: str, request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    return _decide(session, slug, request_id, actor, clock.now(), accept=True)


@router.post("/challenges/{slug}/join-requests/{request_id}/decline")
def decline_request(slug: str, request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    return _decide(session, slug, request_id, actor, clock.now(), accept=False)


@router.post("/challenges/{slug}/join-requests/{request_id}/withdraw")
def withdraw_request(
    request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> Response:
    try:
        team_finder.withdraw_request(session, actor=actor, challenge=challenge, request_id=request_id, now=clock.now())
    except Conflict as error:
        return redirect(_finder_url(challenge) + "#my-requests", message=error.detail, kind="warning")
    return redirect(_finder_url(challenge) + "#my-requests", message=_("Your request was withdrawn."))


# --- the team on a concept's page -------------------------------------------------------------------------------------


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
        return views.concept_page(request, session, challenge, submission, actor, now, errors, values, error.status)
    return redirect(
        urls.concept(challenge.slug, submission.id), message=_("An invitation was sent to %(email)s.") % values
    )


@router.post("/challenges/{slug}/submissions/{submission_id}/invitations/{invitation_id}/revoke")
def revoke_invitation(
    request: Request, invitation_id: RowId, session: SessionDep,
    actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep,
) -> Response:  # fmt: skip
    now = clock.now()
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: teams.revoke_invitation(session, actor=actor, challenge=c, submission=s,
                                               invitation_id=invitation_id, now=now),
        _("The invitation was revoked."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/lead")
def hand_over_lead(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep, concept: SignedInConceptDep,
) -> Response:  # fmt: skip
    now = clock.now()
    try:
        user_id = parse_form(LeadHandOver, {"user_id": form.get("user_id", "")}).user_id
    except ValidationFailed:
        user_id = 0
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: teams.hand_over_lead(session, actor=actor, challenge=c, submission=s, user_id=user_id, now=now),
        _("The lead role was handed over."),
    )  # fmt: skip


@router.post("/challenges/{slug}/submissions/{submission_id}/members/{user_id}/remove")
def remove_member(
    request: Request, user_id: RowId, session: SessionDep, actor: SignedInDep,
    clock: ClockDep, concept: SignedInConceptDep,
) -> Response:  # fmt: skip
    now = clock.now()
    leaving = user_id == actor.user_id
    if leaving:
        challenge, submission = concept
        try:
            teams.remove_member(session, actor=actor, challenge=challenge, submission=submission, user_id=user_id,
                                  now=now)  # fmt: skip
        except (Conflict, Forbidden, NotFound) as error:
            return views.concept_page(request, session, challenge, submission, actor, now, form_errors(error),
                                 status_code=error.status)  # fmt: skip
        return redirect("/account/submissions", message=_("You left the team."))
    challenge, submission = concept
    return views.concept_action(
        request, session, challenge, submission, actor, now,
        lambda c, s: teams.remove_member(session, actor=actor, challenge=c, submission=s, user_id=user_id, now=now),
        _("The member was removed from the team."),
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
