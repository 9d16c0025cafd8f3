"""What pages show of submissions: the challenge page's concept counts, a concept's API body, and the concept's page
(which the team, files, discussion and moderation pages show again with a refusal's reasons)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from app.actor import Actor
from app.challenges.models import Challenge
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.kit import urls
from app.kit.forms import form_errors
from app.kit.invitations import state as invitation_state
from app.submissions import permissions, service
from app.submissions.discussion import service as comments
from app.submissions.files import service as attachments
from app.submissions.models import Submission, SubmissionStatus
from app.submissions.schemas import SubmissionRead, submission_read, team_is_shown
from app.submissions.team import finder as team_finder
from app.submissions.team import service as teams
from app.templating import redirect, render

# What higher domains add to the gallery and concept pages (the public vote's ballot), registered by them so that
# submissions never imports them: each returns template variables for the challenge as the actor sees it.
PageContext = Callable[[Session, Challenge, Actor, datetime], Mapping[str, Any]]
_page_contexts: list[PageContext] = []


def register_page_context(provider: PageContext) -> PageContext:
    """Add `provider`'s variables to every gallery and concept page (registering it again adds it once)."""
    if provider not in _page_contexts:
        _page_contexts.append(provider)
    return provider


def page_context(session: Session, *, challenge: Challenge, actor: Actor, now: datetime) -> dict[str, Any]:
    """Every registered provider's variables for a gallery or concept page of `challenge`."""
    merged: dict[str, Any] = {}
    for provider in _page_contexts:
        merged |= provider(session, challenge, actor, now)
    return merged


# Higher domains that hide teams from some readers (the jury under blind review), registered by them: each says
# whether `actor` may not see the teams of `challenge`'s concepts (their own team aside).
TeamHider = Callable[[Session, Challenge, Actor], bool]
_team_hiders: list[TeamHider] = []


def register_team_hider(hider: TeamHider) -> TeamHider:
    """Hide teams from the readers `hider` names, on every page and in the API (registering it again adds it once)."""
    if hider not in _team_hiders:
        _team_hiders.append(hider)
    return hider


def teams_hidden(session: Session, *, challenge: Challenge, actor: Actor) -> bool:
    """True when a registered domain hides the challenge's teams from `actor` (a juror under blind review)."""
    return any(hider(session, challenge, actor) for hider in _team_hiders)


@dataclass(frozen=True)
class ConceptCounts:
    submitted: int  # submitted concepts, public or not (a number, never their content)
    in_gallery: int  # those this reader finds in the gallery


def concept_counts(session: Session, *, challenge: Challenge, actor: Actor, now: datetime) -> ConceptCounts:
    """The challenge page's numbers, in one query."""
    submitted = and_(col(Submission.status) == SubmissionStatus.SUBMITTED, col(Submission.version_count) > 0)
    seen = and_(submitted, service.visible_condition(actor, challenge, now))
    row = session.exec(
        select(
            func.coalesce(func.sum(case((submitted, 1), else_=0)), 0),
            func.coalesce(func.sum(case((seen, 1), else_=0)), 0),
        ).where(col(Submission.challenge_id) == challenge.id)
    ).one()
    return ConceptCounts(submitted=int(row[0]), in_gallery=int(row[1]))


def concept_read(session: Session, *, challenge: Challenge, submission: Submission, actor: Actor) -> SubmissionRead:
    """A concept's API body as `actor` sees it (the working copy for its team, a submitted version for others)."""
    shown = service.shown(session, submission=submission, actor=actor)
    hidden = teams_hidden(session, challenge=challenge, actor=actor)
    return submission_read(shown, actor=actor, challenge=challenge, teams_hidden=hidden)


def concept_page(
    request: Request, session: Session, challenge: Challenge, submission: Submission, actor: Actor, now: datetime,
    errors: dict[str, str] | None = None, values: dict[str, Any] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    """A concept's page as `actor` sees it: text, team, files, comments, feedback (with a refusal's `errors`)."""
    shown = service.shown(session, submission=submission, actor=actor)
    team_view = permissions.can_see_working_copy(actor, submission)
    join_requests = team_finder.requests_for_team(session, actor=actor, submission=submission) if team_view else []
    invitations = (
        [(i, invitation_state(i, now)) for i in teams.list_invitations(session, actor=actor, challenge=challenge,
                                                                        submission=submission)]
        if team_view else []
    )  # fmt: skip
    return render(
        request,
        "submissions/detail.html",
        {
            "challenge": challenge,
            "submission": submission,
            "shown": shown,
            "team_view": team_view,
            "team_shown": team_is_shown(actor, submission, challenge)
            and (
                permissions.is_member(actor, submission) or not teams_hidden(session, challenge=challenge, actor=actor)
            ),
            "me": permissions.membership(actor, submission),
            "invitations": invitations,
            "not_accepted": [m for m in submission.members if m.terms_accepted_at is None],
            "reasons": service.readiness(submission, challenge) if team_view else [],
            "platform_terms": service.platform_terms(),
            "can_edit": permissions.can_edit(actor, submission, challenge, now),
            "can_withdraw": permissions.can_withdraw(actor, submission, challenge, now),
            "can_manage_team": permissions.can_manage_team(actor, submission, challenge, now),
            "can_leave": permissions.can_leave(actor, submission, challenge, now),
            "can_see_history": permissions.can_see_history(actor, submission, challenge),
            "join_requests": join_requests,
            "can_decide_join": permissions.can_decide_join_request(actor, submission, challenge, now),
            "max_attachments": attachments.MAX_ATTACHMENTS,
            "tz": challenge.host.timezone,
            "errors": errors or {},
            "values": values or {},
            "comments": comments.section(session, actor=actor, challenge=challenge, submission=submission, now=now),
            "feedback": comments.feedback_section(
                session, actor=actor, challenge=challenge, submission=submission, now=now
            ),
            "comment_max": comments.MAX_COMMENT,
            "feedback_max": comments.MAX_FEEDBACK,
        }
        | page_context(session, challenge=challenge, actor=actor, now=now),
        status_code=status_code,
    )


def concept_action(
    request: Request, session: Session, challenge: Challenge, submission: Submission, actor: Actor, now: datetime,
    action: Callable[[Challenge, Submission], object], message: str,
) -> Response:  # fmt: skip
    """Run `action(challenge, submission)`; on a refusal, the concept page again with the reason."""
    try:
        action(challenge, submission)
    except (ValidationFailed, Conflict, Forbidden, NotFound) as error:
        if isinstance(error, NotFound) and not permissions.can_view(actor, submission, challenge, now):
            raise
        submission = service.get_for(
            session, challenge=challenge, submission_id=submission.id or 0, actor=actor, now=now
        )
        return concept_page(request, session, challenge, submission, actor, now, form_errors(error),
                             status_code=error.status)  # fmt: skip
    return redirect(urls.concept(challenge.slug, submission.id), message=message)
