"""A challenge's jury: its panel and settings, invitations, jurors, conflicts of interest, assignments, reviews and
their scores per criterion."""

# No `from __future__ import annotations` here: SQLModel resolves relationship targets from real annotations.

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlmodel import Field, Relationship, SQLModel

from app.accounts.models import User
from app.db import UTCDateTime, utcnow


class JurorRole(StrEnum):
    MEMBER = "member"
    CHAIR = "chair"


class ConflictSource(StrEnum):
    DECLARED = "declared"  # the juror said so
    EMAIL_DOMAIN = "email-domain"  # flagged: the juror's email domain is a team member's
    ORGANISATION = "organisation"  # flagged: the juror works in a team member's organisation


class ConflictStatus(StrEnum):
    CONFIRMED = "confirmed"  # declared by the juror, or confirmed by a host
    FLAGGED = "flagged"  # found automatically; counts as a conflict until a host dismisses it
    DISMISSED = "dismissed"  # a host looked and found none


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class AwardKind(StrEnum):
    FIRST = "first"
    SECOND = "second"
    THIRD = "third"
    PEOPLES_CHOICE = "peoples-choice"
    HONOURABLE_MENTION = "honourable-mention"
    CUSTOM = "custom"


class FollowUpStatus(StrEnum):
    PLANNED = "planned"
    STARTED = "started"
    PILOTED = "piloted"
    ADOPTED = "adopted"
    DROPPED = "dropped"


class JuryPanel(SQLModel, table=True):
    """One jury per challenge, shared by its host and co-hosts, with the settings the jury works by."""

    __tablename__ = "jury_panels"
    __table_args__ = (CheckConstraint("jurors_per_concept >= 1", name="jurors_per_concept_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    jurors_per_concept: int = 3
    # Jurors see a concept without its team; identities are revealed to them once the results are announced.
    blind_review: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    # The chair (or a host) lets jurors see each other's scores on a concept once they have submitted their own.
    scores_shared: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    # The final round began: the shortlisted concepts are scored again, by the final panel, in round 2.
    final_round_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class JuryInvitation(SQLModel, table=True):
    """An emailed invitation to sit on a challenge's jury; the link carries a single-use, expiring token."""

    __tablename__ = "jury_invitations"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    email: str = Field(max_length=254)
    role: JurorRole = Field(default=JurorRole.MEMBER, sa_type=String(10))
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    declined_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Juror(SQLModel, table=True):
    """A person on a challenge's jury. Leaving sets `left_at`: the reviews they submitted still count."""

    __tablename__ = "jurors"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False)
    )
    # NULL once the juror's account is deleted: the reviews they gave still count, unlinked from any person.
    user_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    role: JurorRole = Field(default=JurorRole.MEMBER, sa_type=String(10))
    # On the final round's panel (the same jury, or some of it).
    final_round: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    user: User | None = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class JuryConflict(SQLModel, table=True):
    """A conflict of interest between a juror and a concept: declared, or flagged for a host to confirm. A team
    member's conflict with their own concept is never stored: it is read from the team, so it cannot go stale."""

    __tablename__ = "jury_conflicts"
    __table_args__ = (UniqueConstraint("juror_id", "submission_id"),)

    id: int | None = Field(default=None, primary_key=True)
    juror_id: int = Field(sa_column=Column(Integer, ForeignKey("jurors.id", ondelete="CASCADE"), nullable=False))
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    source: ConflictSource = Field(sa_type=String(20))
    status: ConflictStatus = Field(sa_type=String(20))
    reason: str = Field(default="", max_length=500)  # seen by the hosts only
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class JuryAssignment(SQLModel, table=True):
    """A juror is to review a concept in a round (1, or 2 for the final round); `manual` when a host placed it by
    hand (a re-run keeps it)."""

    __tablename__ = "jury_assignments"
    __table_args__ = (UniqueConstraint("juror_id", "submission_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    juror_id: int = Field(sa_column=Column(Integer, ForeignKey("jurors.id", ondelete="CASCADE"), nullable=False))
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    manual: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    round: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Review(SQLModel, table=True):
    """A juror's review of a concept: scores per criterion, comments, draft until submitted. Kept apart from the
    assignment, so a review already given survives a new assignment run."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("juror_id", "submission_id", "round"),)

    id: int | None = Field(default=None, primary_key=True)
    juror_id: int = Field(sa_column=Column(Integer, ForeignKey("jurors.id", ondelete="CASCADE"), nullable=False))
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    round: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    version_number: int = 0  # the submitted version the juror scored
    status: ReviewStatus = Field(default=ReviewStatus.DRAFT, sa_type=String(10))
    overall_comment: str = Field(default="", sa_column=Column(Text, nullable=False))
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reopened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    scores: list["ReviewScore"] = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all, delete-orphan", "order_by": "ReviewScore.id"}
    )


class ReviewScore(SQLModel, table=True):
    """A review's score on one criterion, on the challenge's scale (0 to its highest score), with a comment."""

    __tablename__ = "review_scores"
    __table_args__ = (
        UniqueConstraint("review_id", "criterion_id"),
        CheckConstraint("value IS NULL OR value >= 0", name="value_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(sa_column=Column(Integer, ForeignKey("reviews.id", ondelete="CASCADE"), nullable=False))
    criterion_id: int = Field(
        sa_column=Column(Integer, ForeignKey("criteria.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    value: int | None = None  # a draft may carry a comment before its score
    comment: str = Field(default="", sa_column=Column(Text, nullable=False))


class Award(SQLModel, table=True):
    """An award the hosts give a concept (1st, 2nd, 3rd, people's choice, honourable mention or their own), with
    its prize and the jury's motivation; public once the results are announced."""

    __tablename__ = "awards"
    __table_args__ = (
        UniqueConstraint("challenge_id", "submission_id", "kind"),
        CheckConstraint("prize_amount IS NULL OR prize_amount >= 0", name="prize_amount_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: AwardKind = Field(sa_type=String(30))
    name: str = Field(default="", max_length=120)  # a custom award's name
    # Minor units (øre, öre, cent), in the challenge's currency.
    prize_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    motivation: str = Field(default="", sa_column=Column(Text, nullable=False))
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Announcement(SQLModel, table=True):
    """The hosts announced the results: the awards are final and public, and every team was emailed its outcome."""

    __tablename__ = "result_announcements"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    announced_at: datetime = Field(sa_type=UTCDateTime)
    announced_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    # Every team, not only the winners, was sent its per-criterion scores beside the field's and the comments.
    feedback_to_entrants: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    teams_emailed: int = 0


class FollowUpUpdate(SQLModel, table=True):
    """What became of an awarded concept after the announcement (the follow-up assignment, a pilot, a project):
    dated status updates the hosts post, shown on the challenge, the concept and the host's page."""

    __tablename__ = "follow_up_updates"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    status: FollowUpStatus = Field(sa_type=String(20))
    text: str = Field(default="", max_length=2000)
    happened_on: date = Field(sa_column=Column(Date, nullable=False))
    posted_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Finalist(SQLModel, table=True):
    """A concept the hosts shortlisted for the final round."""

    __tablename__ = "jury_finalists"
    __table_args__ = (UniqueConstraint("challenge_id", "submission_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False)
    )
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
