"""The hosts' view of the jury's results: every concept's score by the chosen method with its interval, the final
ranking (combined with the public vote once its counts may be shown), the method check, the jury report and the
CSV exports. The statistics are `app.jury.calibration`'s; this module gathers the scores and names around them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from app.actor import Actor
from app.challenges.models import Challenge
from app.i18n import gettext as _
from app.jury import calibration, permissions, reviews
from app.jury import service as jury
from app.jury.calibration import Agreement, Method
from app.kit import text
from app.submissions import service as submissions
from app.voting import permissions as voting_permissions
from app.voting import service as voting

DEFAULT_PLACES = 3
DEFAULT_METHOD = Method.CALIBRATED
SCORES_CSV_HEADER = ("juror", "criterion", "concept_id", "concept_title", "value")
RANKING_CSV_HEADER = (
    "rank",
    "tied",
    "concept_id",
    "title",
    "jury_score",
    "low",
    "high",
    "public_share",
    "combined",
    "too_close_to_call",
)


class VoteStatus(StrEnum):
    """Whether the public vote takes part in the ranking."""

    NONE = "none"  # the challenge holds no public vote: the jury decides alone
    SEALED = "sealed"  # the vote's counts may not be shown yet: the ranking is the jury's alone for now
    LIVE = "live"  # live counts while the vote is open (the host chose them): the ranking may still change
    FINAL = "final"  # the vote has closed and its tally is sealed


@dataclass(frozen=True)
class ConceptScore:
    """A concept's jury score by the chosen method, its 90% interval, and the other methods' scores."""

    concept_id: int
    title: str
    score: float
    low: float
    high: float
    raw: float
    z_score: float
    calibrated: float
    jurors: int
    spread: float  # highest minus lowest juror total
    disagreement: bool
    jury_rank: int
    jury_too_close_to_call: bool  # at one of the jury ranking's prize boundaries


@dataclass(frozen=True)
class RankedConcept:
    """A place in the final ranking: the jury's score, the public vote's share and the two combined."""

    rank: int
    tied: bool
    concept: ConceptScore
    public_points: int | None  # None when the public vote takes no part
    public_share: float | None  # of the leading concept's points, 0..1
    combined: float  # 0..1: the jury's share of the scale's top, weighted with the public share
    combined_low: float
    combined_high: float
    too_close_to_call: bool


@dataclass(frozen=True)
class UnscoredConcept:
    concept_id: int
    title: str
    public_points: int | None


@dataclass(frozen=True)
class JurorResult:
    """A juror's part in the results; the figures are None while they have no counted scores."""

    juror_id: int
    name: str
    left: bool
    ratings: int
    mean_total: float | None
    leniency: float | None  # scale points: + lenient, − strict
    scale: float | None  # spread factor, 1.0 when not estimated


@dataclass(frozen=True)
class PlaceByMethod:
    """Who holds a prize place under each method."""

    place: int
    raw: ConceptScore | None
    z_score: ConceptScore | None
    calibrated: ConceptScore | None

    @property
    def same(self) -> bool:
        ids = {None if c is None else c.concept_id for c in (self.raw, self.z_score, self.calibrated)}
        return len(ids) == 1


@dataclass(frozen=True)
class HostResults:
    challenge: Challenge
    method: Method
    scale_max: int
    places: int
    jury_weight: int  # percent; the public vote weighs the rest when it takes part
    vote: VoteStatus
    ranking: list[RankedConcept]
    unscored: list[UnscoredConcept]
    jurors: list[JurorResult]
    agreement: float | None  # Krippendorff's alpha
    agreement_level: Agreement
    top_places_agree: bool
    top_places: list[PlaceByMethod]
    scores_counted: int
    round_: int = 1  # the round shown: 2 is the final round
    rounds: int = 1  # how many rounds there are (2 once the final round has begun)

    @property
    def combined_with_vote(self) -> bool:
        return self.vote in (VoteStatus.LIVE, VoteStatus.FINAL)

    @property
    def public_weight(self) -> int:
        return 100 - self.jury_weight

    @property
    def disagreements(self) -> list[ConceptScore]:
        return [row.concept for row in self.ranking if row.concept.disagreement]


