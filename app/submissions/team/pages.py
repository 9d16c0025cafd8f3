"""The team finder's page and its forms: your entry, asking to join a draft team, and the lead's answer (the lead
answers on the concept's page)."""

from __future__ import annotations

from math import ceil
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import ActorDep, SignedInDep
from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.kit import urls
from app.kit.forms import form_errors
from app.submissions import permissions, service
from app.submissions.team import finder as team_finder
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
    request: Request, slug: str, session: SessionDep, actor: ActorDep, clock: ClockDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:  # fmt: skip
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    return _page(request, session, challenge, actor, clock.now(), page)


@router.post("/challenges/{slug}/team-finder")
def save_entry(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, note: NoteField = ""
) -> Response:
    now = clock.now()
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    try:
        team_finder.save_entry(session, actor=actor, challenge=challenge, note=note, now=now)
    except REFUSALS as error:
        return _page(request, session, challenge, actor, now, errors=form_errors(error), values={"note": note},
                     status_code=error.status)  # fmt: skip
    return redirect(_finder_url(challenge) + "#my-entry", message=_("Your entry in the team finder was saved."))


@router.post("/challenges/{slug}/team-finder/remove")
def remove_entry(slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    try:
        team_finder.remove_entry(session, actor=actor, challenge=challenge, now=clock.now())
    except NotFound as error:
        return redirect(_finder_url(challenge), message=error.detail, kind="warning")
    return redirect(_finder_url(challenge), message=_("Your entry was taken off the team finder."))


@router.post("/challenges/{slug}/submissions/{submission_id}/join-requests")
def ask_to_join(
    request: Request, slug: str, submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    note: NoteField = "",
) -> Response:  # fmt: skip
    now = clock.now()
    challenge = challenges.get_for(session, slug=slug, actor=actor)
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
    slug: str, request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    try:
        team_finder.withdraw_request(session, actor=actor, challenge=challenge, request_id=request_id, now=clock.now())
    except Conflict as error:
        return redirect(_finder_url(challenge) + "#my-requests", message=error.detail, kind="warning")
    return redirect(_finder_url(challenge) + "#my-requests", message=_("Your request was withdrawn."))
