"""What other domains' pages show of the jury: the links to its pages for the hosts and the challenge's jurors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from app.actor import Actor
from app.challenges.models import Challenge
from app.jury import permissions, service


@dataclass(frozen=True)
class JuryLinks:
    manage: bool  # the hosts' jury page
    work: bool  # the juror's own page (their assigned concepts)


def jury_links(session: Session, *, challenge: Challenge, actor: Actor) -> JuryLinks:
    """Which of the jury's pages the challenge page links to for `actor` (one query, only when signed in)."""
    if not actor.is_authenticated or challenge.review_ends_at is None:
        return JuryLinks(manage=False, work=False)
    seat = service.seat_of(session, challenge=challenge, actor=actor)
    return JuryLinks(manage=permissions.runs(actor, challenge), work=permissions.sits(seat))
