"""Team finder and join requests: people say they look for a team, leads of draft teams say they look for members,
and people ask to join such a team, which its lead accepts or declines.

Draft content never leaks: a team's entry shows only its team name (or its lead's name), its size and the lead's
note. Only a draft whose lead has an entry can be asked to join; any other draft is "not found".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, func, or_
from sqlmodel import Session, col, select

from app.accounts import gdpr
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.challenges.models import Challenge
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import urls
from app.submissions import permissions, service
from app.submissions.models import (
    JoinRequest,
    JoinRequestStatus,
    MemberRole,
    Submission,
    SubmissionMember,
    SubmissionStatus,
    TeammateSearch,
)
from app.submissions.team import service as team_service

MAX_NOTE = 500


def _check_note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        message = _("Keep the note under %(count)d characters.") % {"count": MAX_NOTE}
        raise ValidationFailed(message, errors={"note": message})
    return note


@dataclass(frozen=True)
class TeamOffer:
    """A draft team looking for members, as the team finder shows it: never the draft's title or text."""

    submission_id: int
    team_name: str
    members: int
    team_size_max: int

    @property
    def full(self) -> bool:
        return self.members >= self.team_size_max


@dataclass(frozen=True)
class FinderEntry:
    """One entry: a person looking for a team, or (with `team`) a draft team's lead looking for members."""

    search: TeammateSearch
    display_name: str
    team: TeamOffer | None


@dataclass(frozen=True)
class RequestView:
    """A join request with the names people see: the requester's and the team's."""

    request: JoinRequest
    requester_name: str
    team_name: str


# --- reading -----------------------------------------------------------------------------------------------------


def _on_team(challenge: Challenge) -> ColumnElement[bool]:
    """The entry's person is on a non-withdrawn team of the challenge."""
    teams = (
        select(SubmissionMember.user_id)
        .join(Submission, col(Submission.id) == SubmissionMember.submission_id)
        .where(Submission.challenge_id == challenge.id, col(Submission.status) != SubmissionStatus.WITHDRAWN)
    )
    return col(TeammateSearch.user_id).in_(teams)


def _leads_draft(challenge: Challenge) -> ColumnElement[bool]:
    """The entry's person leads a draft of the challenge (the entry then speaks for the team)."""
    leads = (
        select(SubmissionMember.user_id)
        .join(Submission, col(Submission.id) == SubmissionMember.submission_id)
        .where(
            Submission.challenge_id == challenge.id,
            col(Submission.status) == SubmissionStatus.DRAFT,
            SubmissionMember.role == MemberRole.LEAD,
        )
    )
    return col(TeammateSearch.user_id).in_(leads)


def _listed(challenge: Challenge) -> ColumnElement[bool]:
    return (
        (col(TeammateSearch.challenge_id) == challenge.id)
        & col(User.is_active)
        & or_(~_on_team(challenge), _leads_draft(challenge))
    )


def looking_count(session: Session, *, challenge: Challenge) -> int:
    """How many entries the team finder lists (what a visitor who is not signed in sees)."""
    statement = (
        select(func.count())
        .select_from(TeammateSearch)
        .join(User, col(User.id) == TeammateSearch.user_id)
        .where(_listed(challenge))
    )
    return int(session.exec(statement).one())


def _draft_teams(session: Session, *, challenge: Challenge, lead_ids: Sequence[int]) -> dict[int, TeamOffer]:
    """The newest draft each of `lead_ids` leads on the challenge, with its team size (two queries)."""
    if not lead_ids:
        return {}
    rows = session.exec(
        select(SubmissionMember.user_id, Submission)
        .join(Submission, col(Submission.id) == SubmissionMember.submission_id)
        .where(
            Submission.challenge_id == challenge.id,
            col(Submission.status) == SubmissionStatus.DRAFT,
            SubmissionMember.role == MemberRole.LEAD,
            col(SubmissionMember.user_id).in_(sorted(set(lead_ids))),
        )
        .order_by(col(Submission.created_at), col(Submission.id))
    ).all()
    newest: dict[int, Submission] = dict(rows)  # later rows (newer drafts) win
    ids = [submission.id for submission in newest.values() if submission.id is not None]
    sizes = dict(
        session.exec(
            select(SubmissionMember.submission_id, func.count())
            .where(col(SubmissionMember.submission_id).in_(ids))
            .group_by(col(SubmissionMember.submission_id))
        ).all()
    ) if ids else {}  # fmt: skip
    return {
        user_id: TeamOffer(submission.id or 0, submission.team_name, int(sizes.get(submission.id, 0)),
                           challenge.team_size_max)
        for user_id, submission in newest.items()
    }  # fmt: skip


