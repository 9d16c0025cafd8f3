"""Following challenges on the pages: the follow button, the email frequency, and unfollowing from an email."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Protocol

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts import permissions as accounts_permissions
from app.accounts import service as accounts
from app.accounts.models import EmailFrequency
from app.auth.deps import ActorDep, SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.challenges.follows import service as follows
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Conflict, Forbidden
from app.i18n import gettext as _
from app.kit import urls
from app.kit.urls import safe_next
from app.templating import redirect, render

router = APIRouter()
# Included without the CSRF check: a mail provider's RFC 8058 one-click POST has no cookie and no form token.
# The signed token in the address is the permission, and it names one follower and one challenge.
token_router = APIRouter(include_in_schema=False)
NextField = Annotated[str, Form(max_length=500)]
ACCOUNT_FOLLOWS = "/account#follows"


class UnfollowRead(Protocol):
    """Checks an unfollow link (and, for the button, acts on it); refuses with accounts.LinkRefused."""

    def __call__(self, session: Session, *, token: str, now: datetime) -> follows.UnfollowLink: ...


def _back(slug: str, next: str) -> str:
    return safe_next(next, urls.challenge(slug, anchor="follow"))


@router.post("/challenges/{slug}/follow")
def follow_challenge(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep, next: NextField = ""
) -> Response:
    try:
        follows.follow(session, actor=actor, challenge=challenge, now=clock.now())
    except (Conflict, Forbidden) as error:
        return redirect(_back(challenge.slug, next), message=error.detail, kind="warning")
    user = accounts_permissions.user_of(actor)
    assert user is not None  # noqa: S101  (SignedInDep guarantees it)
    if user.email_frequency == EmailFrequency.DAILY:
        message = _("You follow %(title)s. Its news comes in your daily email.")
    else:
        message = _("You follow %(title)s. We email you when it opens, before the deadline, when questions are "
                    "answered and when results are announced.")  # fmt: skip
    return redirect(_back(challenge.slug, next), message=message % {"title": challenge.title})


@router.post("/challenges/{slug}/unfollow")
def unfollow_challenge(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, next: NextField = ""
) -> Response:
    follows.unfollow(session, actor=actor, challenge=challenge)
    message = _("You no longer follow %(title)s.") % {"title": challenge.title}
    return redirect(_back(challenge.slug, next), message=message)


@router.post("/account/email-frequency")
def change_email_frequency(
    session: SessionDep, actor: SignedInDep, email_frequency: Annotated[str, Form(max_length=20)] = ""
) -> Response:
    user = accounts.update_profile(session, actor=actor, email_frequency=email_frequency)
    if user.email_frequency == EmailFrequency.DAILY:
        message = _("Saved. News about challenges you follow now comes in one email a day.")
    else:
        message = _("Saved. We now email you each piece of news about challenges you follow as it happens.")
    return redirect(ACCOUNT_FOLLOWS, message=message)


# Unfollowing from an email works without signing in: the signed link is the permission. Opening the link only
# asks (mail scanners open links); the button on the page does it.


def _unfollow_page(
    request: Request, session: Session, token: str, now: datetime, *, read: UnfollowRead, done: bool
) -> Response:
    """The page for an unfollow link (asking, or `done`), or why the link is refused."""
    try:
        link = read(session, token=token, now=now)
    except accounts.LinkRefused as error:
        return render(request, "challenges/unfollow_refused.html", {"message": error.detail}, status_code=error.status)
    return render(request, "challenges/unfollow.html", {"token": token, "link": link, "done": done})


@router.get("/unfollow/{token}", response_class=HTMLResponse)
def unfollow_link_form(request: Request, token: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    return _unfollow_page(request, session, token, clock.now(), read=follows.check_unfollow_link, done=False)


@token_router.post("/unfollow/{token}", response_class=HTMLResponse)
def unfollow_by_link(request: Request, token: str, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    return _unfollow_page(request, session, token, clock.now(), read=follows.unfollow_by_link, done=True)
