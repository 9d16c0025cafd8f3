"""What the comments and feedback API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.challenges.models import Challenge
from app.kit import urls
from app.kit.bounds import Id
from app.kit.pagination import Page
from app.submissions.discussion import service as comments
from app.submissions.schemas import MAX_PAGE_SIZE


class CommentCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"body": "Flott idé! Har dere tenkt på vedlikehold?"}]}
    )

    # Lengths are documented here and checked by the service, so a refusal names the field with a translated message.
    body: str = Field(
        description="Plain text; line breaks are kept, nothing is rendered as markup.",
        json_schema_extra={"minLength": 1, "maxLength": comments.MAX_COMMENT},
    )
    parent_id: Id | None = Field(
        default=None, description="Reply to this comment (a reply to a reply joins the top-level comment)."
    )


class CommentUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"body": "Flott idé!"}]})

    body: str = Field(
        description="The new text, within 15 minutes of posting.",
        json_schema_extra={"minLength": 1, "maxLength": comments.MAX_COMMENT},
    )


class CommentRead(BaseModel):
    """A comment; a deleted or hidden one keeps its place with `body` null."""

    id: int
    url: str = Field(examples=["/challenges/gronne-tak/submissions/3#comment-12"])
    parent_id: int | None
    state: Literal["shown", "deleted", "hidden"]
    body: str | None
    author_name: str = Field(description="The author's display name, or “Deleted user”.")
    own: bool
    created_at: datetime
    edited_at: datetime | None
    hidden_reason: str | None = Field(description="Why the hosts hid it.")
    can_edit: bool
    can_delete: bool

    @classmethod
    def of(cls, entry: comments.CommentEntry, challenge: Challenge) -> CommentRead:
        comment = entry.comment
        return cls(
            id=comment.id or 0,
            url=urls.concept(challenge.slug, comment.submission_id, anchor=f"comment-{comment.id}"),
            parent_id=comment.parent_id, state=entry.state, body=entry.body,
            author_name=entry.author_name, own=entry.own, created_at=comment.created_at,
            edited_at=comment.edited_at,
            hidden_reason=comment.hidden_reason if comment.hidden_at else None,
            can_edit=entry.can_edit, can_delete=entry.can_delete,
        )  # fmt: skip


class CommentPage(Page[CommentRead]):
    """One page of a concept's comments, oldest first."""

    size: int = Field(ge=1, le=MAX_PAGE_SIZE, examples=[20])  # documented with this list's own cap


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"body": "Sterkt konsept. Vis gjerne kostnadene tydeligere."}]}
    )

    body: str = Field(
        description="Plain text, seen by the team and the hosts only.",
        json_schema_extra={"minLength": 1, "maxLength": comments.MAX_FEEDBACK},
    )


class FeedbackRead(BaseModel):
    id: int
    body: str
    author_name: str
    created_at: datetime
    edited_at: datetime | None
    can_edit: bool

    @classmethod
    def of(cls, entry: comments.FeedbackEntry) -> FeedbackRead:
        row = entry.feedback
        return cls(id=row.id or 0, body=row.body, author_name=entry.author_name, created_at=row.created_at,
                   edited_at=row.edited_at, can_edit=entry.can_edit)  # fmt: skip


class FeedbackList(BaseModel):
    items: list[FeedbackRead]
