"""What the API accepts and returns for organisations, members and invitations."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, Generic, TypeVar
from zoneinfo import available_timezones

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator
from starlette.datastructures import URL

from app.errors import ValidationFailed
from app.i18n import LANGUAGES
from app.i18n import gettext as _
from app.organizations.models import Invitation, Organization, OrganizationKind, Role

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$")
MAX_LOGO_BYTES = 1024 * 1024
MAX_PAGE_SIZE = 100
# Page numbers beyond this would make offsets the databases cannot bind.
MAX_PAGE = 1_000_000
T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


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


class Problem(BaseModel):
    """An RFC 9457 problem (every API error has this shape)."""

    type: str = Field(examples=["/problems/not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No such organisation."])
    instance: str | None = Field(default=None, examples=["/api/v1/organisations/halden"])


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the error statuses a route can answer with."""
    descriptions = {
        401: "Sign-in required (no or unknown bearer token)",
        403: "Signed in, but not allowed to do this",
        404: "No such object, or not visible to you",
        409: "Conflicts with the current state",
        413: "The upload is too large",
        415: "The upload's content is not an accepted type",
        422: "Invalid input; `errors` lists the fields",
    }
    return {status: {"model": Problem, "description": descriptions[status]} for status in statuses}


class Page(BaseModel, Generic[T]):
    """One page of a list; `next` is the address of the following page, or null on the last one."""

    items: list[T]
    page: int = Field(ge=1, examples=[1])
    size: int = Field(ge=1, le=100, examples=[20])
    total: int = Field(ge=0, examples=[42])
    next: str | None = Field(default=None, examples=["http://testserver/api/v1/organisations?page=2&size=20"])


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


class InvitationStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"
    EXPIRED = "expired"


def invitation_status(invitation: Invitation, now: datetime) -> InvitationStatus:
    if invitation.accepted_at is not None:
        return InvitationStatus.ACCEPTED
    if invitation.revoked_at is not None:
        return InvitationStatus.REVOKED
    if invitation.expires_at <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.PENDING


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


def readable_message(error_type: str, context: Mapping[str, Any]) -> str:
    """A translated message for one of Pydantic's error types (its own messages are English only)."""
    if error_type in {"missing", "string_too_short"} and context.get("min_length", 1) <= 1:
        return _("This field is required.")
    if error_type == "string_too_short":
        return _("Use at least %(count)s characters.") % {"count": context["min_length"]}
    if error_type == "string_too_long":
        return _("Use at most %(count)s characters.") % {"count": context["max_length"]}
    if error_type in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if error_type in {"greater_than_equal", "greater_than"}:
        return _("Enter a number of at least %(limit)s.") % {"limit": context.get("ge", context.get("gt"))}
    if error_type in {"less_than_equal", "less_than"}:
        return _("Enter a number of at most %(limit)s.") % {"limit": context.get("le", context.get("lt"))}
    if error_type in {"enum", "literal_error"}:
        return _("Choose one of the options.")
    if error_type.startswith(("datetime", "date")):
        return _("Give the date and time, such as 2027-03-01 12:00.")
    return _("Check this field.")


def parse_form(model: type[M], data: Mapping[str, Any], messages: Mapping[str, str] | None = None) -> M:
    """`data` (a page form) as `model`; raises ValidationFailed with one message per field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        errors: dict[str, str] = {}
        for item in error.errors():
            field = str(item["loc"][0]) if item["loc"] else "form"
            if field in errors:
                continue
            if messages and field in messages:
                errors[field] = messages[field]
            elif item["type"] == "value_error":
                errors[field] = str(item["ctx"]["error"]) if "ctx" in item else item["msg"]
            else:
                errors[field] = readable_message(item["type"], item.get("ctx") or {})
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors) from error


def next_page_url(url: URL, *, page: int, size: int, total: int) -> str | None:
    """The address of the page after `page`, or None when `page` is the last one."""
    if page * size >= total:
        return None
    return str(url.include_query_params(page=page + 1, size=size))


def page_size(size: int) -> int:
    """Sizes above the cap are served as the cap, not refused."""
    return max(1, min(size, MAX_PAGE_SIZE))
