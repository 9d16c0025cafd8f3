"""Users, their sessions, personal access tokens and single-use tokens."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class EmailFrequency(StrEnum):
    IMMEDIATE = "immediate"
    DAILY = "daily"


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased, so the unique constraint is case-insensitive on every database.
    email: str = Field(max_length=254, unique=True)
    pending_email: str | None = Field(default=None, max_length=254)
    display_name: str = Field(max_length=120)
    password_hash: str | None = Field(default=None, max_length=255)
    email_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set when the person signed in with a national e-ID at the required assurance level (voting eligibility).
    identity_verified_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The provider (its configured id) whose sign-in last showed that assurance level.
    identity_verified_by: str | None = Field(default=None, max_length=40)
    language: str = Field(default="nb", max_length=5)
    # How followed challenges' news reaches the user: one email each, or one digest a day.
    email_frequency: EmailFrequency = Field(
        default=EmailFrequency.IMMEDIATE,
        sa_column=Column(String(10), nullable=False, server_default=EmailFrequency.IMMEDIATE.value),
    )
    is_platform_admin: bool = False
    is_active: bool = True
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


class UserSession(SQLModel, table=True):
    """A server-side sign-in: revocable; the cookie holds the token, the database only its hash."""

    __tablename__ = "user_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    user_agent: str = Field(default="", max_length=255)


class PersonalAccessToken(SQLModel, table=True):
    """An API credential a user makes on their account page; shown once, stored hashed."""

    __tablename__ = "personal_access_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True))
    name: str = Field(max_length=80)
    prefix: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class TokenPurpose(StrEnum):
    PASSWORD_RESET = "password-reset"  # noqa: S105  (a purpose, not a secret)


class OneTimeToken(SQLModel, table=True):
    """A single-use, expiring token sent by email (password reset)."""

    __tablename__ = "one_time_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True))
    purpose: str = Field(sa_column=Column(String(32), nullable=False))
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ExternalIdentity(SQLModel, table=True):
    """A sign-in identity at an OpenID Connect provider: its subject, per issuer, belongs to exactly one user."""

    __tablename__ = "external_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    issuer: str = Field(max_length=255)
    subject: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
