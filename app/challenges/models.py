"""Challenges, their co-hosts and their criteria."""

# No `from __future__ import annotations` here: SQLModel resolves relationship targets from real annotations.

from datetime import datetime
from enum import StrEnum
from typing import Any, Optional

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlmodel import Field, Relationship, SQLModel

from app.db import UTCDateTime, utcnow
from app.organizations.models import Organization


class Status(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class TargetGroup(StrEnum):
    STUDENTS = "students"
    YOUNG_PROFESSIONALS = "young-professionals"
    CITIZENS = "citizens"
    START_UPS = "start-ups"
    COMPANIES = "companies"


class VotingMethod(StrEnum):
    NONE = "none"
    SINGLE = "single"
    MULTIPLE = "multiple"
    POINTS = "points"


class VoterRule(StrEnum):
    """Who may vote in a challenge's public vote (always signed in with a verified email)."""

    VERIFIED_EMAIL = "verified-email"
    EMAIL_DOMAIN = "email-domain"  # only addresses in the challenge's listed domains
    VERIFIED_IDENTITY = "verified-identity"  # only people signed in with a national e-ID


class SubmissionVisibility(StrEnum):
    """When submitted concepts become public."""

    AT_SUBMISSION = "at-submission"
    AFTER_REVIEW = "after-review"
    NEVER = "never"


class FileType(StrEnum):
    PDF = "pdf"
    PNG = "png"
    JPG = "jpg"
    WEBP = "webp"
    DOCX = "docx"
    PPTX = "pptx"
    ODT = "odt"
    ODP = "odp"


DEFAULT_FILE_TYPES = [FileType.PDF.value, FileType.PNG.value, FileType.JPG.value]


class Challenge(SQLModel, table=True):
    """A problem put to the public by a host organisation; its phase is derived from `status` and the dates."""

    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint("prize_amount IS NULL OR prize_amount >= 0", name="prize_amount_not_negative"),
        CheckConstraint("team_size_min >= 1 AND team_size_max >= team_size_min", name="team_size_in_order"),
    )

    id: int | None = Field(default=None, primary_key=True)
    host_id: int = Field(sa_column=Column(Integer, ForeignKey("organizations.id"), nullable=False, index=True))
    slug: str = Field(max_length=80, unique=True)
    title: str = Field(max_length=140)
    summary: str = Field(default="", max_length=500)
    problem_statement: str = Field(default="", sa_column=Column(Text, nullable=False))
    target_groups: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sdg_goals: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    prize_text: str = Field(default="", max_length=500)
    # Minor units (øre, öre, cent), so sums and splits are exact integers.
    prize_amount: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    prize_currency: str = Field(default="NOK", max_length=3)
    prize_split: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    follow_up_text: str = Field(default="", max_length=2000)

    # Hash of the cover image's bytes (kept in ChallengeCover so lists never load them): its ETag and the
    # cache-busting part of its URL. NULL when the challenge has no cover.
    cover_sha256: str | None = Field(default=None, max_length=64)

    team_size_min: int = 1
    team_size_max: int = 5
    max_submissions_per_person: int = 1
    allowed_file_types: list[str] = Field(
        default_factory=lambda: list(DEFAULT_FILE_TYPES), sa_column=Column(JSON, nullable=False)
    )
    max_file_mb: int = 10
    scoring_scale_max: int = 10
    submissions_public: SubmissionVisibility = Field(
        default=SubmissionVisibility.AT_SUBMISSION,
        sa_column=Column(String(20), nullable=False, server_default=SubmissionVisibility.AT_SUBMISSION.value),
    )
    # What every team member accepts before the team submits, on top of the platform's terms (Markdown).
    terms_text: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=text("''")))

    voting_method: VotingMethod = Field(default=VotingMethod.NONE, sa_type=String(20))
    votes_per_voter: int = 1  # votes with `multiple`, points to share out with `points`
    # With `points`: the most points one concept may get from one voter.
    max_points_per_concept: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default="1"))
    voter_rule: VoterRule = Field(
        default=VoterRule.VERIFIED_EMAIL,
        sa_column=Column(String(20), nullable=False, server_default=VoterRule.VERIFIED_EMAIL.value),
    )
    # No server default (PostgreSQL cannot compare JSON defaults); the migration fills existing rows with [].
    voter_email_domains: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    self_vote_allowed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    live_counts: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    jury_weight: int = 100  # percent; the public vote weighs the rest

    status: Status = Field(default=Status.DRAFT, sa_type=String(20), index=True)
    cancel_reason: str = Field(default="", max_length=1000)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    opens_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submissions_close_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    review_ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voting_opens_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    voting_closes_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    announce_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    copied_from_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    # lazy="raise": every list loads what it shows up front, so an N+1 fails in tests instead of in production.
    host: Organization = Relationship(sa_relationship_kwargs={"lazy": "raise"})
    cohosts: list["ChallengeCoHost"] = Relationship(
        back_populates="challenge",
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all, delete-orphan", "order_by": "ChallengeCoHost.id"},
    )
    criteria: list["Criterion"] = Relationship(
        back_populates="challenge",
        sa_relationship_kwargs={
            "lazy": "raise",
            "cascade": "all, delete-orphan",
            "order_by": "(Criterion.position, Criterion.id)",
        },
    )
    copied_from: Optional["Challenge"] = Relationship(
        sa_relationship_kwargs={"lazy": "raise", "remote_side": "Challenge.id"}
    )

    @property
    def host_ids(self) -> list[int]:
        """The host and every co-host, by organisation id."""
        return [self.host_id, *(cohost.organization_id for cohost in self.cohosts)]


