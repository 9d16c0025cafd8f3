"""What the API and the pages show of a public vote: the results as read, and the ballot panel beside concepts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.actor import Actor
from app.challenges.follows import service as follows
from app.challenges.models import Challenge
from app.kit import text, urls
from app.submissions import views as submission_views
from app.voting import permissions, service
from app.voting.schemas import ConceptResultRead, IntegritySummary, ResultsRead

CSV_HEADER = ("rank", "tied", "concept", "title", "points", "share", "url")


def results_read(results: service.Results) -> ResultsRead:
    """The results as the API returns them (and the results page shows them)."""
    challenge, tally = results.challenge, results.tally
    integrity = tally.integrity if tally else None
    return ResultsRead(
        method=challenge.voting_method,
        final=results.final,
        ballots_cast=results.ballots_cast,
        eligible_voters=results.eligible_voters,
        turnout=results.turnout,
        total_points=results.total_points,
        winners=[row.submission_id for row in results.winners],
        concepts=[
            ConceptResultRead(
                concept=row.submission_id,
                title=row.title,
                url=urls.concept(challenge.slug, row.submission_id),
                points=row.points,
                rank=row.rank,
                tied=row.tied,
                share=round(row.share, 4),
            )
            for row in results.rows
        ],
        sealed_at=tally.sealed_at.isoformat() if tally else None,
        export_sha256=tally.sha256 if tally else None,
        export_url=urls.api_challenge(challenge.slug, "/results/ballots") if tally else None,
        integrity=IntegritySummary(
            ballots_from_new_accounts=integrity["ballots_from_new_accounts"],
            ballots_from_shared_networks=integrity["ballots_from_shared_networks"],
            shared_network_ballots=integrity["shared_network_ballots"],
        )
        if integrity
        else None,
    )


def results_csv(results: service.Results) -> str:
    """The results as a spreadsheet: one row per concept, best first."""
    slug = results.challenge.slug
    rows = [
        (row.rank, "yes" if row.tied else "no", row.submission_id, row.title, row.points, f"{row.share:.4f}")
        + (urls.absolute(urls.concept(slug, row.submission_id)),)
        for row in results.rows
    ]
    return text.csv_document(CSV_HEADER, rows)


def _page_context(session: Session, challenge: Challenge, actor: Actor, now: datetime) -> dict[str, Any]:
    """The gallery's and the concept page's ballot while voting is open, and live counts if the host chose them."""
    if not permissions.voting_is_open(challenge, now):
        return {}
    live = service.live_points(session, challenge=challenge) if permissions.results_visible(challenge, now) else None
    return {"ballot": service.ballot_state(session, challenge=challenge, actor=actor, now=now), "live_points": live}


submission_views.register_page_context(_page_context)


def _results_details(session: Session, challenge: Challenge) -> dict[str, Any]:
    """The results email's part on the public vote: the people's choice and the sealed export's hash."""
    results = service.published_results(session, challenge=challenge)
    if results is None or results.tally is None:
        return {}
    link = urls.absolute(urls.challenge(challenge.slug, "/results"))
    winners = [row.title for row in results.winners]
    return {"peoples_choice": winners, "vote_sha256": results.tally.sha256, "results_link": link}


follows.register_results_details(_results_details)


# What higher domains add to the results page (the jury's awards), registered by them so that voting never imports
# them: each returns template variables for the challenge's results page.
ResultsSection = Callable[[Session, Challenge], Mapping[str, Any]]
_results_sections: list[ResultsSection] = []


def register_results_section(provider: ResultsSection) -> ResultsSection:
    """Add `provider`'s variables to the results page (registering it again adds it once)."""
    if provider not in _results_sections:
        _results_sections.append(provider)
    return provider


def results_sections(session: Session, *, challenge: Challenge) -> dict[str, Any]:
    """Every registered provider's variables for `challenge`'s results page."""
    merged: dict[str, Any] = {}
    for provider in _results_sections:
        merged |= provider(session, challenge)
    return merged
