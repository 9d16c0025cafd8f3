"""What other domains' pages show of the jury: the links to its pages for the hosts and the challenge's jurors, and
the announced awards on the results page and in the followers' results email (registered with voting and follows)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.actor import Actor
from app.challenges.follows import service as follows
from app.challenges.models import Challenge
from app.jury import awards, permissions, service
from app.kit import urls
from app.voting import views as voting_views


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


def _awards_section(session: Session, challenge: Challenge) -> dict[str, Any]:
    """The results page's awards, once the hosts have announced them."""
    shown = awards.public_awards(session, challenge=challenge)
    return {"awards": shown} if shown else {}


def _awards_details(session: Session, challenge: Challenge) -> dict[str, Any]:
    """The followers' results email: each award and its concept, once announced."""
    shown = awards.public_awards(session, challenge=challenge)
    if not shown:
        return {}
    link = urls.absolute(urls.challenge(challenge.slug, "/results"))
    return {"awards": [f"{award.label}: {award.title}" for award in shown], "results_link": link}


voting_views.register_results_section(_awards_section)
follows.register_results_details(_awards_details)
