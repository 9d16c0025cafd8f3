"""The public vote on the pages: vote, take back and withdraw from the gallery and the concept pages (plain forms;
with JavaScript the ballot panel updates in place), and the results page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import ActorDep, ClientIpDep, SignedInDep
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.challenges.models import VotingMethod
from app.clock import ClockDep
from app.db import SessionDep, WritingSessionDep
from app.errors import AppError, NotFound
from app.i18n import gettext as _
from app.i18n import ngettext
from app.kit import forms, urls
from app.kit.forms import FormDep
from app.submissions.deps import SignedInConceptDep
from app.templating import redirect, render
from app.voting import permissions, service, views

router = APIRouter()


def _back(form: dict[str, str], default: str) -> str:
    return urls.safe_next(form.get("next"), default)


def _points(form: dict[str, str]) -> int:
    return forms.whole_number(form.get("points", "1"), max_digits=3) or 0


def _answer(back: str, message: str, kind: str = "success") -> Response:
    """Back to the page with the message (htmx follows the redirect and swaps the voting area in place)."""
    return redirect(back, message=message, kind=kind)


def _left(state: service.BallotState) -> str:
    if state.method == VotingMethod.SINGLE:
        return ""
    if state.method == VotingMethod.POINTS:
        return _("You have %(left)s of %(total)s points left.") % {"left": state.remaining, "total": state.total}
    return _("You have %(left)s of %(total)s votes left.") % {"left": state.remaining, "total": state.total}


@router.post("/challenges/{slug}/ballot/votes/{submission_id}")
def cast_vote(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    address: ClientIpDep,
    concept: SignedInConceptDep,
    form: FormDep,
) -> Response:
    challenge, submission = concept
    back = _back(form, urls.concept(challenge.slug, submission.id))
    vote = service.Vote(submission.id or 0, _points(form))
    try:
        state = service.vote(session, challenge=challenge, actor=actor, vote=vote, now=clock.now(), address=address)
    except AppError as error:
        return _answer(back, error.detail, "warning")
    if state.method == VotingMethod.POINTS:
        given = ngettext("You gave %(title)s %(num)d point.", "You gave %(title)s %(num)d points.", vote.points) % {
            "title": submission.title,
            "num": vote.points,
        }
    else:
        given = _("Your vote for %(title)s is saved.") % {"title": submission.title}
    return _answer(back, f"{given} {_left(state)}".strip())


@router.post("/challenges/{slug}/ballot/votes/{submission_id}/remove")
def take_back_vote(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    address: ClientIpDep,
    concept: SignedInConceptDep,
    form: FormDep,
) -> Response:
    challenge, submission = concept
    back = _back(form, urls.concept(challenge.slug, submission.id))
    try:
        removed = submission.id or 0
        now = clock.now()
        state = service.unvote(
            session, challenge=challenge, actor=actor, submission_id=removed, now=now, address=address
        )
    except AppError as error:
        return _answer(back, error.detail, "warning")
    taken = _("You took back your vote for %(title)s.") % {"title": submission.title}
    return _answer(back, f"{taken} {_left(state)}".strip())


@router.post("/challenges/{slug}/ballot/withdraw")
def withdraw_ballot(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    address: ClientIpDep,
    challenge: SignedInChallengeDep,
    form: FormDep,
) -> Response:
    back = _back(form, urls.challenge(challenge.slug, "/submissions"))
    try:
        service.withdraw(session, challenge=challenge, actor=actor, now=clock.now(), address=address)
    except AppError as error:
        return redirect(back, message=error.detail, kind="warning")
    return redirect(back, message=_("Your ballot is withdrawn. You may vote again while the vote is open."))


@router.get("/challenges/{slug}/results", response_class=HTMLResponse)
def results_page(
    request: Request, session: WritingSessionDep, actor: ActorDep, clock: ClockDep, challenge: ChallengeDep
) -> Response:
    now = clock.now()
    sections = views.results_sections(session, challenge=challenge)
    public_vote = permissions.has_public_vote(challenge)
    if not public_vote and not sections.get("awards"):
        raise NotFound(_("This challenge has no public vote, and its results have not been announced."))
    results = service.visible_results(session, challenge=challenge, now=now) if public_vote else None
    integrity = service.visible_integrity(session, challenge=challenge, actor=actor, now=now) if public_vote else None
    return render(
        request,
        "voting/results.html",
        {
            **sections,
            "public_vote": public_vote,
            "challenge": challenge,
            "results": results,
            "read": views.results_read(results) if results else None,
            "integrity": integrity,
            "tz": challenge.host.timezone,
        },
    )


@router.get("/account/votes", response_class=HTMLResponse)
def my_votes(request: Request, session: SessionDep, actor: SignedInDep) -> Response:
    receipts = service.receipts_of(session, user_id=actor.user_id or 0)
    return render(request, "voting/mine.html", {"receipts": receipts})
