"""The append-only, hash-chained audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, false
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """Who did what to which object, when; `hash` covers this row and the previous row's hash.

    Personal fields (the actor's label, emails in before/after) are hashed as salted commitments kept in
    `personal`, so that deleting an account can overwrite them with a pseudonym (and drop the salt) while the
    chain still verifies. Rows written before that (`personal` is NULL) are hashed with their values.
    """

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # No foreign keys: the log outlives what it describes.
    actor_user_id: int | None = Field(default=None, index=True)
    actor_label: str = Field(default="", max_length=255)
    action: str = Field(max_length=80, index=True)
    target_type: str = Field(max_length=40)
    target_id: str = Field(max_length=64)
    organization_id: int | None = Field(default=None, index=True)
    # A team's own work on its concept: the host organisation's view of the log leaves it out.
    team_private: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    request_id: str = Field(default="", max_length=64)
    # Path of each personal field ("actor_label", "after.email") -> its salted commitment (hashed with the row).
    personal: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # Path -> the salt of its commitment (not hashed); a pseudonymised field has none left.
    personal_salts: dict[str, str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    previous_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64, unique=True)
