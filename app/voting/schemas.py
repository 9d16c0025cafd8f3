"""What the voting API accepts and returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.challenges.models import VoterRule, VotingMethod
from app.db import MAX_ROW_ID
from app.voting import permissions, service
from app.voting.permissions import Ineligibility

MAX_BALLOT_ITEMS = 100


class VoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    concept: int = Field(ge=1, le=MAX_ROW_ID, description="The concept's id.")
    points: int = Field(default=1, ge=1, le=100, description="1 with one vote each; with `points`, 1 to the maximum.")


class BallotPut(BaseModel):
    """The whole ballot: putting the same one twice changes nothing."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"votes": [{"concept": 12, "points": 3}, {"concept": 15}]}]}
    )

    votes: list[VoteIn] = Field(max_length=MAX_BALLOT_ITEMS)


class PointsIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"points": 2}]})

    points: int = Field(default=1, ge=1, le=100)


class VoteRead(BaseModel):
    concept: int
    points: int


class IneligibleRead(BaseModel):
    reason: Ineligibility
    message: str


class BallotRead(BaseModel):
    method: VotingMethod
    voter_rule: VoterRule
    voting_open: bool
    total: int = Field(description="Votes (or points) each voter has.")
    per_concept: int = Field(description="The most one concept may get from one voter.")
    used: int
    remaining: int
    votes: list[VoteRead] = Field(description="The votes that count, in the order given.")
    set_aside: list[int] = Field(
        description="Concepts hidden by moderators during the vote: your votes for them are kept but do not count, "
        "and what they held is yours to give again."
    )
    own_concepts: list[int] = Field(description="Your team's concepts (you may vote for them only if allowed).")
    receipt: str | None = Field(description="Find it in the sealed export's receipts after the close.")
    ineligible: IneligibleRead | None = Field(description="Why you may not vote, or null when you may.")

    @classmethod
    def from_state(cls, state: service.BallotState) -> BallotRead:
        reason = state.reason
        own = sorted(state.own) if not permissions.may_vote_for_own(state.challenge) else []
        return cls(
            method=state.method,
            voter_rule=VoterRule(state.challenge.voter_rule),
            voting_open=state.is_open,
            total=state.total,
            per_concept=state.per_concept,
            used=state.used,
            remaining=state.remaining,
            votes=[VoteRead(concept=concept, points=points) for concept, points in state.votes.items()],
            set_aside=state.set_aside,
            own_concepts=own,
            receipt=state.receipt,
            ineligible=IneligibleRead(reason=reason, message=permissions.ineligibility_message(reason))
            if reason
            else None,
        )


class ConceptResultRead(BaseModel):
    concept: int
    title: str
    url: str
    points: int
    rank: int = Field(description="Equal points share a rank (1, 1, 3).")
    tied: bool
    share: float = Field(description="Of all counted points, from 0 to 1.")


class IntegritySummary(BaseModel):
    ballots_from_new_accounts: int = Field(description="Ballots from accounts made after the vote opened.")
    ballots_from_shared_networks: int = Field(
        description="Ballots from networks (/24 or /48) shared by at least `shared_network_ballots` ballots."
    )
    shared_network_ballots: int


class ResultsRead(BaseModel):
    method: VotingMethod
    final: bool = Field(description="Sealed at the close; false for live counts while voting is open.")
    ballots_cast: int
    eligible_voters: int | None = Field(description="Known when only listed domains or verified identities vote.")
    turnout: float | None
    total_points: int
    winners: list[int] = Field(description="The people's choice: the concepts ranked first (ties share it).")
    concepts: list[ConceptResultRead]
    sealed_at: str | None
    export_sha256: str | None = Field(description="SHA-256 of the sealed export at `export_url`.")
    export_url: str | None
    integrity: IntegritySummary | None


class ConceptIntegrityRead(BaseModel):
    concept: int
    points: int
    from_new_accounts: int = Field(description="Points from accounts made after the vote opened.")
    from_shared_networks: int = Field(description="Points from networks shared by many ballots.")


class IntegrityRead(IntegritySummary):
    ballots: int
    concepts: list[ConceptIntegrityRead]

    @classmethod
    def from_report(cls, report: dict[str, Any]) -> IntegrityRead:
        return cls(
            ballots=report["ballots"],
            ballots_from_new_accounts=report["ballots_from_new_accounts"],
            ballots_from_shared_networks=report["ballots_from_shared_networks"],
            shared_network_ballots=report["shared_network_ballots"],
            concepts=[
                ConceptIntegrityRead(
                    concept=int(concept),
                    points=figures["points"],
                    from_new_accounts=figures["new_accounts"],
                    from_shared_networks=figures["shared"],
                )
                for concept, figures in report["concepts"].items()
            ],
        )
