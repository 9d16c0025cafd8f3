"""A concept's team under /api/v1: invitations, the lead hand-over, leaving; the team finder and join requests (who
looks for a team, your own entry, asking to join a draft team, and the lead's answer)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.actor import Actor
from app.auth.deps import ActorDep, SignedInDep
from app.challenges import service as challenges
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.kit import pagination, urls
from app.openapi import NOT_FOUND, WRITE_ERRORS
from app.submissions import service, views
from app.submissions.deps import CONCEPT, ConceptDep, SignedInConceptDep
from app.submissions.schemas import (
    MAX_PAGE_SIZE,
    JoinRequestCreate,
    JoinRequestRead,
    LeadHandOver,
    SubmissionRead,
    TeamFinderEntryRead,
    TeamFinderPage,
    TeamInvitationCreate,
    TeamInvitationRead,
    TeammateSearchWrite,
    TeamOfferRead,
)
from app.submissions.team import finder as team_finder
from app.submissions.team import service as teams

router = APIRouter(tags=["submissions"])
FINDER = "/challenges/{slug}/team-finder"
REQUESTS = "/challenges/{slug}/join-requests"


def _entry_read(entry: team_finder.FinderEntry, actor: Actor) -> TeamFinderEntryRead:
    team = entry.team
    return TeamFinderEntryRead(
        id=entry.search.id or 0,
        display_name=entry.display_name,
        note=entry.search.note,
        team=TeamOfferRead(
            submission_id=team.submission_id, team_name=team.team_name, members=team.members,
            team_size_max=team.team_size_max, full=team.full,
        ) if team else None,
        mine=entry.search.user_id == actor.user_id,
        updated_at=entry.search.updated_at,
    )  # fmt: skip


def _request_read(view: team_finder.RequestView) -> JoinRequestRead:
    request = view.request
    return JoinRequestRead(
        id=request.id or 0, submission_id=request.submission_id, team_name=view.team_name,
        requester=view.requester_name, note=request.note, status=request.status, created_at=request.created_at,
        decided_at=request.decided_at,
    )  # fmt: skip


@router.get(
    FINDER,
    response_model=TeamFinderPage,
    summary="List who looks for a team, and draft teams looking for members",
    description=(
        "Signed-in people get names and notes (never email addresses or a draft's content); visitors get only "
        "`total`. People on a team for the challenge are not listed, except the lead of a draft team, whose entry "
        "speaks for the team (`team` is set). Newest change first."
    ),
    responses=dict(NOT_FOUND.items()),
)
def list_team_finder(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    challenge: ChallengeDep,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    size: Annotated[int, Query(ge=1, description=f"Items per page; at most {MAX_PAGE_SIZE}.")] = 20,
) -> TeamFinderPage:
    size = pagination.page_size(size, cap=MAX_PAGE_SIZE)
    entries, total = team_finder.list_entries(session, challenge=challenge, actor=actor, page=page, size=size)
    return TeamFinderPage(
        items=[_entry_read(entry, actor) for entry in entries],
        page=page,
        size=size,
        total=total,
        next=pagination.next_page_url(request.url, page=page, size=size, total=total) if entries else None,
    )


@router.put(
    FINDER + "/me",
    response_model=TeamFinderEntryRead,
    summary="Say you look for a team (or, as a draft team's lead, for members), or change your note",
    description=(
        "While the challenge is open (409 `phase-closed` after), for signed-in people with a confirmed email. "
        "Refused (409) for someone already on a team who does not lead a draft. Joining a team removes the entry."
    ),
    responses=WRITE_ERRORS,
)
def save_my_entry(
    data: TeammateSearchWrite, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> TeamFinderEntryRead:
    search = team_finder.save_entry(session, actor=actor, challenge=challenge, note=data.note, now=clock.now())
    offer = team_finder.my_team_offer(session, challenge=challenge, actor=actor)
    name = actor.user.display_name if actor.user else ""
    return _entry_read(team_finder.FinderEntry(search, name, offer), actor)


@router.delete(
    FINDER + "/me",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take your entry off the team finder",
    responses=dict(NOT_FOUND.items()),
)
def remove_my_entry(
    session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> Response:
    team_finder.remove_entry(session, actor=actor, challenge=challenge, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/challenges/{slug}/submissions/{submission_id}/join-requests",
    response_model=JoinRequestRead,
    status_code=status.HTTP_201_CREATED,
    summary="Ask to join a draft team that looks for members in the team finder",
    description=(
        "Only a draft whose lead has a team-finder entry can be asked (any other concept: 404). One pending "
        "request per person and team (409); refused when the team is full or you are on as many concepts as the "
        "challenge allows (409 `limit-reached`). The lead is emailed."
    ),
    responses=WRITE_ERRORS,
)
def ask_to_join(
    slug: str,
    submission_id: RowId,
    data: JoinRequestCreate,
    response: Response,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    challenge: SignedInChallengeDep,
) -> JoinRequestRead:
    made = team_finder.ask_to_join(session, actor=actor, challenge=challenge, submission_id=submission_id,
                                   note=data.note, now=clock.now())  # fmt: skip
    response.headers["Location"] = urls.api_challenge(slug, f"/join-requests/{made.id}")
    return _request_read(team_finder.request_view(session, request=made))


@router.get(
    "/challenges/{slug}/submissions/{submission_id}/join-requests",
    response_model=list[JoinRequestRead],
    summary="The team's join requests (team members), pending first",
    responses=dict(NOT_FOUND.items()),
)
def team_join_requests(
    submission_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> list[JoinRequestRead]:
    submission = service.get_for(session, challenge=challenge, submission_id=submission_id, actor=actor,
                                 now=clock.now())  # fmt: skip
    return [_request_read(v) for v in team_finder.requests_for_team(session, actor=actor, submission=submission)]


@router.get(
    REQUESTS,
    response_model=list[JoinRequestRead],
    summary="Your own join requests on the challenge, newest first",
    responses=dict(NOT_FOUND.items()),
)
def my_join_requests(session: SessionDep, actor: SignedInDep, challenge: SignedInChallengeDep) -> list[JoinRequestRead]:
    return [_request_read(v) for v in team_finder.my_requests(session, actor=actor, challenge=challenge)]


def _decided(
    session: SessionDep, slug: str, request_id: int, actor: Actor, clock: ClockDep, *, accept: bool
) -> JoinRequestRead:
    challenge = challenges.get_for(session, slug=slug, actor=actor)
    decided = team_finder.decide(session, actor=actor, challenge=challenge, request_id=request_id, accept=accept,
                                 now=clock.now())  # fmt: skip
    return _request_read(team_finder.request_view(session, request=decided))


@router.post(
    REQUESTS + "/{request_id}/accept",
    response_model=JoinRequestRead,
    summary="Accept a request to join your team (the team lead, while open)",
    description="The person joins within the team size and their own limit (409 `limit-reached`) and is emailed.",
    responses=WRITE_ERRORS,
)
def accept_join_request(
    slug: str, request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> JoinRequestRead:
    return _decided(session, slug, request_id, actor, clock, accept=True)


@router.post(
    REQUESTS + "/{request_id}/decline",
    response_model=JoinRequestRead,
    summary="Decline a request to join your team (the team lead, while open)",
    responses=WRITE_ERRORS,
)
def decline_join_request(
    slug: str, request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> JoinRequestRead:
    return _decided(session, slug, request_id, actor, clock, accept=False)


@router.post(
    REQUESTS + "/{request_id}/withdraw",
    response_model=JoinRequestRead,
    summary="Withdraw your own pending request to join a team",
    responses=WRITE_ERRORS,
)
def withdraw_join_request(
    request_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, challenge: SignedInChallengeDep
) -> JoinRequestRead:
    withdrawn = team_finder.withdraw_request(session, actor=actor, challenge=challenge, request_id=request_id,
                                             now=clock.now())  # fmt: skip
    return _request_read(team_finder.request_view(session, request=withdrawn))


# --- the team ----------------------------------------------------------------------------------------------------


@router.post(
    CONCEPT + "/invitations",
    response_model=TeamInvitationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Invite someone to the team by email (the lead)",
    description="Open invitations count towards the largest team size. The link is valid for 7 days.",
    responses=WRITE_ERRORS,
)
def invite_to_team(
    data: TeamInvitationCreate, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> TeamInvitationRead:
    challenge, submission = concept
    now = clock.now()
    invitation = teams.invite(session, actor=actor, challenge=challenge, submission=submission, email=data.email,
                                now=now)  # fmt: skip
    return TeamInvitationRead.from_model(invitation, now)


@router.get(
    CONCEPT + "/invitations",
    response_model=list[TeamInvitationRead],
    summary="List the team's invitations (the team)",
    responses=NOT_FOUND,
)
def list_team_invitations(
    session: SessionDep, actor: ActorDep, clock: ClockDep, concept: ConceptDep
) -> list[TeamInvitationRead]:
    challenge, submission = concept
    found = teams.list_invitations(session, actor=actor, challenge=challenge, submission=submission)
    return [TeamInvitationRead.from_model(invitation, clock.now()) for invitation in found]


@router.delete(
    CONCEPT + "/invitations/{invitation_id}",
    response_model=TeamInvitationRead,
    summary="Revoke an open invitation (the lead)",
    responses=WRITE_ERRORS,
)
def revoke_team_invitation(
    invitation_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> TeamInvitationRead:
    challenge, submission = concept
    now = clock.now()
    invitation = teams.revoke_invitation(session, actor=actor, challenge=challenge, submission=submission,
                                           invitation_id=invitation_id, now=now)  # fmt: skip
    return TeamInvitationRead.from_model(invitation, now)


@router.post(
    "/team-invitations/{token}/accept",
    response_model=SubmissionRead,
    summary="Accept a team invitation (signed in with the invited email)",
    description="Expired, used, declined or revoked links: 409 `invitation-unusable`. A full team: 409.",
    responses=WRITE_ERRORS,
)
def accept_team_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> SubmissionRead:
    submission, challenge = teams.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return views.concept_read(session, challenge=challenge, submission=submission, actor=actor)


@router.post(
    "/team-invitations/{token}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Decline a team invitation",
    responses=WRITE_ERRORS,
)
def decline_team_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    teams.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    CONCEPT + "/lead",
    response_model=SubmissionRead,
    summary="Hand over the lead role to another member (the lead)",
    responses=WRITE_ERRORS,
)
def hand_over_lead(
    data: LeadHandOver, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> SubmissionRead:
    challenge, submission = concept
    changed = teams.hand_over_lead(session, actor=actor, challenge=challenge, submission=submission,
                                     user_id=data.user_id, now=clock.now())  # fmt: skip
    return views.concept_read(session, challenge=challenge, submission=changed, actor=actor)


@router.delete(
    CONCEPT + "/members/{user_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a member (the lead), or leave the team (your own id)",
    responses=WRITE_ERRORS,
)
def remove_team_member(
    user_id: RowId, session: SessionDep, actor: SignedInDep, clock: ClockDep, concept: SignedInConceptDep
) -> Response:
    challenge, submission = concept
    teams.remove_member(session, actor=actor, challenge=challenge, submission=submission, user_id=user_id,
                          now=clock.now())  # fmt: skip
    return Response(status_code=status.HTTP_204_NO_CONTENT)