class ChallengeCoHost(SQLModel, table=True):
    """Another organisation running the challenge together with the host."""

    __tablename__ = "challenge_cohosts"
    __table_args__ = (UniqueConstraint("challenge_id", "organization_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    organization_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    challenge: Challenge = Relationship(back_populates="cohosts", sa_relationship_kwargs={"lazy": "raise"})
    organization: Organization = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class Criterion(SQLModel, table=True):
    """What the jury scores; a criterion's share is its weight over the sum of weights."""

    __tablename__ = "criteria"
    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    id: int | None = Field(default=None, primary_key=True)
    # Set by the relationship when the criterion is added to a challenge.
    challenge_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True),
    )
    name: str = Field(max_length=120)
    description: str = Field(default="", max_length=1000)
    weight: int
    position: int = 0

    challenge: Challenge = Relationship(back_populates="criteria", sa_relationship_kwargs={"lazy": "raise"})


class ChallengeCover(SQLModel, table=True):
    """A challenge's cover image, apart from the challenge row so that lists and pages never load the bytes."""

    __tablename__ = "challenge_covers"

    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True)
    )
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    content_type: str = Field(max_length=40)
    sha256: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Question(SQLModel, table=True):
    """A question about a challenge; public once a host answers it, otherwise seen by its asker and the hosts."""

    __tablename__ = "challenge_questions"
    # The same question from the same person on the same challenge is stored once (app.kit.duplicates).
    __table_args__ = (UniqueConstraint("author_id", "challenge_id", "fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    # NULL once the asker's account is deleted; the question stays, anonymised.
    author_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    # A hash of the question as asked (app.kit.duplicates).
    fingerprint: str | None = Field(default=None, max_length=64)
    answer: str = Field(default="", sa_column=Column(Text, nullable=False))
    answered_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # A duplicate points at the question that carries the answer; it is listed under it, not on its own.
    duplicate_of_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("challenge_questions.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    hidden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_reason: str = Field(default="", max_length=500)
    hidden_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Follow(SQLModel, table=True):
    """A signed-in user following a challenge: they are emailed when it opens, nears its deadline, and so on."""

    __tablename__ = "challenge_follows"
    __table_args__ = (UniqueConstraint("user_id", "challenge_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class NoticeKind(StrEnum):
    OPENED = "opened"
    DEADLINE_SOON = "deadline-soon"
    QUESTION_ANSWERED = "question-answered"
    RESULTS = "results"


class ChallengeNotice(SQLModel, table=True):
    """A once-per-challenge event that followers hear about; the unique key makes the scheduler idempotent."""

    __tablename__ = "challenge_notices"
    __table_args__ = (UniqueConstraint("challenge_id", "kind", "subject_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: NoticeKind = Field(sa_type=String(30))
    # What the notice is about within the challenge (the answered question's id); 0 when it is the challenge itself.
    subject_id: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class FollowerNotification(SQLModel, table=True):
    """One notice for one follower; sent at once or gathered into their daily digest."""

    __tablename__ = "follower_notifications"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    notice_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenge_notices.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # NULL while it waits for the user's daily digest.
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
