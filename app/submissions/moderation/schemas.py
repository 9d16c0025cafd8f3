"""What the reports and moderation API accepts and returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.kit.bounds import Id
from app.submissions.models import Report, ReportTarget
from app.submissions.moderation import service as moderation


class ReportCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"target_type": "comment", "target_id": 12, "reason": "Personangrep."}]},
    )

    target_type: ReportTarget
    target_id: Id
    reason: str = Field(
        description="What is wrong with it (for the hosts).",
        json_schema_extra={"minLength": 1, "maxLength": moderation.MAX_REASON},
    )


class ReportRead(BaseModel):
    id: int
    target_type: ReportTarget
    target_id: int
    reason: str
    created_at: datetime
    resolved_at: datetime | None
    resolution: str | None

    @classmethod
    def of(cls, report: Report) -> ReportRead:
        return cls(id=report.id or 0, target_type=ReportTarget(report.target_type), target_id=report.target_id,
                   reason=report.reason, created_at=report.created_at, resolved_at=report.resolved_at,
                   resolution=str(report.resolution) if report.resolution else None)  # fmt: skip


class ReasonWrite(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "Personangrep."}]})

    reason: str = Field(
        description="Shown to the author (and kept in the audit log).",
        json_schema_extra={"minLength": 1, "maxLength": moderation.MAX_HIDE_REASON},
    )


class ModerationItem(BaseModel):
    target_type: ReportTarget
    target_id: int
    title: str = Field(description="The concept's title (for a comment: the concept it is on).")
    text: str = Field(description="The concept's summary, or the comment's text.")
    author_name: str = Field(description="The comment's author; empty for a concept.")
    hidden_reason: str | None
    report_count: int
    reports: list[ReportRead]

    @classmethod
    def of(cls, group: moderation.Group) -> ModerationItem:
        target = group.target
        return cls(target_type=target.kind, target_id=target.id, title=group.title, text=group.text,
                   author_name=group.author, hidden_reason=target.hidden_reason if target.hidden_at else None,
                   report_count=group.count, reports=[ReportRead.of(r) for r, _name in group.reports])  # fmt: skip

    @classmethod
    def after(cls, target: moderation.Target) -> ModerationItem:
        """The concept or comment after a host's action (its open reports are all resolved by then)."""
        text = target.comment.body if target.comment is not None else target.submission.summary
        return cls(target_type=target.kind, target_id=target.id, title=target.submission.title, text=text,
                   author_name="", hidden_reason=target.hidden_reason if target.hidden_at else None,
                   report_count=0, reports=[])  # fmt: skip


class ModerationQueue(BaseModel):
    open: list[ModerationItem] = Field(description="Open reports grouped by what they report, most reported first.")
    hidden: list[ModerationItem] = Field(description="Hidden concepts and comments, newest first.")
