"""What the jury results API returns."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.jury.calibration import Agreement, Method
from app.jury.results import service
from app.jury.results.service import VoteStatus


class JuryScoreRead(BaseModel):
    score: float = Field(description="By the chosen method, on the challenge's scale (0 to its highest score).")
    low: float = Field(description="The 90% interval's lower end.")
    high: float = Field(description="The 90% interval's upper end.")
    raw: float = Field(description="The mean of the jurors' weighted totals.")
    z_score: float = Field(description="Each juror's totals standardised by their own mean and spread.")
    calibrated: float = Field(description="With each juror's leniency (and spread) taken out.")
    rank: int = Field(description="The rank by the jury's score alone (equal scores to 2 decimals share it).")
    jurors: int
    spread: float = Field(description="The highest juror total minus the lowest.")
    disagreement: bool = Field(description="The spread is more than 30% of the scale.")
    too_close_to_call: bool = Field(description="At a prize boundary of the jury's own ranking.")

    @classmethod
    def of(cls, concept: service.ConceptScore) -> JuryScoreRead:
        return cls(
            score=concept.score,
            low=concept.low,
            high=concept.high,
            raw=concept.raw,
            z_score=concept.z_score,
            calibrated=concept.calibrated,
            rank=concept.jury_rank,
            jurors=concept.jurors,
            spread=concept.spread,
            disagreement=concept.disagreement,
            too_close_to_call=concept.jury_too_close_to_call,
        )


class RankedRead(BaseModel):
    rank: int = Field(description="Equal combined values (to 4 decimals) share a rank: 1, 2, 2, 4.")
    tied: bool
    concept: int
    title: str
    jury: JuryScoreRead
    public_points: int | None = Field(description="Null when the public vote takes no part in the ranking.")
    public_share: float | None = Field(description="The concept's points as a share of the leading concept's, 0..1.")
    combined: float = Field(description="0..1: jury_weight% of the jury's share of the scale's top, the rest public.")
    combined_low: float = Field(description="The combined value with the jury's interval's lower end.")
    combined_high: float = Field(description="The combined value with the jury's interval's upper end.")
    too_close_to_call: bool = Field(
        description="At a prize boundary of the final ranking, with an overlapping combined interval or a tie."
    )

    @classmethod
    def of(cls, row: service.RankedConcept) -> RankedRead:
        return cls(
            rank=row.rank,
            tied=row.tied,
            concept=row.concept.concept_id,
            title=row.concept.title,
            jury=JuryScoreRead.of(row.concept),
            public_points=row.public_points,
            public_share=row.public_share,
            combined=row.combined,
            combined_low=row.combined_low,
            combined_high=row.combined_high,
            too_close_to_call=row.too_close_to_call,
        )


class UnscoredRead(BaseModel):
    concept: int
    title: str
    public_points: int | None


class JurorResultRead(BaseModel):
    juror: int
    name: str
    left: bool = Field(description="Has left the jury; their submitted scores still count.")
    ratings: int = Field(description="Concepts with a counted score from this juror.")
    mean_total: float | None
    leniency: float | None = Field(description="In points of the scale: positive is lenient, negative strict.")
    scale: float | None = Field(description="How much of the scale the juror uses (1.0 when not estimated).")


class ConceptRef(BaseModel):
    concept: int
    title: str


class PlaceRead(BaseModel):
    place: int
    raw: ConceptRef | None
    z_score: ConceptRef | None
    calibrated: ConceptRef | None
    same: bool


class AgreementRead(BaseModel):
    alpha: float | None = Field(description="Krippendorff's alpha (interval) over the jurors' totals; null: too few.")
    level: Agreement


class MethodCheckRead(BaseModel):
    top_places_agree: bool = Field(description="The top places, in order, are the same under all three methods.")
    places: list[PlaceRead]


def _ref(concept: service.ConceptScore | None) -> ConceptRef | None:
    return None if concept is None else ConceptRef(concept=concept.concept_id, title=concept.title)


class HostResultsRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "method": "calibrated",
                    "scale_max": 10,
                    "places": 3,
                    "jury_weight": 60,
                    "vote": "final",
                    "scores_counted": 24,
                    "ranking": [],
                    "not_yet_scored": [],
                    "jurors": [],
                    "agreement": {"alpha": 0.71, "level": "moderate"},
                    "method_check": {"top_places_agree": True, "places": []},
                }
            ]
        }
    )

    method: Method
    scale_max: int
    places: int = Field(description="Prize places: from the prize split, else 3.")
    jury_weight: int = Field(description="Percent; the public vote weighs the rest when it takes part.")
    vote: VoteStatus = Field(
        description="`none`: no public vote; `sealed`: its counts are not shown yet, the ranking is the jury's; "
        "`live`: live counts while it is open; `final`: the sealed tally."
    )
    scores_counted: int
    round: int = Field(default=1, description="The round shown: 1, or 2 for the final round (its finalists only).")
    rounds: int = Field(default=1, description="2 once the hosts have begun a final round.")
    ranking: list[RankedRead]
    not_yet_scored: list[UnscoredRead]
    jurors: list[JurorResultRead]
    agreement: AgreementRead
    method_check: MethodCheckRead

    @classmethod
    def of(cls, results: service.HostResults) -> HostResultsRead:
        return cls(
            method=results.method,
            scale_max=results.scale_max,
            places=results.places,
            jury_weight=results.jury_weight,
            vote=results.vote,
            scores_counted=results.scores_counted,
            round=results.round_,
            rounds=results.rounds,
            ranking=[RankedRead.of(row) for row in results.ranking],
            not_yet_scored=[
                UnscoredRead(concept=row.concept_id, title=row.title, public_points=row.public_points)
                for row in results.unscored
            ],
            jurors=[
                JurorResultRead(
                    juror=row.juror_id,
                    name=row.name,
                    left=row.left,
                    ratings=row.ratings,
                    mean_total=row.mean_total,
                    leniency=row.leniency,
                    scale=row.scale,
                )
                for row in results.jurors
            ],
            agreement=AgreementRead(alpha=results.agreement, level=results.agreement_level),
            method_check=MethodCheckRead(
                top_places_agree=results.top_places_agree,
                places=[
                    PlaceRead(
                        place=place.place,
                        raw=_ref(place.raw),
                        z_score=_ref(place.z_score),
                        calibrated=_ref(place.calibrated),
                        same=place.same,
                    )
                    for place in results.top_places
                ],
            ),
        )