def list_entries(
    session: Session, *, challenge: Challenge, actor: Actor, page: int, size: int
) -> tuple[list[FinderEntry], int]:
    """One page of the team finder, newest change first, and how many entries there are. Visitors who are not
    signed in get only the count (names and notes are for signed-in people)."""
    total = looking_count(session, challenge=challenge)
    if not permissions.can_browse_team_finder(actor) or total == 0:
        return [], total
    rows = session.exec(
        select(TeammateSearch, User.display_name)
        .join(User, col(User.id) == TeammateSearch.user_id)
        .where(_listed(challenge))
        .order_by(col(TeammateSearch.updated_at).desc(), col(TeammateSearch.id).desc())
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    teams = _draft_teams(session, challenge=challenge, lead_ids=[search.user_id for search, _name in rows])
    return [FinderEntry(search, name, teams.get(search.user_id)) for search, name in rows], total


def my_entry(session: Session, *, challenge: Challenge, actor: Actor) -> TeammateSearch | None:
    if actor.user_id is None:
        return None
    return session.exec(
        select(TeammateSearch).where(
            TeammateSearch.challenge_id == challenge.id, TeammateSearch.user_id == actor.user_id
        )
    ).first()


def my_team_offer(session: Session, *, challenge: Challenge, actor: Actor) -> TeamOffer | None:
    """The draft team the actor's entry speaks for, if they lead one."""
    if actor.user_id is None:
        return None
    return _draft_teams(session, challenge=challenge, lead_ids=[actor.user_id]).get(actor.user_id)


# --- the actor's entry -------------------------------------------------------------------------------------------


def _record_entry(session: Session, *, actor: Actor, challenge: Challenge, search: TeammateSearch, action: str,
                  now: datetime, after: dict[str, object] | None = None) -> None:  # fmt: skip
    # Citizens looking for a team are not the hosts' business: team-private, like the teams' own work.
    audit.record(
        session,
        actor=actor,
        action=action,
        target_type="teammate-search",
        target_id=search.id,
        now=now,
        organization_id=challenge.host_id,
        after={"challenge_id": challenge.id, **(after or {})},
        team_private=True,
    )


def _may_post(session: Session, *, challenge: Challenge, actor: Actor, now: datetime) -> None:
    if not actor.is_authenticated or actor.user_id is None:
        raise Forbidden(_("Sign in to use the team finder."))
    service.require_open(challenge, now)
    if not permissions.can_look_for_team(actor, challenge, now):
        raise Forbidden(_("Confirm your email address before you use the team finder."))
    on_team = session.exec(
        select(func.count())
        .select_from(SubmissionMember)
        .join(Submission, col(Submission.id) == SubmissionMember.submission_id)
        .where(
            SubmissionMember.user_id == actor.user_id,
            Submission.challenge_id == challenge.id,
            col(Submission.status) != SubmissionStatus.WITHDRAWN,
        )
    ).one()
    if on_team and my_team_offer(session, challenge=challenge, actor=actor) is None:
        raise Conflict(_("You are already on a team for this challenge. Only the lead of a draft team can ask for "
                         "members here."), field="note")  # fmt: skip


def save_entry(session: Session, *, actor: Actor, challenge: Challenge, note: str, now: datetime) -> TeammateSearch:
    """Say you look for a team (or, as the lead of a draft, for members), or change what you wrote."""
    _may_post(session, challenge=challenge, actor=actor, now=now)
    assert actor.user_id is not None  # noqa: S101  (checked by _may_post)
    note = _check_note(note)
    search = my_entry(session, challenge=challenge, actor=actor)
    if search is None:
        search = TeammateSearch(
            challenge_id=challenge.id,  # type: ignore[arg-type]
            user_id=actor.user_id, note=note, created_at=now, updated_at=now,
        )  # fmt: skip
        action = "team-finder.create"
    elif search.note == note:
        return search
    else:
        search.note, search.updated_at = note, now
        action = "team-finder.update"
    session.add(search)
    session.flush()
    _record_entry(session, actor=actor, challenge=challenge, search=search, action=action, now=now,
                  after={"note_length": len(note)})  # fmt: skip
    return search


def remove_entry(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> None:
    """Take your entry off the team finder (after the deadline too: it is your own data)."""
    search = my_entry(session, challenge=challenge, actor=actor)
    if search is None:
        raise NotFound(_("You have no entry in this team finder."))
    _record_entry(session, actor=actor, challenge=challenge, search=search, action="team-finder.remove", now=now)
    session.delete(search)
    session.flush()


# --- join requests -----------------------------------------------------------------------------------------------


def _team_name(submission: Submission, lead_name: str) -> str:
    return submission.team_name or _("%(name)s's team") % {"name": lead_name}


def _lead(submission: Submission) -> SubmissionMember:
    return next(m for m in submission.members if m.role == MemberRole.LEAD)


def _link(challenge: Challenge, rest: str) -> str:
    return urls.absolute(urls.challenge(challenge.slug) + rest)


def advertised_team(session: Session, *, challenge: Challenge, submission_id: int) -> Submission:
    """A draft whose lead looks for members in the team finder; any other concept is "not found" here."""
    submission = service.load_submission(
        session,
        col(Submission.id) == submission_id,
        col(Submission.challenge_id) == challenge.id,
        col(Submission.status) == SubmissionStatus.DRAFT,
    )
    if submission is not None:
        lead = _lead(submission)
        listed = session.exec(
            select(TeammateSearch.id).where(TeammateSearch.challenge_id == challenge.id,
                                            TeammateSearch.user_id == lead.user_id)
        ).first()  # fmt: skip
        if listed is not None:
            return submission
    raise NotFound(_("No such team in the team finder."))


def ask_to_join(
    session: Session, *, actor: Actor, challenge: Challenge, submission_id: int, note: str, now: datetime
) -> JoinRequest:
    """Ask the lead of a draft team in the team finder to let you join; the lead is emailed."""
    if not actor.is_authenticated or actor.user_id is None or actor.user is None:
        raise Forbidden(_("Sign in to ask to join a team."))
    service.require_open(challenge, now)
    note = _check_note(note)
    submission = advertised_team(session, challenge=challenge, submission_id=submission_id)
    if not actor.email_verified:
        raise Forbidden(_("Confirm your email address before you ask to join a team."))
    if permissions.is_member(actor, submission):
        raise Conflict(_("You are already on this team."))
    service.lock_submission(session, submission)
    pending = session.exec(
        select(JoinRequest.id).where(JoinRequest.submission_id == submission.id, JoinRequest.user_id == actor.user_id,
                                     JoinRequest.status == JoinRequestStatus.PENDING)
    ).first()  # fmt: skip
    if pending is not None:
        raise Conflict(_("You have already asked to join this team. Wait for the lead's answer."))
    if len(submission.members) >= challenge.team_size_max:
        raise service.LimitReached(_("The team is already full."))
    service.check_person_limit(session, challenge=challenge, user_id=actor.user_id, you=True)
    request = JoinRequest(
        submission_id=submission.id,  # type: ignore[arg-type]
        user_id=actor.user_id, note=note, created_at=now,
    )  # fmt: skip
    session.add(request)
    session.flush()
    service.record(session, actor=actor, submission=submission, challenge=challenge, now=now,
                    action="submission.join-request.create",
                    after={"join_request_id": request.id, "user_id": actor.user_id})  # fmt: skip
    lead = _lead(submission).user
    if lead.is_active:
        outbox.enqueue_email(
            session, to=lead.email, template="join_request_new", language=lead.language,
            context={"requester": actor.user.display_name, "note": request.note, "challenge": challenge,
                     "team_name": _team_name(submission, lead.display_name),
                     "link": _link(challenge, f"/submissions/{submission.id}#join-requests")},
            now=now,
        )  # fmt: skip
    return request


def request_in(session: Session, *, challenge: Challenge, request_id: int) -> tuple[JoinRequest, Submission]:
    """A join request on the challenge, with its team; "not found" otherwise (who may act on it is checked by the
    caller)."""
    request = session.get(JoinRequest, request_id)
    submission = service.load_submission(session, col(Submission.id) == request.submission_id) if request else None
    if request is None or submission is None or submission.challenge_id != challenge.id:
        raise NotFound(_("No such request."))
    return request, submission


def decide(
    session: Session, *, actor: Actor, challenge: Challenge, request_id: int, accept: bool, now: datetime
) -> JoinRequest:
    """The lead accepts (the person joins, within the team's and the person's limits) or declines; the person
    is emailed."""
    request, submission = request_in(session, challenge=challenge, request_id=request_id)
    if not permissions.is_member(actor, submission):
        raise NotFound(_("No such request."))
    service.require_open(challenge, now)
    if not permissions.can_decide_join_request(actor, submission, challenge, now):
        raise Forbidden(_("Only the team lead can do this."))
    # Lock the request so a double click cannot decide it twice.
    session.exec(select(JoinRequest.id).where(JoinRequest.id == request.id).with_for_update()).first()
    session.refresh(request)
    if request.status != JoinRequestStatus.PENDING:
        raise Conflict(_("This request has already been answered or withdrawn."))
    requester = session.get(User, request.user_id)
    assert requester is not None  # noqa: S101  (a deleted account takes its requests with it)
    if accept:
        if not requester.is_active:
            raise Conflict(_("This person's account is closed."))
        submission = team_service.add_member(session, challenge=challenge, submission=submission,
                                        user_id=request.user_id, you=False, now=now)  # fmt: skip
    request.status = JoinRequestStatus.ACCEPTED if accept else JoinRequestStatus.DECLINED
    request.decided_at, request.decided_by_id = now, actor.user_id
    session.add(request)
    session.flush()
    service.record(session, actor=actor, submission=submission, challenge=challenge, now=now,
                    action="submission.join-request." + ("accept" if accept else "decline"),
                    after={"join_request_id": request.id, "user_id": request.user_id})  # fmt: skip
    if requester.is_active:
        lead_name = actor.user.display_name if actor.user else ""
        outbox.enqueue_email(
            session, to=requester.email, language=requester.language,
            template="join_request_accepted" if accept else "join_request_declined",
            context={"challenge": challenge, "team_name": _team_name(submission, lead_name),
                     "link": _link(challenge, f"/submissions/{submission.id}" if accept else "/team-finder")},
            now=now,
        )  # fmt: skip
    return request


def withdraw_request(
    session: Session, *, actor: Actor, challenge: Challenge, request_id: int, now: datetime
) -> JoinRequest:
    """The person who asked takes a pending request back."""
    request, submission = request_in(session, challenge=challenge, request_id=request_id)
    if actor.user_id is None or request.user_id != actor.user_id:
        raise NotFound(_("No such request."))
    service.require_open(challenge, now)
    if request.status != JoinRequestStatus.PENDING:
        raise Conflict(_("This request has already been answered or withdrawn."))
    request.status, request.decided_at, request.decided_by_id = JoinRequestStatus.WITHDRAWN, now, actor.user_id
    session.add(request)
    session.flush()
    service.record(session, actor=actor, submission=submission, challenge=challenge, now=now,
                    action="submission.join-request.withdraw", after={"join_request_id": request.id})  # fmt: skip
    return request


def requests_for_team(session: Session, *, actor: Actor, submission: Submission) -> list[RequestView]:
    """The team's join requests, pending first, then newest (the team sees them)."""
    if not permissions.is_member(actor, submission):
        raise NotFound(_("No such concept."))
    rows = session.exec(
        select(JoinRequest, User.display_name)
        .join(User, col(User.id) == JoinRequest.user_id)
        .where(JoinRequest.submission_id == submission.id)
        .order_by(col(JoinRequest.created_at).desc(), col(JoinRequest.id).desc())
    ).all()
    lead_name = _lead(submission).user.display_name
    views = [RequestView(request, name, _team_name(submission, lead_name)) for request, name in rows]
    return sorted(views, key=lambda view: view.request.status != JoinRequestStatus.PENDING)


def my_requests(session: Session, *, actor: Actor, challenge: Challenge) -> list[RequestView]:
    """The actor's join requests on the challenge, newest first, with the teams' names (never their drafts)."""
    if actor.user_id is None or actor.user is None:
        return []
    rows = session.exec(
        select(JoinRequest, Submission)
        .join(Submission, col(Submission.id) == JoinRequest.submission_id)
        .where(JoinRequest.user_id == actor.user_id, Submission.challenge_id == challenge.id)
        .order_by(col(JoinRequest.created_at).desc(), col(JoinRequest.id).desc())
    ).all()
    ids = sorted({submission.id for _r, submission in rows if submission.id is not None})
    leads = dict(
        session.exec(
            select(SubmissionMember.submission_id, User.display_name)
            .join(User, col(User.id) == SubmissionMember.user_id)
            .where(col(SubmissionMember.submission_id).in_(ids), SubmissionMember.role == MemberRole.LEAD)
        ).all()
    ) if ids else {}  # fmt: skip
    return [RequestView(request, actor.user.display_name, _team_name(submission, leads.get(submission.id, "")))
            for request, submission in rows]  # fmt: skip


def request_view(session: Session, *, request: JoinRequest) -> RequestView:
    """One request with the requester's and the team's names (for an answer to whoever just changed it)."""
    submission = service.load_submission(session, col(Submission.id) == request.submission_id)
    requester = session.get(User, request.user_id)
    assert submission is not None  # noqa: S101  (a team outlives its requests)
    assert requester is not None  # noqa: S101  (so does the person who asked)
    return RequestView(request, requester.display_name, _team_name(submission, _lead(submission).user.display_name))


# --- personal data -----------------------------------------------------------------------------------------------


def export_team_finder(session: Session, user: User) -> dict[str, Any]:
    """The user's team-finder entries and join requests for their data export."""
    entries = session.exec(
        select(TeammateSearch, Challenge.slug)
        .join(Challenge, col(Challenge.id) == TeammateSearch.challenge_id)
        .where(TeammateSearch.user_id == user.id)
        .order_by(col(TeammateSearch.id))
    ).all()
    requests = session.exec(
        select(JoinRequest, Submission.team_name, Challenge.slug)
        .join(Submission, col(Submission.id) == JoinRequest.submission_id)
        .join(Challenge, col(Challenge.id) == Submission.challenge_id)
        .where(JoinRequest.user_id == user.id)
        .order_by(col(JoinRequest.id))
    ).all()
    return {
        "entries": [{"challenge": slug, "note": entry.note, "updated_at": entry.updated_at.isoformat()}
                    for entry, slug in entries],
        "join_requests": [{"challenge": slug, "team_name": team_name, "note": request.note,
                           "status": str(request.status), "created_at": request.created_at.isoformat()}
                          for request, team_name, slug in requests],
    }  # fmt: skip


def forget_on_deletion(session: Session, user: User) -> None:
    """A deleted account is off every team finder, and its join requests (with their notes) are gone."""
    session.execute(delete(TeammateSearch).where(col(TeammateSearch.user_id) == user.id))
    session.execute(delete(JoinRequest).where(col(JoinRequest.user_id) == user.id))
    session.flush()


gdpr.register_exporter("team_finder", export_team_finder)
gdpr.register_anonymiser(forget_on_deletion)
