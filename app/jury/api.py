"""The jury in the API: the panel and its settings, invitations, conflicts of interest, assignments (run, by hand),
a juror's reviews, and the hosts' progress, reminders and reopening."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.auth.deps import SignedInDep
from app.challenges.deps import ChallengeDep, SignedInChallengeDep
from app.clock import ClockDep
from app.db import RowId, SessionDep
from app.jury import awards, follow_up, permissions, reviews, service
from app.jury.schemas import (
    AnnounceIn,
    AssignedRead,
    AssignmentCreate,
    AssignmentRead,
    AssignmentRunRead,
    AwardItem,
    AwardRead,
    AwardsPut,
    AwardsRead,
    ConflictCreate,
    ConflictDecision,
    ConflictRead,
    Decision,
    FinalRoundIn,
    FollowUpCreate,
    FollowUpRead,
    JurorRead,
    JuryInvitationCreate,
    JuryInvitationRead,
    PanelRead,
    PanelUpdate,
    RemindersIn,
    RemindersRead,
    ReviewPut,
    ReviewRead,
    RoleUpdate,
    SheetRead,
)
from app.openapi import NOT_FOUND, WRITE_ERRORS, Responses, problem_response

router = APIRouter(tags=["jury"])

HOST_ERRORS: Responses = {
    **WRITE_ERRORS,
    403: problem_response("Only the challenge's hosts manage its jury."),
    422: problem_response("`validation-failed`: the body breaks a rule; `errors` names the fields."),
}
SCORE_ERRORS: Responses = {
    **WRITE_ERRORS,
    403: problem_response("`not-assigned`: the concept is not assigned to you (or you have a conflict with it)."),
    409: problem_response("`phase-closed` (scores are given during the review only) or `review-submitted`."),
    422: problem_response("`validation-failed`: a score outside the scale, an unknown criterion, or a missing score."),
}
JURY = "/challenges/{slug}/jury"


def _panel_read(session: SessionDep, challenge: SignedInChallengeDep, actor: SignedInDep) -> PanelRead:
    seat = service.seat_of(session, challenge=challenge, actor=actor)
    permissions.check_sees_jury(actor, challenge, seat)
    if permissions.runs(actor, challenge):
        state = reviews.progress(session, actor=actor, challenge=challenge)
        finalists = service.finalist_ids(session, challenge)
        return PanelRead.of(state.panel, [JurorRead.of(row.juror, row) for row in state.jurors], seat, finalists)
    jurors = [JurorRead.of(juror) for juror in service.jurors(session, challenge=challenge)]
    return PanelRead.of(
        service.panel_or_default(session, challenge), jurors, seat, service.finalist_ids(session, challenge)
    )


@router.get(
    JURY,
    response_model=PanelRead,
    summary="The jury",
    description="Its settings and jurors; hosts also see each juror's progress. For hosts and jurors only (404).",
    responses=dict(NOT_FOUND.items()),
)
def get_panel(challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep) -> PanelRead:
    return _panel_read(session, challenge, actor)


@router.patch(
    JURY,
    response_model=PanelRead,
    summary="Change the jury's settings",
    description="Hosts set jurors per concept and blind review (until submissions open); hosts and the chair "
    "decide whether jurors see each other's scores after submitting their own.",
    responses=HOST_ERRORS,
)
def update_panel(
    body: PanelUpdate, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> PanelRead:
    service.update_panel(
        session, actor=actor, challenge=challenge, now=clock.now(), **body.model_dump(exclude_unset=True)
    )
    return _panel_read(session, challenge, actor)


@router.get(
    f"{JURY}/invitations",
    response_model=list[JuryInvitationRead],
    summary="Open jury invitations",
    responses={**NOT_FOUND, 403: problem_response("Hosts only.")},
)
def list_jury_invitations(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> list[JuryInvitationRead]:
    permissions.check_runs(actor, challenge)
    now = clock.now()
    return [JuryInvitationRead.of(i, now) for i in service.pending_invitations(session, challenge=challenge, now=now)]


@router.post(
    f"{JURY}/invitations",
    response_model=JuryInvitationRead,
    status_code=status.HTTP_201_CREATED,
    summary="Invite a juror by email",
    description="The invitee accepts or declines through the emailed link (or `POST /jury-invitations/{token}/accept`)."
    " Inviting someone already on the jury, or invited, is a 409.",
    responses=HOST_ERRORS,
)
def invite_juror(
    body: JuryInvitationCreate,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> JuryInvitationRead:
    now = clock.now()
    invitation = service.invite(session, actor=actor, challenge=challenge, email=body.email, role=body.role, now=now)
    return JuryInvitationRead.of(invitation, now)


@router.delete(
    f"{JURY}/invitations/{{invitation_id}}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw a jury invitation",
    responses=HOST_ERRORS,
)
def revoke_jury_invitation(
    invitation_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    service.revoke_invitation(session, actor=actor, challenge=challenge, invitation_id=invitation_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/jury-invitations/{token}/accept",
    response_model=JurorRead,
    summary="Accept a jury invitation (signed in with the invited email)",
    description="Expired, used, declined or revoked links: 409 `invitation-unusable`.",
    responses=WRITE_ERRORS,
)
def accept_jury_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> JurorRead:
    seat, _challenge = service.accept_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return JurorRead.of(seat)


@router.post(
    "/jury-invitations/{token}/decline",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Decline a jury invitation",
    responses=WRITE_ERRORS,
)
def decline_jury_invitation(token: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    service.decline_invitation(session, actor=actor, raw_token=token, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.patch(
    f"{JURY}/jurors/{{juror_id}}",
    response_model=JurorRead,
    summary="Name the chair, or make the chair a member",
    responses=HOST_ERRORS,
)
def set_role(
    juror_id: RowId,
    body: RoleUpdate,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> JurorRead:
    juror = service.set_role(
        session, actor=actor, challenge=challenge, juror_id=juror_id, role=body.role, now=clock.now()
    )
    return JurorRead.of(juror)


@router.delete(
    f"{JURY}/jurors/{{juror_id}}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take a juror off the jury",
    description="Their open assignments go back to the pool (re-run the assignment); submitted reviews still count.",
    responses=HOST_ERRORS,
)
def remove_juror(
    juror_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    service.remove_juror(session, actor=actor, challenge=challenge, juror_id=juror_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    f"{JURY}/conflicts",
    response_model=list[ConflictRead],
    summary="Conflicts of interest",
    description="Hosts see every stored conflict (declared, flagged, dismissed) with its reason; a juror their own. "
    "A team member's conflict with their own concept is implied and not listed.",
    responses=dict(NOT_FOUND.items()),
)
def list_conflicts(challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep) -> list[ConflictRead]:
    return [ConflictRead.of(c) for c in service.visible_conflicts(session, actor=actor, challenge=challenge)]


@router.post(
    f"{JURY}/conflicts",
    response_model=ConflictRead,
    status_code=status.HTTP_201_CREATED,
    summary="Declare a conflict of interest (jurors)",
    description="You are taken off the concept at once and never see its scores. The reason is for the hosts only.",
    responses=WRITE_ERRORS,
)
def declare_conflict(
    body: ConflictCreate, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> ConflictRead:
    conflict = service.declare_conflict(
        session, actor=actor, challenge=challenge, submission_id=body.concept, reason=body.reason, now=clock.now()
    )
    return ConflictRead.of(conflict)


@router.patch(
    f"{JURY}/conflicts/{{conflict_id}}",
    response_model=ConflictRead,
    summary="Confirm or dismiss a flagged conflict (hosts)",
    responses=HOST_ERRORS,
)
def decide_conflict(
    conflict_id: RowId,
    body: ConflictDecision,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> ConflictRead:
    conflict = service.decide_conflict(
        session,
        actor=actor,
        challenge=challenge,
        conflict_id=conflict_id,
        confirm=body.status == Decision.CONFIRMED,
        now=clock.now(),
    )
    return ConflictRead.of(conflict)


@router.get(
    f"{JURY}/assignments",
    response_model=list[AssignmentRead],
    summary="Every assignment, with each review's progress (hosts)",
    responses={**NOT_FOUND, 403: problem_response("Hosts only.")},
)
def list_assignments(challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep) -> list[AssignmentRead]:
    state = reviews.progress(session, actor=actor, challenge=challenge)
    return [
        AssignmentRead(id=a.id or 0, juror=a.juror_id, concept=a.submission_id, manual=a.manual, progress=progress)
        for row in state.concepts
        for a, _juror, progress in row.jurors
    ]


@router.post(
    f"{JURY}/assignments/run",
    response_model=AssignmentRunRead,
    summary="Run the automatic assignment",
    description="Each concept gets the panel's jurors per concept, the load spread evenly (at most one apart where "
    "conflicts allow), never a conflicted juror; the same input gives the same result. Hand-placed assignments and "
    "those with a review begun are kept. `shortfalls` names concepts with too few unconflicted jurors.",
    responses=HOST_ERRORS,
)
def run_assignment(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> AssignmentRunRead:
    return AssignmentRunRead.of(service.run_assignment(session, actor=actor, challenge=challenge, now=clock.now()))


@router.post(
    f"{JURY}/assignments",
    response_model=AssignmentRead,
    status_code=status.HTTP_201_CREATED,
    summary="Assign a juror to a concept by hand",
    description="409 `conflict-of-interest` for a conflicted juror (a team member for their own concept included).",
    responses=HOST_ERRORS,
)
def assign(
    body: AssignmentCreate, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> AssignmentRead:
    placed = service.assign(
        session, actor=actor, challenge=challenge, juror_id=body.juror, submission_id=body.concept, now=clock.now()
    )
    return AssignmentRead(
        id=placed.id or 0,
        juror=placed.juror_id,
        concept=placed.submission_id,
        manual=True,
        progress=reviews.Progress.NOT_STARTED,
    )


@router.delete(
    f"{JURY}/assignments/{{assignment_id}}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take a juror off a concept",
    description="Not once their review is submitted (409).",
    responses=HOST_ERRORS,
)
def unassign(
    assignment_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    service.unassign(session, actor=actor, challenge=challenge, assignment_id=assignment_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    f"{JURY}/reminders",
    response_model=RemindersRead,
    summary="Remind jurors of the reviews they have left (hosts)",
    responses=HOST_ERRORS,
)
def remind(
    body: RemindersIn, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> RemindersRead:
    emailed = reviews.remind(session, actor=actor, challenge=challenge, now=clock.now(), juror_id=body.juror)
    return RemindersRead(emailed=emailed)


@router.get(
    f"{JURY}/reviews",
    response_model=list[AssignedRead],
    summary="Your assigned concepts, with your progress (jurors)",
    responses=dict(NOT_FOUND.items()),
)
def my_reviews(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> list[AssignedRead]:
    work = reviews.my_work(session, actor=actor, challenge=challenge, now=clock.now())
    return [
        AssignedRead(
            concept=c.submission_id, title=c.title, summary=c.summary, team_name=c.team_name, progress=c.progress
        )
        for c in work.concepts
    ]


@router.get(
    f"{JURY}/reviews/{{submission_id}}",
    response_model=SheetRead,
    summary="Your scoring sheet for an assigned concept",
    description="The concept as submitted (without its team under blind review), your review, and the other jurors' "
    "reviews once yours is submitted and the chair allows.",
    responses={**NOT_FOUND, 403: problem_response("`not-assigned`.")},
)
def get_review(
    submission_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> SheetRead:
    return SheetRead.of(
        reviews.sheet(session, actor=actor, challenge=challenge, submission_id=submission_id, now=clock.now())
    )


@router.put(
    f"{JURY}/reviews/{{submission_id}}",
    response_model=ReviewRead,
    summary="Save or submit your review",
    description="Scores from 0 to the challenge's highest score per criterion, with comments. Without `submit` it is "
    "a draft; with it every criterion must be scored, and the review is final until a host reopens it.",
    responses=SCORE_ERRORS,
)
def put_review(
    submission_id: RowId,
    body: ReviewPut,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> ReviewRead:
    scores = [reviews.ScoreIn(s.criterion, s.value, s.comment) for s in body.scores]
    review = reviews.save(
        session,
        actor=actor,
        challenge=challenge,
        submission_id=submission_id,
        scores=scores,
        overall_comment=body.overall_comment,
        submit=body.submit,
        now=clock.now(),
    )
    return ReviewRead.of(review)


@router.post(
    f"{JURY}/reviews/{{submission_id}}/jurors/{{juror_id}}/reopen",
    response_model=ReviewRead,
    summary="Reopen a juror's submitted review (hosts)",
    responses=HOST_ERRORS,
)
def reopen(
    submission_id: RowId,
    juror_id: RowId,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> ReviewRead:
    review = reviews.reopen(
        session, actor=actor, challenge=challenge, juror_id=juror_id, submission_id=submission_id, now=clock.now()
    )
    return ReviewRead.of(review)


def _awards_read(state: awards.AwardsState) -> AwardsRead:
    return AwardsRead(
        announced_at=state.announcement.announced_at if state.announcement else None,
        awards=[
            AwardRead(
                concept=a.award.submission_id,
                title=a.title,
                team_name=a.team_name,
                kind=a.award.kind,
                label=a.label,
                prize_amount=a.award.prize_amount,
                motivation=a.award.motivation,
            )
            for a in state.awards
        ],
        proposal=[AwardItem.of(p) for p in state.proposal] if state.proposal is not None else None,
    )


@router.get(
    "/challenges/{slug}/awards",
    response_model=AwardsRead,
    summary="The awards",
    description="Public once the hosts have announced the results (404 before).",
    responses=dict(NOT_FOUND.items()),
)
def public_awards(challenge: ChallengeDep, session: SessionDep) -> AwardsRead:
    return _awards_read(awards.public_state(session, challenge=challenge))


@router.get(
    f"{JURY}/awards",
    response_model=AwardsRead,
    summary="The awards so far, and a proposal from the ranking (hosts)",
    responses={**NOT_FOUND, 403: problem_response("Hosts only.")},
)
def hosts_awards(
    challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> AwardsRead:
    return _awards_read(awards.hosts_state(session, actor=actor, challenge=challenge, now=clock.now()))


@router.put(
    f"{JURY}/awards",
    response_model=AwardsRead,
    summary="Decide the awards (hosts)",
    description="Once the review and the public vote are over, until the announcement. 1st, 2nd, 3rd and the "
    "people's choice are given once; honourable mentions and custom awards (with a name) to several concepts.",
    responses={**HOST_ERRORS, 409: problem_response("`already-announced`, or the review or vote is not over.")},
)
def put_awards(
    body: AwardsPut, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> AwardsRead:
    now = clock.now()
    awards.replace_awards(
        session, actor=actor, challenge=challenge, awards=[a.to_award() for a in body.awards], now=now
    )
    return _awards_read(awards.hosts_state(session, actor=actor, challenge=challenge, now=now))


@router.post(
    f"{JURY}/announce",
    response_model=AwardsRead,
    summary="Announce the results (hosts)",
    description="The awards become final and public, the challenge is announced from now on (if its date had not "
    "come), and every team is emailed its outcome; with `feedback_to_entrants`, its scores beside the field's and "
    "the jurors' comments, anonymised. 409 `awards-missing` without awards, `already-announced` the second time.",
    responses=HOST_ERRORS,
)
def announce(
    body: AnnounceIn, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> AwardsRead:
    now = clock.now()
    awards.announce(session, actor=actor, challenge=challenge, feedback_to_entrants=body.feedback_to_entrants, now=now)
    return _awards_read(awards.public_state(session, challenge=challenge))


def _follow_up_read(shown: follow_up.ShownUpdate) -> FollowUpRead:
    update = shown.update
    return FollowUpRead(
        id=update.id or 0,
        concept=update.submission_id,
        title=shown.title,
        status=update.status,
        label=shown.label,
        text=update.text,
        happened_on=update.happened_on,
    )


@router.get(
    "/challenges/{slug}/follow-up",
    response_model=list[FollowUpRead],
    summary="What became of the awarded concepts",
    description="Dated status updates the hosts post after the announcement, newest first.",
    responses=dict(NOT_FOUND.items()),
)
def list_follow_up(challenge: ChallengeDep, session: SessionDep) -> list[FollowUpRead]:
    return [_follow_up_read(shown) for shown in follow_up.of_challenge(session, challenge=challenge)]


@router.post(
    "/challenges/{slug}/follow-up",
    response_model=FollowUpRead,
    status_code=status.HTTP_201_CREATED,
    summary="Post a follow-up update on an awarded concept (hosts)",
    description="Once the results are announced (409 before); the date may not be in the future (422).",
    responses=HOST_ERRORS,
)
def post_follow_up(
    body: FollowUpCreate, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> FollowUpRead:
    update = follow_up.post_update(
        session,
        actor=actor,
        challenge=challenge,
        submission_id=body.concept,
        status=body.status,
        text=body.text,
        happened_on=body.happened_on,
        now=clock.now(),
    )
    return next(_follow_up_read(s) for s in follow_up.of_challenge(session, challenge=challenge) if s.update is update)


@router.delete(
    "/challenges/{slug}/follow-up/{update_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Take back a follow-up update (hosts)",
    responses=HOST_ERRORS,
)
def remove_follow_up(
    update_id: RowId, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    follow_up.remove_update(session, actor=actor, challenge=challenge, update_id=update_id, now=clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    f"{JURY}/final-round",
    response_model=AssignmentRunRead,
    summary="Begin the final round (hosts)",
    description="During the review: the shortlisted `concepts` (at least two) are scored again, in round 2, by the "
    "final panel `jurors` (the same jury, or some of it): each finalist is assigned to the whole panel, less any "
    "conflict. Once begun, jurors score in round 2 and the results show it by default (`?round=1` for the first).",
    responses=HOST_ERRORS,
)
def start_final_round(
    body: FinalRoundIn, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> AssignmentRunRead:
    outcome = service.start_final_round(
        session, actor=actor, challenge=challenge, submission_ids=body.concepts, juror_ids=body.jurors, now=clock.now()
    )
    return AssignmentRunRead.of(outcome)
