"""Ballots, their items, and the tally sealed at the close of a public vote."""

# No `from __future__ import annotations` here: SQLModel resolves relationship targets from real annotations.

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, ForeignKey, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from app.db import UTCDateTime, utcnow


class Ballot(SQLModel, table=True):
    """One voter's ballot in one challenge's public vote: unique per (challenge, voter), locked while it changes."""

    __tablename__ = "ballots"
    __table_args__ = (UniqueConstraint("challenge_id", "voter_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # (challenge_id, voter_id) is unique, so that constraint's index serves lookups by challenge as well.
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False)
    )
    # NULL once the voter's account is deleted: the ballot still counts, unlinked from any person.
    voter_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    # Random, shown only to the voter; the sealed export lists receipts apart from ballots, so none links to one.
    receipt: str = Field(max_length=32, unique=True)
    # For the hosts' integrity report: the account was made after the vote opened.
    new_account: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    # A keyed hash of the voter's /24 (IPv4) or /48 (IPv6) network, cleared when the tally is sealed.
    network_hash: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    items: list["BallotItem"] = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all, delete-orphan", "order_by": "BallotItem.id"}
    )


class BallotItem(SQLModel, table=True):
    """A vote (or some points) on a ballot for one concept: unique per (ballot, concept)."""

    __tablename__ = "ballot_items"
    __table_args__ = (
        UniqueConstraint("ballot_id", "submission_id"),
        CheckConstraint("points >= 1", name="points_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Leads the unique (ballot_id, submission_id) index, which serves lookups by ballot.
    ballot_id: int = Field(sa_column=Column(Integer, ForeignKey("ballots.id", ondelete="CASCADE"), nullable=False))
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    points: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SealedTally(SQLModel, table=True):
    """A public vote's result, sealed once at its close: the export anyone can recount, its hash and the counts.

    Written once and never changed (no service updates it); the export's SHA-256 is published with the results.
    """

    __tablename__ = "sealed_tallies"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    sealed_at: datetime = Field(sa_type=UTCDateTime)
    # The export as published, byte for byte (JSON): shuffled ballots without voters, separately shuffled receipts.
    export: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256: str = Field(max_length=64)
    # Counted points per concept id, and the hosts' integrity figures, as computed from the ballot items at sealing.
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    integrity: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    ballots_cast: int = 0
    eligible_voters: int | None = None
