"""The jury's results in the API, for the challenge's hosts: the ranking, the method check and the jury report as
JSON, and every counted score and the final ranking as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response

from app.auth.deps import SignedInDep
from app.challenges.deps import SignedInChallengeDep
from app.clock import ClockDep
from app.db import SessionDep, WritingSessionDep
from app.jury.calibration import Method
from app.jury.results import service
from app.jury.results.schemas import HostResultsRead
from app.kit import responses
from app.openapi import NOT_FOUND, Responses, problem_response

ROUND = "1, or 2 for the final round (its finalists only); the round the jury is in by default."

router = APIRouter(tags=["jury"])

RESULTS = "/challenges/{slug}/jury/results"
HOST_ONLY: Responses = {**NOT_FOUND, 403: problem_response("Only the challenge's hosts see the jury's results.")}
CSV_FILE: Responses = {200: {"content": {"text/csv": {}}, "description": "The CSV file."}}
METHODS = (
    "`calibrated` (the default) takes each juror's leniency out, `raw` is the plain mean of the jurors' weighted "
    "totals, `z-score` standardises each juror by their own mean and spread."
)


@router.get(
    RESULTS,
    response_model=HostResultsRead,
    summary="The jury's results (hosts)",
    description="Every scored concept's score by `method` with its 90% interval; the final ranking, combined with "
    "the public vote by the challenge's `jury_weight` once the vote's counts may be shown (ties share a rank); the "
    "concepts not yet scored; each juror's leniency; the jury's agreement (Krippendorff's alpha); and whether the "
    f"top places change between the methods. {METHODS}",
    responses=HOST_ONLY,
)
def get_jury_results(
    session: WritingSessionDep,
    challenge: SignedInChallengeDep,
    actor: SignedInDep,
    clock: ClockDep,
    method: Method = Method.CALIBRATED,
    round_: int | None = Query(
        default=None, alias="round", ge=1, le=2, description="1, or 2 for the final round (the current one by default)."
    ),
) -> HostResultsRead:
    results = service.host_results(
        session, actor=actor, challenge=challenge, method=method, now=clock.now(), round_=round_
    )
    return HostResultsRead.of(results)


@router.get(
    f"{RESULTS}/scores.csv",
    summary="Every counted score as CSV (hosts)",
    description="One row per juror, concept and criterion: juror, criterion, concept_id, concept_title, value. Only "
    "submitted reviews by jurors without a conflict of interest count. UTF-8 with a byte order mark; cells that a "
    "spreadsheet would run as a formula start with a quote.",
    response_class=Response,
    responses={**HOST_ONLY, **CSV_FILE},
)
def get_scores_csv(session: SessionDep, challenge: SignedInChallengeDep, actor: SignedInDep) -> Response:
    text = service.scores_csv(session, actor=actor, challenge=challenge)
    return responses.csv_download(text, filename=f"{challenge.slug}-jury-scores.csv")


@router.get(
    f"{RESULTS}/ranking.csv",
    summary="The final ranking as CSV (hosts)",
    description="Best first: rank, tied, concept_id, title, jury_score, low, high (the 90% interval), public_share "
    f"(empty when the public vote takes no part), combined, too_close_to_call. {METHODS}",
    response_class=Response,
    responses={**HOST_ONLY, **CSV_FILE},
)
def get_ranking_csv(
    session: WritingSessionDep,
    challenge: SignedInChallengeDep,
    actor: SignedInDep,
    clock: ClockDep,
    method: Method = Method.CALIBRATED,
) -> Response:
    text = service.ranking_csv(session, actor=actor, challenge=challenge, method=method, now=clock.now())
    return responses.csv_download(text, filename=f"{challenge.slug}-jury-ranking-{method}.csv")
