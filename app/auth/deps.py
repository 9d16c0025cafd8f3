"""Request dependencies: who is acting, and guards that require a signed-in user."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app import ratelimit
from app.actor import Actor
from app.auth import actors
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import CsrfFailed, Unauthenticated
from app.i18n import gettext as _
from app.security import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, bearer_token, csrf_matches


def client_ip(request: Request) -> str:
    """The caller's address, as rate limits count it ("" when the server cannot tell)."""
    return request.client.host if request.client else ""


async def _client_ip(request: Request) -> str:
    # async: run on the event loop, not handed to a thread and back (it only reads the request).
    return client_ip(request)


ClientIpDep = Annotated[str, Depends(_client_ip)]


def get_actor(request: Request, session: SessionDep, clock: ClockDep) -> Actor:
    """The actor for this request: a bearer token first, then the session cookie, else anonymous."""
    now = clock.now()
    actor: Actor | None
    token = bearer_token(request)
    if token is not None:
        actor = actors.actor_for_token(session, raw_token=token, now=now)
        if actor is None:
            raise Unauthenticated(_("The access token is unknown or revoked."))
    else:
        raw = request.cookies.get(SESSION_COOKIE)
        actor = actors.actor_for_session(session, raw_token=raw, now=now) if raw else None
    actor = actor or Actor.anonymous()
    request.state.actor = actor
    return actor


ActorDep = Annotated[Actor, Depends(get_actor)]


def get_signed_in(actor: ActorDep) -> Actor:
    if not actor.is_authenticated:
        raise Unauthenticated(_("Please sign in to continue."))
    return actor


SignedInDep = Annotated[Actor, Depends(get_signed_in)]


async def verify_csrf(request: Request) -> None:
    """Refuse a state-changing request that carries no valid CSRF token (bearer-token calls need none)."""
    if request.method in SAFE_METHODS or bearer_token(request) is not None:
        return
    expected = getattr(request.state, "csrf_token", None)
    given = request.headers.get(CSRF_HEADER)
    if given is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            given = value if isinstance(value, str) else None
    if not csrf_matches(expected, given):
        raise CsrfFailed(_("The form has expired or was sent from another site. Please try again."))


def limit_api_writes(request: Request, actor: ActorDep) -> None:
    """Count every state-changing API call against the caller (the user, else the address); 429 when over."""
    if request.method in SAFE_METHODS:
        return
    if actor.is_authenticated:
        ratelimit.hit(ratelimit.API_WRITE, "api-write-user", str(actor.user_id))
    else:
        ratelimit.hit(ratelimit.API_WRITE, "api-write-ip", client_ip(request))
