"""What the audit API returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from app.audit.models import AuditEvent
from app.kit.pagination import Page


class AuditEventRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 12,
                    "occurred_at": "2026-11-25T12:00:00Z",
                    "actor_user_id": 3,
                    "actor_label": "Kari Nordmann <kari@halden.kommune.no>",
                    "action": "membership.role",
                    "target_type": "membership",
                    "target_id": "8",
                    "organization_id": 1,
                    "before": {"user_id": 7, "role": "editor"},
                    "after": {"user_id": 7, "role": "admin"},
                    "request_id": "5f0c2d0e9f6b4a55a0a1b8c1d2e3f4a5",
                    "hash": "9b1d…",
                }
            ]
        }
    )

    id: int
    occurred_at: datetime
    actor_user_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    organization_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str
    hash: str

    @classmethod
    def from_model(cls, event: AuditEvent) -> AuditEventRead:
        return cls.model_validate(event, from_attributes=True)


class AuditEventPage(Page[AuditEventRead]):
    pass