def method_named(value: str | None) -> Method:
    """The method a query string names, or the default (calibrated) for anything else."""
    try:
        return Method(value or DEFAULT_METHOD)
    except ValueError:
        return DEFAULT_METHOD


def prize_places(challenge: Challenge) -> int:
    """How many places win a prize: the fixed amounts' count, the entries sharing the prize, or 3."""
    split: Any = challenge.prize_split
    if isinstance(split, Mapping):
        amounts, best = split.get("amounts"), split.get("best")
        if split.get("kind") == "fixed" and isinstance(amounts, list) and amounts:
            return len(amounts)
        if split.get("kind") == "shared" and isinstance(best, int) and best >= 1:
            return best
    return DEFAULT_PLACES


def _vote(session: Session, *, challenge: Challenge, now: datetime) -> tuple[VoteStatus, dict[int, int]]:
    """The public vote's points per concept, when it takes part in the ranking now."""
    if not voting_permissions.has_public_vote(challenge):
        return VoteStatus.NONE, {}
    shown = voting.visible_results(session, challenge=challenge, now=now)
    if shown is None:
        return VoteStatus.SEALED, {}
    points = {row.submission_id: row.points for row in shown.rows}
    return (VoteStatus.FINAL if shown.final else VoteStatus.LIVE), points


def _too_close(ranking: Sequence[tuple[float, float, float]], places: int) -> set[int]:
    """Positions either side of a prize boundary whose intervals overlap or whose values tie (as calibration does)."""
    close: set[int] = set()
    for place in range(1, min(places, len(ranking) - 1) + 1):
        (upper, upper_low, upper_high), (lower, lower_low, lower_high) = ranking[place - 1], ranking[place]
        overlap = upper_low <= lower_high and lower_low <= upper_high
        if overlap or round(upper, calibration.COMBINED_DECIMALS) == round(lower, calibration.COMBINED_DECIMALS):
            close.update((place - 1, place))
    return close


def _ranking(
    scored: Sequence[ConceptScore], vote: VoteStatus, points: Mapping[int, int], challenge: Challenge, places: int
) -> list[RankedConcept]:
    scale_max = challenge.scoring_scale_max
    if vote not in (VoteStatus.LIVE, VoteStatus.FINAL):
        jury_ranks = Counter(concept.jury_rank for concept in scored)
        return [
            RankedConcept(
                rank=concept.jury_rank,
                tied=jury_ranks[concept.jury_rank] > 1,
                concept=concept,
                public_points=None,
                public_share=None,
                combined=concept.score / scale_max,
                combined_low=concept.low / scale_max,
                combined_high=concept.high / scale_max,
                too_close_to_call=concept.jury_too_close_to_call,
            )
            for concept in scored
        ]
    by_id = {concept.concept_id: concept for concept in scored}
    entries = calibration.combine(
        {concept.concept_id: concept.score for concept in scored},
        points,
        scale_max=scale_max,
        jury_weight=challenge.jury_weight,
    )
    # A concept the jury has not scored would count 0 on the jury side: it is listed apart, not ranked. The public
    # shares stay those of the whole vote (the leading concept counts fully, scored or not).
    kept = [entry for entry in entries if entry.concept_id in by_id]
    weight = challenge.jury_weight / 100
    bounds = []
    for entry in kept:
        # The public side is a count, not an estimate: only the jury's interval widens the combined value.
        concept, public = by_id[entry.concept_id], (1 - weight) * (entry.public or 0.0)
        low, high = weight * concept.low / scale_max + public, weight * concept.high / scale_max + public
        bounds.append((entry.combined, low, high))
    close = _too_close(bounds, places)
    keys = [round(entry.combined, calibration.COMBINED_DECIMALS) for entry in kept]
    ranks: list[int] = []
    for position, key in enumerate(keys):
        ranks.append(ranks[-1] if position and key == keys[position - 1] else position + 1)
    shared = Counter(ranks)
    return [
        RankedConcept(
            rank=rank,
            tied=shared[rank] > 1,
            concept=by_id[entry.concept_id],
            public_points=points.get(entry.concept_id, 0),
            public_share=entry.public,
            combined=entry.combined,
            combined_low=low,
            combined_high=high,
            too_close_to_call=position in close,
        )
        for position, (entry, rank, (_combined, low, high)) in enumerate(zip(kept, ranks, bounds, strict=True))
    ]


