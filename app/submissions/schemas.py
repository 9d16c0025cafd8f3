"""What the submissions API accepts and returns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.actor import Actor
from app.challenges.models import Challenge
from app.i18n import gettext as _
from app.kit import invitations, urls
from app.kit.bounds import Id
from app.kit.pagination import Page
from app.submissions import permissions
from app.submissions.models import (
    Attachment,
    JoinRequestStatus,
    MemberRole,
    Submission,
    SubmissionStatus,
    SubmissionVersion,
    TeamInvitation,
)
from app.templating import render_markdown

MAX_BODY = 50_000
# The one cap on a page of concepts, comments or team-finder entries (larger sizes are served as this).
MAX_PAGE_SIZE = 50


@dataclass(frozen=True)
class Shown:
    """What a reader sees of a submission: the working copy (team) or a submitted version (everyone else)."""

    submission: Submission
    title: str
    summary: str
    body: str
    team_name: str
    attachments: list[Attachment]
    version: SubmissionVersion | None  # None: the working copy


def _title(value: str) -> str:
    if not value.strip():
        raise ValueError(_("Enter a title."))
    return value.strip()


class SubmissionCreate(BaseModel):
    """A new concept, saved as a draft; the one who starts it leads its team."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"title": "Grønne tak i sentrum", "summary": "Tak som samler regnvann.",
                                         "body": "## Idé\nVi vil …", "team_name": "Takfolket", "anonymous": False}]},
    )  # fmt: skip

    title: str = Field(min_length=1, max_length=140)
    summary: str = Field(default="", max_length=500)
    body: str = Field(default="", max_length=MAX_BODY, description="Markdown; sanitised on render.")
    team_name: str = Field(default="", max_length=120)
    anonymous: bool = Field(default=False, description='The public sees "Anonymous team" instead of the names.')

    @field_validator("title")
    @classmethod
    def _check_title(cls, value: str) -> str:
        return _title(value)


class SubmissionUpdate(BaseModel):
    """Changes to the working copy; fields left out stay as they are."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"summary": "Tak som samler regnvann."}]})

    title: str | None = Field(default=None, min_length=1, max_length=140)
    summary: str | None = Field(default=None, max_length=500)
    body: str | None = Field(default=None, max_length=MAX_BODY)
    team_name: str | None = Field(default=None, max_length=120)
    anonymous: bool | None = None

    @field_validator("title")
    @classmethod
    def _check_title(cls, value: str | None) -> str | None:
        return _title(value) if value is not None else None


class TeamInvitationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"email": "ola@example.no"}]})

    email: EmailStr = Field(max_length=254)

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class LeadHandOver(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"user_id": 42}]})

    user_id: Id = Field(description="A member of the team who becomes its lead.")


class TeamInvitationRead(BaseModel):
    id: int
    email: str
    status: invitations.InvitationState
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_model(cls, invitation: TeamInvitation, now: datetime) -> TeamInvitationRead:
        return cls(
            id=invitation.id or 0,
            email=invitation.email,
            status=invitations.state(invitation, now),
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class TeamMemberRead(BaseModel):
    user_id: int | None = Field(description="Shown to the team and the hosts only.")
    display_name: str
    role: MemberRole
    terms_accepted: bool | None = Field(description="Shown to the team and the hosts only.")


class AttachmentRead(BaseModel):
    id: int
    filename: str
    content_type: str
    size: int = Field(description="In bytes.")
    url: str = Field(examples=["/api/v1/challenges/gronne-tak/submissions/7/attachments/3"])


class SubmissionRead(BaseModel):
    """A concept as the caller may see it: the team reads its working copy, everyone else the newest version."""

    id: int
    challenge: str = Field(description="The challenge's slug.")
    url: str = Field(examples=["/challenges/gronne-tak/submissions/7"])
    status: SubmissionStatus
    working_copy: bool = Field(description="True when the text is the team's working copy, not a submitted version.")
    version: int | None = Field(description="The submitted version shown (null for the working copy).")
    version_count: int
    title: str
    summary: str
    body: str = Field(description="Markdown as written.")
    body_html: str = Field(description="The Markdown rendered and sanitised.")
    team_name: str | None = Field(description='Null when the team is anonymous to the caller ("Anonymous team").')
    anonymous: bool
    members: list[TeamMemberRead] = Field(description="Empty when the team is anonymous to the caller.")
    attachments: list[AttachmentRead]
    submitted_at: datetime | None
    updated_at: datetime


class VersionRead(BaseModel):
    number: int
    title: str
    summary: str
    body: str
    body_html: str
    team_name: str
    attachments: list[AttachmentRead]
    created_at: datetime


class VersionSummary(BaseModel):
    number: int
    title: str
    created_at: datetime
    url: str


class VersionDiff(BaseModel):
    """The text difference between two submitted versions, as a unified diff."""

    from_version: int
    to_version: int
    diff: str = Field(examples=["--- version 1\n+++ version 2\n@@ -1 +1 @@\n-Grønne tak\n+Grønne tak i sentrum\n"])


def attachment_url(challenge_slug: str, submission_id: int, attachment_id: int) -> str:
    return urls.api_concept(challenge_slug, submission_id, f"/attachments/{attachment_id}")


def attachments_read(challenge_slug: str, submission_id: int, files: list[Attachment]) -> list[AttachmentRead]:
    return [
        AttachmentRead(
            id=f.id or 0,
            filename=f.filename,
            content_type=f.content_type,
            size=f.size,
            url=attachment_url(challenge_slug, submission_id, f.id or 0),
        )
        for f in files
    ]


def team_is_shown(actor: Actor, submission: Submission, challenge: Challenge) -> bool:
    """An anonymous team's name and people are seen only by the team itself and the hosts."""
    return (
        not submission.anonymous
        or permissions.is_member(actor, submission)
        or permissions.runs_challenge(actor, challenge)
    )


