"""Organisations, their members and invitations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.actor import Role as Role  # the roles are the actor's vocabulary; re-exported for the tables
from app.db import UTCDateTime, utcnow


class OrganizationKind(StrEnum):
    MUNICIPALITY = "municipality"
    COUNTY = "county"
    COMPANY = "company"
    UNIVERSITY = "university"
    NETWORK = "network"


class Organization(SQLModel, table=True):
    __tablename__ = "organizations"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=120)
    kind: OrganizationKind = Field(sa_type=String(20))
    description: str = Field(default="", max_length=2000)
    website: str = Field(default="", max_length=255)
    timezone: str = Field(default="Europe/Oslo", max_length=64)
    default_language: str = Field(default="nb", max_length=5)
    logo: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    logo_content_type: str | None = Field(default=None, max_length=40)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("organization_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    role: Role = Field(sa_type=String(20))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Invitation(SQLModel, table=True):
    """An emailed invitation to join an organisation with a role; the link carries a single-use token."""

    __tablename__ = "invitations"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(
        sa_column=Column(Integer, ForeignKey("organizations.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    email: str = Field(max_length=254)
    role: Role = Field(sa_type=String(20))
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_id: int | None = Field(
        default=None, sa_column=Column(Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    accepted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
