"""The challenge named in the path, looked up once per request: a 404 when the caller may not see it, a 403 when
they see it but may not manage it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.auth.deps import ActorDep, SignedInDep
from app.challenges import permissions, service
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import SessionDep


def visible_challenge(slug: str, session: SessionDep, actor: ActorDep) -> Challenge:
    """The challenge `slug`, when `actor` may see it (a draft is a 404 to all but its hosts)."""
    return service.get_for(session, slug=slug, actor=actor)


ChallengeDep = Annotated[Challenge, Depends(visible_challenge)]


def signed_in_challenge(slug: str, session: SessionDep, actor: SignedInDep) -> Challenge:
    """As `visible_challenge`, for signed-in callers: an anonymous one is refused (401) before anything is looked up."""
    return service.get_for(session, slug=slug, actor=actor)


SignedInChallengeDep = Annotated[Challenge, Depends(signed_in_challenge)]


def signed_in_public_row(slug: str, session: SessionDep, actor: SignedInDep) -> Challenge:
    """A published or cancelled challenge's own row for a signed-in caller (401 first), without its host,
    co-hosts or criteria: for hot paths that read only its settings and dates (a vote)."""
    return service.get_public_row(session, slug=slug)


SignedInPublicRowDep = Annotated[Challenge, Depends(signed_in_public_row)]


def managed_challenge(challenge: SignedInChallengeDep, actor: SignedInDep, clock: ClockDep) -> Challenge:
    """The challenge, when `actor` may edit it now (its organiser pages)."""
    permissions.check_edit(actor, challenge, clock.now())
    return challenge


ManagedChallengeDep = Annotated[Challenge, Depends(managed_challenge)]


def cohost_managed_challenge(challenge: SignedInChallengeDep, actor: SignedInDep, clock: ClockDep) -> Challenge:
    """The challenge, when `actor` may invite and remove its co-hosts now."""
    permissions.check_manage_cohosts(actor, challenge, clock.now())
    return challenge


CoHostManagedChallengeDep = Annotated[Challenge, Depends(cohost_managed_challenge)]


def moderated_challenge(challenge: SignedInChallengeDep, actor: SignedInDep) -> Challenge:
    """The challenge, when `actor` is one of its hosts, who answer, merge and hide its questions."""
    permissions.check_moderate_questions(actor, challenge)
    return challenge


ModeratedChallengeDep = Annotated[Challenge, Depends(moderated_challenge)]