def submission_read(shown: Shown, *, actor: Actor, challenge: Challenge, teams_hidden: bool = False) -> SubmissionRead:
    """What the API returns for `shown` to `actor`; `teams_hidden` hides every team but the actor's own (a juror
    under blind review)."""
    submission = shown.submission
    insider = permissions.is_member(actor, submission) or permissions.runs_challenge(actor, challenge)
    with_team = team_is_shown(actor, submission, challenge) and (
        not teams_hidden or permissions.is_member(actor, submission)
    )
    submission_id = submission.id or 0
    return SubmissionRead(
        id=submission_id,
        challenge=challenge.slug,
        url=urls.concept(challenge.slug, submission_id),
        status=submission.status,
        working_copy=shown.version is None,
        version=shown.version.number if shown.version else None,
        version_count=submission.version_count,
        title=shown.title,
        summary=shown.summary,
        body=shown.body,
        body_html=str(render_markdown(shown.body)),
        team_name=shown.team_name if with_team else None,
        anonymous=submission.anonymous,
        members=[
            TeamMemberRead(
                user_id=m.user_id if insider else None,
                display_name=m.user.display_name,
                role=m.role,
                terms_accepted=(m.terms_accepted_at is not None) if insider else None,
            )
            for m in submission.members
        ]
        if with_team
        else [],
        attachments=attachments_read(challenge.slug, submission_id, shown.attachments),
        submitted_at=submission.submitted_at,
        updated_at=submission.updated_at,
    )


def version_read(
    version: SubmissionVersion, *, challenge: Challenge, files: list[Attachment], team_hidden: bool = False
) -> VersionRead:
    """A submitted version as the API returns it; `team_hidden` leaves out the team's name (blind review)."""
    return VersionRead(
        number=version.number,
        title=version.title,
        summary=version.summary,
        body=version.body,
        body_html=str(render_markdown(version.body)),
        team_name="" if team_hidden else version.team_name,
        attachments=attachments_read(challenge.slug, version.submission_id, files),
        created_at=version.created_at,
    )


# --- the gallery (app/submissions/gallery_api.py) ----------------------------------------------------------------


class GalleryItemRead(SubmissionRead):
    """A concept in a listing, with what its gallery card shows besides the text."""

    comment_count: int = Field(ge=0, description="Comments shown (not deleted, not hidden by moderators).")
    hidden: bool = Field(description="Hidden by moderators: listed to the team and the hosts only, marked so.")
    cover_url: str | None = Field(examples=["/challenges/gronne-tak/submissions/7/cover/3f2a…"])


class GalleryPage(Page[GalleryItemRead]):
    """One page; `next` is the address of the following page (filters, sort and seed kept), or null on the last."""

    size: int = Field(ge=1, le=MAX_PAGE_SIZE, examples=[20])  # documented with this list's own cap
    seed: int | None = Field(description="The random order's seed; send it back to keep the same order.")


# --- team finder and join requests -------------------------------------------------------------------------------


class TeammateSearchWrite(BaseModel):
    """Your team-finder entry: what you can bring (or, as the lead of a draft team, whom the team looks for)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "Tjenestedesign og brukerintervjuer; kan Figma."}]}
    )

    note: str = Field(default="", max_length=500)


class TeamOfferRead(BaseModel):
    """A draft team looking for members: its name and size, never its concept."""

    submission_id: int
    team_name: str
    members: int
    team_size_max: int
    full: bool


class TeamFinderEntryRead(BaseModel):
    id: int
    display_name: str
    note: str
    team: TeamOfferRead | None = Field(description="Set when the entry is a draft team's lead looking for members.")
    mine: bool
    updated_at: datetime


class TeamFinderPage(Page[TeamFinderEntryRead]):
    """One page of the team finder; visitors who are not signed in get only `total`."""

    size: int = Field(ge=1, le=MAX_PAGE_SIZE, examples=[20])  # documented with this list's own cap


class JoinRequestCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"note": "Jeg er landskapsarkitekt og vil gjerne bidra."}]}
    )

    note: str = Field(default="", max_length=500)


class JoinRequestRead(BaseModel):
    id: int
    submission_id: int
    team_name: str
    requester: str = Field(description="The display name of the person who asks.")
    note: str
    status: JoinRequestStatus
    created_at: datetime
    decided_at: datetime | None
