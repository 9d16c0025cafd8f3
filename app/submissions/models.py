"""Submissions (concepts): their teams, team invitations, attachments and immutable submitted versions."""

# No `from __future__ import annotations` here: SQLModel resolves relationship targets from real annotations.

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel

from app.accounts.models import User
from app.db import UTCDateTime, utcnow


class SubmissionStatus(StrEnum):
    DRAFT = "draft"  # never submitted; seen only by its team
    SUBMITTED = "submitted"  # has at least one submitted version
    WITHDRAWN = "withdrawn"  # taken back by the team while the challenge was open; may be submitted again


class MemberRole(StrEnum):
    LEAD = "lead"
    MEMBER = "member"


class Submission(SQLModel, table=True):
    """A concept a team writes for a challenge; the working copy, edited until it is submitted as a version."""

    __tablename__ = "submissions"

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    title: str = Field(max_length=140)
    summary: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    team_name: str = Field(default="", max_length=120)
    # The public sees "Anonymous team" instead of the team's name and members.
    anonymous: bool = Field(default=False, sa_column=Column(Boolean, nullable=False))
    status: SubmissionStatus = Field(default=SubmissionStatus.DRAFT, sa_type=String(20), index=True)
    # Number of the newest submitted version (0: never submitted).
    version_count: int = 0
    # Hash of the cover image's bytes (kept in SubmissionCover); NULL when there is none.
    cover_sha256: str | None = Field(default=None, max_length=64)
    created_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_reason: str = Field(default="", max_length=500)
    hidden_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    # Set when the team was reminded, 48 h before the deadline, that its concept is still only a draft.
    draft_reminder_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    members: list["SubmissionMember"] = Relationship(
        back_populates="submission",
        sa_relationship_kwargs={"lazy": "raise", "cascade": "all, delete-orphan", "order_by": "SubmissionMember.id"},
    )


class SubmissionMember(SQLModel, table=True):
    """A person on a submission's team; the lead invites and hands over the lead role."""

    __tablename__ = "submission_members"
    __table_args__ = (UniqueConstraint("submission_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True),
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    role: MemberRole = Field(default=MemberRole.MEMBER, sa_type=String(10))
    # Rights to the concept and privacy: every member accepts the challenge's terms before the team submits.
    terms_accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    joined_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    submission: Submission = Relationship(back_populates="members", sa_relationship_kwargs={"lazy": "raise"})
    user: User = Relationship(sa_relationship_kwargs={"lazy": "raise"})


class TeamInvitation(SQLModel, table=True):
    """An emailed invitation to join a submission's team; the link carries a single-use, expiring token."""

    __tablename__ = "team_invitations"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    email: str = Field(max_length=254)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    declined_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Attachment(SQLModel, table=True):
    """A file on a submission. Never changed; removing it from the working copy only sets `removed_at`, so the
    versions that list it keep it."""

    __tablename__ = "submission_attachments"
    __table_args__ = (CheckConstraint("size >= 0", name="size_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    filename: str = Field(max_length=255)
    content_type: str = Field(max_length=100)
    size: int
    sha256: str = Field(max_length=64)
    uploaded_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    removed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AttachmentContent(SQLModel, table=True):
    """An attachment's bytes, apart from its row so listings never load them; in the database so every worker
    serves them."""

    __tablename__ = "attachment_contents"

    attachment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submission_attachments.id", ondelete="CASCADE"), primary_key=True)
    )
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class SubmissionCover(SQLModel, table=True):
    """A submission's cover image, apart from the submission row so galleries never load the bytes."""

    __tablename__ = "submission_covers"

    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), primary_key=True)
    )
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    content_type: str = Field(max_length=40)
    sha256: str = Field(max_length=64)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SubmissionVersion(SQLModel, table=True):
    """What the team submitted, as it was: never updated. The jury and the hosts read the newest one."""

    __tablename__ = "submission_versions"
    __table_args__ = (UniqueConstraint("submission_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    number: int
    title: str = Field(max_length=140)
    summary: str = Field(default="", max_length=500)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    team_name: str = Field(default="", max_length=120)
    # Attachment rows are immutable and never deleted while a version lists them, so ids are a faithful record.
    attachment_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    submitted_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Comment(SQLModel, table=True):
    """A public comment on a public submission; a reply points at a top-level comment (one level only)."""

    __tablename__ = "submission_comments"
    # The same text from the same author on the same concept and thread is stored once (app.kit.duplicates).
    __table_args__ = (UniqueConstraint("author_id", "submission_id", "fingerprint"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    # NULL once the author's account is gone; the comment then shows as by a deleted user.
    author_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True)
    )
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("submission_comments.id", ondelete="CASCADE"), nullable=True, index=True),
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    # A hash of the text as posted and of the thread it went to; cleared when its author deletes it.
    fingerprint: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Deleted by its author: the text is blanked and a placeholder keeps the thread's replies in place.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    hidden_reason: str = Field(default="", max_length=500)
    hidden_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )


class Feedback(SQLModel, table=True):
    """Private feedback to a team from a host editor (later a juror): seen by the team and the hosts only."""

    __tablename__ = "submission_feedback"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    author_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    edited_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ReportTarget(StrEnum):
    SUBMISSION = "submission"
    COMMENT = "comment"


class ReportResolution(StrEnum):
    HIDDEN = "hidden"
    DISMISSED = "dismissed"


class Report(SQLModel, table=True):
    """Someone signed in flags a submission or a comment; the hosts' moderation queue lists open reports."""

    __tablename__ = "content_reports"
    # One open or closed report per person and thing: reporting twice does not push it up the queue.
    __table_args__ = (UniqueConstraint("reporter_id", "target_type", "target_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    target_type: ReportTarget = Field(sa_type=String(20))
    target_id: int = Field(index=True)
    reporter_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    reason: str = Field(max_length=1000)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    resolution: ReportResolution | None = Field(default=None, sa_type=String(20))
    resolved_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )


class TeammateSearch(SQLModel, table=True):
    """Team finder: a participant says they look for a team on a challenge, with a note on their skills."""

    __tablename__ = "teammate_searches"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    challenge_id: int = Field(
        sa_column=Column(Integer, ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    note: str = Field(default="", max_length=500)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class JoinRequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class JoinRequest(SQLModel, table=True):
    """A person asks to join a draft team; its lead accepts or declines."""

    __tablename__ = "join_requests"

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(
        sa_column=Column(Integer, ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    note: str = Field(default="", max_length=500)
    status: JoinRequestStatus = Field(default=JoinRequestStatus.PENDING, sa_type=String(20))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