def host_results(
    session: Session, *, actor: Actor, challenge: Challenge, method: Method, now: datetime, round_: int | None = None
) -> HostResults:
    """For the hosts: the jury's results by `method` in a round (the one the jury is in unless told), the final
    ranking and the jury report (a fixed number of queries, whatever the number of concepts). The final round
    ranks its finalists only."""
    permissions.check_runs(actor, challenge)
    panel = jury.panel_or_default(session, challenge)
    rounds = jury.current_round(panel)
    round_ = min(max(round_ or rounds, jury.FIRST_ROUND), rounds)
    counted = reviews.submitted_scores(session, challenge=challenge, round_=round_)
    places = prize_places(challenge)
    scale_max = challenge.scoring_scale_max
    outcome = calibration.jury_results(
        (calibration.Rating(juror, concept, criterion, float(value)) for juror, concept, criterion, value in counted),
        weights=reviews.weights(session, challenge=challenge),
        scale_max=scale_max,
        method=method,
        places=places,
    )
    concepts = jury.concepts_under_review(session, challenge=challenge)
    if round_ == jury.FINAL_ROUND:
        finalists = set(jury.finalist_ids(session, challenge))
        concepts = [concept for concept in concepts if concept.id in finalists]
    versions = submissions.newest_versions(session, submission_ids=[c.id for c in concepts if c.id is not None])
    titles = {c.id or 0: versions[c.id].title if c.id in versions else c.title for c in concepts}
    scored = [
        ConceptScore(
            concept_id=c.concept_id,
            title=titles.get(c.concept_id, ""),
            score=c.score,
            low=c.low,
            high=c.high,
            raw=c.raw,
            z_score=c.z_score,
            calibrated=c.calibrated,
            jurors=c.jurors,
            spread=c.spread,
            disagreement=c.disagreement,
            jury_rank=c.rank,
            jury_too_close_to_call=c.too_close_to_call,
        )
        for c in outcome.concepts
    ]
    vote, points = _vote(session, challenge=challenge, now=now)
    public = vote in (VoteStatus.LIVE, VoteStatus.FINAL)
    by_id = {concept.concept_id: concept for concept in scored}
    unscored = [
        UnscoredConcept(concept_id, title, points.get(concept_id, 0) if public else None)
        for concept_id, title in titles.items()
        if concept_id not in by_id
    ]
    reports = {report.juror_id: report for report in outcome.jurors}
    jurors = [
        _juror_result(seat.id or 0, seat.user.display_name if seat.user else None, seat.left_at is not None, reports)
        for seat in jury.jurors(session, challenge=challenge, include_left=True)
        if seat.left_at is None or seat.id in reports  # one who left without a counted score played no part
    ]
    top = [
        PlaceByMethod(
            place=place,
            raw=_at_place(outcome.places_by_method[Method.RAW], place, by_id),
            z_score=_at_place(outcome.places_by_method[Method.Z_SCORE], place, by_id),
            calibrated=_at_place(outcome.places_by_method[Method.CALIBRATED], place, by_id),
        )
        for place in range(1, min(places, len(scored)) + 1)
    ]
    return HostResults(
        challenge=challenge,
        method=method,
        scale_max=scale_max,
        places=places,
        jury_weight=challenge.jury_weight,
        vote=vote,
        ranking=_ranking(scored, vote, points, challenge, places),
        unscored=unscored,
        jurors=jurors,
        agreement=outcome.agreement,
        agreement_level=outcome.agreement_level,
        top_places_agree=outcome.top_places_agree,
        top_places=top,
        scores_counted=len(counted),
        round_=round_,
        rounds=rounds,
    )


