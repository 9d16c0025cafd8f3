"""What the API accepts and returns for organisations, members and invitations."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from app.i18n import LANGUAGES
from app.i18n import gettext as _
from app.kit import invitations
from app.kit.pagination import Page
from app.organizations.models import Invitation, Organization, OrganizationKind, Role

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$")
MAX_LOGO_BYTES = 1024 * 1024


class Language(StrEnum):
    NB = "nb"
    SV = "sv"
    EN = "en"


assert set(LANGUAGES) == {language.value for language in Language}  # noqa: S101  (kept in step with i18n)


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_timezone(name: str) -> bool:
    return name in _timezones()


def _check_slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise ValueError(
            _("Use 2 to 60 lowercase letters (a–z), digits and hyphens, not starting or ending with a hyphen.")
        )
    return value


def _check_timezone(value: str) -> str:
    if not is_timezone(value):
        raise ValueError(_("Choose a valid time zone, such as Europe/Oslo."))
    return value


def _check_website(value: str) -> str:
    value = value.strip()
    if value and (not value.startswith(("https://", "http://")) or any(ch.isspace() for ch in value)):
        raise ValueError(_("Enter a web address starting with https://, or leave the field empty."))
    return value


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "slug": "halden",
                    "name": "Halden kommune",
                    "kind": "municipality",
                    "description": "Kommunen ved svenskegrensen.",
                    "website": "https://www.halden.kommune.no",
                    "timezone": "Europe/Oslo",
                    "default_language": "nb",
                }
            ]
        },
    )

    slug: str = Field(min_length=2, max_length=60, examples=["halden"])
    name: str = Field(min_length=1, max_length=120, examples=["Halden kommune"])
    kind: OrganizationKind = Field(examples=[OrganizationKind.MUNICIPALITY])
    description: str = Field(default="", max_length=2000)
    website: str = Field(default="", max_length=255, examples=["https://www.halden.kommune.no"])
    timezone: str = Field(default="Europe/Oslo", max_length=64, examples=["Europe/Oslo"])
    default_language: Language = Language.NB

    @field_validator("slug", mode="before")
    @classmethod
    def _slug(cls, value: Any) -> str:
        return _check_slug(str(value).strip())

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return _check_timezone(value)

    @field_validator("website")
    @classmethod
    def _website(cls, value: str) -> str:
        return _check_website(value)

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Enter the organisation's name."))
        return value.strip()


class OrganizationUpdate(BaseModel):
    """Fields to change; the slug stays (it is in every address)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"name": "Halden kommune", "timezone": "Europe/Oslo"}]}
    )

    name: str | None = Field(default=None, min_length=1, max_length=120)
    kind: OrganizationKind | None = None
    description: str | None = Field(default=None, max_length=2000)
    website: str | None = Field(default=None, max_length=255)
    timezone: str | None = Field(default=None, max_length=64)
    default_language: Language | None = None

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError(_("Enter the organisation's name."))
        return value.strip() if value is not None else None

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        return _check_timezone(value) if value is not None else None

    @field_validator("website")
    @classmethod
    def _website(cls, value: str | None) -> str | None:
        return _check_website(value) if value is not None else None


class OrganizationRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "slug": "halden",
                    "name": "Halden kommune",
                    "kind": "municipality",
                    "description": "Kommunen ved svenskegrensen.",
                    "website": "https://www.halden.kommune.no",
                    "timezone": "Europe/Oslo",
                    "default_language": "nb",
                    "logo_url": "/organisations/halden/logo",
                    "url": "/organisations/halden",
                    "created_at": "2026-11-25T12:00:00Z",
                }
            ]
        }
    )

    id: int
    slug: str
    name: str
    kind: OrganizationKind
    description: str
    website: str
    timezone: str
    default_language: str
    logo_url: str | None
    url: str
    created_at: datetime

    @classmethod
    def from_model(cls, organization: Organization) -> OrganizationRead:
        return cls(
            id=organization.id or 0,
            slug=organization.slug,
            name=organization.name,
            kind=organization.kind,
            description=organization.description,
            website=organization.website,
            timezone=organization.timezone,
            default_language=organization.default_language,
            logo_url=f"/organisations/{organization.slug}/logo" if organization.logo_content_type else None,
            url=f"/organisations/{organization.slug}",
            created_at=organization.created_at,
        )


class OrganizationPage(Page[OrganizationRead]):
    pass


class MemberRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"user_id": 7, "display_name": "Kari Nordmann", "email": "kari@halden.kommune.no", "role": "admin",
                 "joined_at": "2026-11-25T12:00:00Z"}
            ]
        }
    )  # fmt: skip

    user_id: int
    display_name: str
    email: str
    role: Role
    joined_at: datetime


class MemberPage(Page[MemberRead]):
    pass


class MembershipUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "admin"}]})

    role: Role


# The organisation API's names for `invitations.InvitationState`, without "declined": a declined organisation
# invitation is stored as revoked (its table keeps no `declined_at`), so the documented enum keeps its four values.
# (A comment, not a docstring: a docstring would become the schema's description in the OpenAPI document.)
class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


def invitation_status(invitation: Invitation, now: datetime) -> InvitationStatus:
    """Where the invitation stands at `now`."""
    return InvitationStatus(invitations.state(invitation, now).value)


class InvitationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"email": "ola@halden.kommune.no", "role": "editor"}]}
    )

    email: EmailStr = Field(max_length=254)
    role: Role = Role.EDITOR

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.strip().lower()


class InvitationRead(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"id": 3, "email": "ola@halden.kommune.no", "role": "editor", "status": "pending",
                 "created_at": "2026-11-25T12:00:00Z", "expires_at": "2026-12-09T12:00:00Z"}
            ]
        }
    )  # fmt: skip

    id: int
    email: str
    role: Role
    status: InvitationStatus
    created_at: datetime
    expires_at: datetime

    @classmethod
    def from_model(cls, invitation: Invitation, now: datetime) -> InvitationRead:
        return cls(
            id=invitation.id or 0,
            email=invitation.email,
            role=invitation.role,
            status=invitation_status(invitation, now),
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
        )


class InvitationPage(Page[InvitationRead]):
    pass
