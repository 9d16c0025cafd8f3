"""What other domains' pages show of the jury: the links to its pages for the hosts and the challenge's jurors, and
the announced awards on the results page and in the followers' results email (registered with voting and follows)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.actor import Actor
from app.challenges.follows import service as follows
from app.challenges.models import Challenge
from app.challenges.phases import Phase, phase_of
from app.jury import awards, follow_up, permissions, service
from app.kit import urls
from app.submissions import views as submission_views
from app.submissions.models import Submission, SubmissionStatus
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


def _follow_up_by_concept(session: Session, challenge: Challenge, actor: Actor, now: datetime) -> dict[str, Any]:
    """The concept pages' follow-up (what became of an awarded concept), by concept id."""
    if not _announced(challenge, now):
        return {}
    by_concept: dict[int, list[follow_up.ShownUpdate]] = {}
    for shown in follow_up.of_challenge(session, challenge=challenge):
        by_concept.setdefault(shown.update.submission_id, []).append(shown)
    return {"follow_up_by_concept": by_concept}


@dataclass(frozen=True)
class Outcome:
    """Where a team's concept stands with the jury: under review, shortlisted for the final round, awarded (with
    the awards' names), not awarded."""

    kind: str
    awards: list[str]


def outcomes(
    session: Session, *, concepts: Sequence[tuple[Submission, Challenge]], now: datetime
) -> dict[int, Outcome]:
    """ "My concepts": each submitted concept's standing with the jury, by concept id (two queries)."""
    submitted = [(s, c) for s, c in concepts if s.status == SubmissionStatus.SUBMITTED]
    announced = awards.announced_challenges(session, challenge_ids=[c.id or 0 for _s, c in submitted])
    given = awards.awards_for(session, submission_ids=[s.id or 0 for s, c in submitted if c.id in announced])
    waiting = [s.id or 0 for s, c in submitted if c.id not in announced]
    shortlisted = service.finalists_among(session, submission_ids=waiting)
    found: dict[int, Outcome] = {}
    for concept, challenge in submitted:
        if challenge.id in announced:
            labels = [awards.award_label(award) for award in given.get(concept.id or 0, [])]
            found[concept.id or 0] = Outcome("awarded" if labels else "not-awarded", labels)
        elif concept.id in shortlisted:
            found[concept.id or 0] = Outcome("shortlisted", [])
        elif phase_of(challenge, now) == Phase.REVIEW:
            found[concept.id or 0] = Outcome("under-review", [])
    return found


def _announced(challenge: Challenge, now: datetime) -> bool:
    # Awards and follow-up exist only once the challenge is announced: no query before.
    return challenge.announce_at is not None and challenge.announce_at <= now


def awards_announced(session: Session, *, challenge: Challenge, now: datetime) -> bool:
    """Whether the hosts have announced the awards (the challenge page then links the results)."""
    return _announced(challenge, now) and service.announcement_of(session, challenge) is not None


def follow_up_of_challenge(session: Session, *, challenge: Challenge, now: datetime) -> list[follow_up.ShownUpdate]:
    """The challenge page's "what became of it"."""
    return follow_up.of_challenge(session, challenge=challenge) if _announced(challenge, now) else []


def follow_up_of_organisation(session: Session, *, organization_id: int) -> list[follow_up.ShownUpdate]:
    """An organisation page's newest follow-up of the challenges it hosted."""
    return follow_up.of_organisation(session, organization_id=organization_id)


def teams_hidden_from_juror(session: Session, challenge: Challenge, actor: Actor) -> bool:
    """Under blind review a seated juror sees no team (on the pages and in the API) until the results are
    announced."""
    if not actor.is_authenticated or challenge.review_ends_at is None:
        return False
    panel = service.existing_panel(session, challenge)
    if panel is None or not panel.blind_review:
        return False
    if not permissions.sits(service.seat_of(session, challenge=challenge, actor=actor)):
        return False
    return not service.results_announced(session, challenge)


def _blind_for_juror(session: Session, challenge: Challenge, actor: Actor, now: datetime) -> dict[str, Any]:
    """The gallery's cards under blind review (the concept page asks `submission_views.teams_hidden` itself)."""
    return {"blind_for_jury": True} if teams_hidden_from_juror(session, challenge, actor) else {}


voting_views.register_results_section(_awards_section)
submission_views.register_page_context(_blind_for_juror)
submission_views.register_team_hider(teams_hidden_from_juror)
submission_views.register_page_context(_follow_up_by_concept)
follows.register_results_details(_awards_details)