def _juror_name(display_name: str | None) -> str:
    return display_name if display_name else _("Deleted account")


def _juror_result(
    juror_id: int, display_name: str | None, left: bool, reports: Mapping[int, calibration.JurorReport]
) -> JurorResult:
    report = reports.get(juror_id)
    return JurorResult(
        juror_id=juror_id,
        name=_juror_name(display_name),
        left=left,
        ratings=report.ratings if report else 0,
        mean_total=report.mean_total if report else None,
        leniency=report.leniency if report else None,
        scale=report.scale if report else None,
    )


def _at_place(ids: Sequence[int], place: int, by_id: Mapping[int, ConceptScore]) -> ConceptScore | None:
    return by_id.get(ids[place - 1]) if place <= len(ids) else None


def scores_csv(session: Session, *, actor: Actor, challenge: Challenge) -> str:
    """Every counted score as CSV: the juror's name, the criterion, the concept and the value (hosts only)."""
    permissions.check_runs(actor, challenge)
    counted = reviews.submitted_scores(session, challenge=challenge)
    names = {
        seat.id or 0: _juror_name(seat.user.display_name if seat.user else None)
        for seat in jury.jurors(session, challenge=challenge, include_left=True)
    }
    criteria = {criterion.id or 0: criterion for criterion in challenge.criteria}
    versions = submissions.newest_versions(session, submission_ids=sorted({row[1] for row in counted}))
    positions = {criterion_id: criterion.position for criterion_id, criterion in criteria.items()}
    ordered = sorted(counted, key=lambda r: (r[1], names.get(r[0], "").casefold(), r[0], positions.get(r[2], 0)))
    return text.csv_document(
        SCORES_CSV_HEADER,
        (
            (
                names.get(juror_id, ""),
                criteria[criterion_id].name if criterion_id in criteria else "",
                concept_id,
                versions[concept_id].title if concept_id in versions else "",
                value,
            )
            for juror_id, concept_id, criterion_id, value in ordered
        ),
    )


def ranking_csv(session: Session, *, actor: Actor, challenge: Challenge, method: Method, now: datetime) -> str:
    """The final ranking as CSV, best first: shares (0..1) with four decimals, scores on the scale with two."""
    results = host_results(session, actor=actor, challenge=challenge, method=method, now=now)
    return text.csv_document(
        RANKING_CSV_HEADER,
        (
            (
                row.rank,
                "yes" if row.tied else "no",
                row.concept.concept_id,
                row.concept.title,
                f"{row.concept.score:.2f}",
                f"{row.concept.low:.2f}",
                f"{row.concept.high:.2f}",
                "" if row.public_share is None else f"{row.public_share:.4f}",
                f"{row.combined:.4f}",
                "yes" if row.too_close_to_call else "no",
            )
            for row in results.ranking
        ),
    )


def shortlist_proposal(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> list[int]:
    """The concepts the first round's ranking proposes for a final round: two more than the prize places, best
    first, those tied with the last one included."""
    ranking = host_results(
        session, actor=actor, challenge=challenge, method=Method.CALIBRATED, now=now, round_=jury.FIRST_ROUND
    ).ranking
    wanted = prize_places(challenge) + 2
    if len(ranking) <= wanted:
        return [entry.concept.concept_id for entry in ranking]
    cut = ranking[wanted - 1].rank
    return [entry.concept.concept_id for entry in ranking if entry.rank <= cut]
