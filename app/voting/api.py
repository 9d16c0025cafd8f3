"""The public vote in the API: your ballot (get, put, delete; one concept at a time), the results and the sealed
export anyone can recount."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from app.auth.deps import ClientIpDep, SignedInDep
from app.challenges.deps import ChallengeDep, SignedInChallengeDep, SignedInPublicRowDep
from app.clock import ClockDep
from app.db import RowId, SessionDep, WritingSessionDep
from app.kit import responses
from app.openapi import NOT_FOUND, NOT_MODIFIED, Responses, problem_response
from app.voting import service, views
from app.voting.schemas import BallotPut, BallotRead, IntegrityRead, PointsIn, ResultsRead

router = APIRouter(tags=["voting"])

VOTE_ERRORS: Responses = {
    **NOT_FOUND,
    403: problem_response("`not-eligible` (the message says why) or `self-vote-not-allowed`."),
    409: problem_response("`voting-closed` (not open yet, or closed) or `vote-limit-reached`."),
    422: problem_response("`validation-failed`: points outside the method's limits, or a concept twice."),
    429: problem_response("`too-many-requests`: more votes a minute than a person clicking casts."),
}
RESULT_ERRORS: Responses = {
    **NOT_FOUND,
    **NOT_MODIFIED,
    403: problem_response("`results-sealed`: sealed until the vote closes, for hosts and admins too."),
}


@router.get(
    "/challenges/{slug}/ballot",
    response_model=BallotRead,
    summary="Your ballot",
    description="Your counted votes, what is left to give, your receipt, and why you may not vote (if so).",
    responses=dict(NOT_FOUND.items()),
)
def get_ballot(challenge: SignedInPublicRowDep, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> BallotRead:
    state = service.ballot_state(session, challenge=challenge, actor=actor, now=clock.now())
    return BallotRead.from_state(state)


@router.put(
    "/challenges/{slug}/ballot",
    response_model=BallotRead,
    summary="Cast or replace your whole ballot",
    description=(
        "The ballot becomes exactly `votes` (idempotent: the same body twice changes nothing). With `single`, one "
        "vote; with `multiple`, up to `votes_per_voter` concepts, one vote each; with `points`, up to "
        "`votes_per_voter` points in all and `max_points_per_concept` on one. Votes set aside on concepts hidden "
        "during the vote stay set aside."
    ),
    responses=VOTE_ERRORS,
)
def put_ballot(
    body: BallotPut,
    challenge: SignedInPublicRowDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    address: ClientIpDep,
) -> BallotRead:
    votes = [service.Vote(item.concept, item.points) for item in body.votes]
    state = service.replace(session, challenge=challenge, actor=actor, votes=votes, now=clock.now(), address=address)
    return BallotRead.from_state(state)


@router.delete(
    "/challenges/{slug}/ballot",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Withdraw your ballot",
    description="While voting is open; its receipt goes with it. Withdrawing when you have no ballot is no error.",
    responses=VOTE_ERRORS,
)
def delete_ballot(
    challenge: SignedInPublicRowDep, session: SessionDep, actor: SignedInDep, clock: ClockDep, address: ClientIpDep
) -> Response:
    service.withdraw(session, challenge=challenge, actor=actor, now=clock.now(), address=address)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.put(
    "/challenges/{slug}/ballot/votes/{submission_id}",
    response_model=BallotRead,
    summary="Vote for one concept",
    description=(
        "Gives the concept `points` (1 unless the method is `points`), replacing what you gave it before; with "
        "`single` your one vote moves here. Refused with `vote-limit-reached` when it would exceed your votes."
    ),
    responses=VOTE_ERRORS,
)
def put_vote(
    submission_id: RowId,
    challenge: SignedInPublicRowDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    address: ClientIpDep,
    body: PointsIn | None = None,
) -> BallotRead:
    vote = service.Vote(submission_id, body.points if body else 1)
    state = service.vote(session, challenge=challenge, actor=actor, vote=vote, now=clock.now(), address=address)
    return BallotRead.from_state(state)


@router.delete(
    "/challenges/{slug}/ballot/votes/{submission_id}",
    response_model=BallotRead,
    summary="Take back your vote for one concept",
    description="Taking back a vote you never gave is no error.",
    responses=VOTE_ERRORS,
)
def delete_vote(
    submission_id: RowId,
    challenge: SignedInPublicRowDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    address: ClientIpDep,
) -> BallotRead:
    now = clock.now()
    state = service.unvote(
        session, challenge=challenge, actor=actor, submission_id=submission_id, now=now, address=address
    )
    return BallotRead.from_state(state)


@router.get(
    "/challenges/{slug}/results",
    response_model=ResultsRead,
    summary="The public vote's results",
    description=(
        "Points per concept, ranks with ties, ballots cast, turnout where the electorate is known, the people's "
        "choice, and the SHA-256 of the sealed export. Sealed until voting closes (403 `results-sealed`, for hosts "
        "and admins too) unless the host chose live counts before voting opened."
    ),
    responses=RESULT_ERRORS,
)
def get_results(session: WritingSessionDep, request: Request, challenge: ChallengeDep, clock: ClockDep) -> Response:
    results = service.results(session, challenge=challenge, now=clock.now())
    return responses.json_with_etag(request, views.results_read(results), shared=True)


@router.get(
    "/challenges/{slug}/results/integrity",
    response_model=IntegrityRead,
    summary="The integrity report per concept (hosts)",
    description=(
        "For the challenge's hosts and platform admins, after the vote closes: per concept, the points from accounts "
        "made after the vote opened and from networks (/24 or /48, kept only as keyed hashes until the close) "
        "shared by many ballots. The totals are public in the results."
    ),
    responses={**RESULT_ERRORS, 401: problem_response("Sign in as one of the hosts.")},
)
def get_integrity(
    session: WritingSessionDep, challenge: SignedInChallengeDep, actor: SignedInDep, clock: ClockDep
) -> IntegrityRead:
    report = service.integrity_report(session, challenge=challenge, actor=actor, now=clock.now())
    return IntegrityRead.from_report(report)


@router.get(
    "/challenges/{slug}/results.csv",
    summary="The public vote's results as CSV",
    description="One row per concept, best first: rank, tied, concept id, title, points, share, address.",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The results"}, **RESULT_ERRORS},
)
def get_results_csv(session: WritingSessionDep, challenge: ChallengeDep, clock: ClockDep) -> Response:
    results = service.results(session, challenge=challenge, now=clock.now())
    return responses.download(
        views.results_csv(results).encode("utf-8"),
        filename=f"{challenge.slug}-results.csv",
        content_type="text/csv; charset=utf-8",
        cache_control="public, no-cache",
    )


@router.get(
    "/challenges/{slug}/results/ballots",
    summary="The sealed export: every ballot, and apart from them every receipt",
    description=(
        "Written once at the close and never changed: the ballots (their counted votes) shuffled, without voters, "
        "and separately shuffled the ballots' receipts. Its SHA-256 is in the results and in the `ETag`; "
        "`docs/recount.md` shows how to recount it."
    ),
    response_class=Response,
    responses={200: {"content": {"application/json": {}}, "description": "The export"}, **RESULT_ERRORS},
)
def get_sealed_export(
    session: WritingSessionDep, request: Request, challenge: ChallengeDep, clock: ClockDep
) -> Response:
    tally = service.sealed_tally(session, challenge=challenge, now=clock.now())
    etag = f'"{tally.sha256}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    download = responses.download(
        tally.export,
        filename=f"{challenge.slug}-ballots.json",
        content_type="application/json",
        cache_control=headers["Cache-Control"],
    )
    download.headers["ETag"] = etag
    return download
