"""Who is acting: a signed-in user (by session or token) with their organisation roles, or nobody.

Below every domain: the user is described by what the actor needs of it, and the roles are the vocabulary every
domain's permissions speak (`app.auth` builds actors from the accounts and organisations tables)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, Protocol


class Role(StrEnum):
    """A member's role in an organisation (stored in `memberships.role`)."""

    OWNER = "owner"
    ADMIN = "admin"
    EDITOR = "editor"


class ActingUser(Protocol):
    """What an actor needs of its user (the accounts domain's `User` row is one)."""

    @property
    def id(self) -> int | None: ...
    @property
    def email(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def is_platform_admin(self) -> bool: ...
    @property
    def email_verified(self) -> bool: ...


ADMIN_ROLES = frozenset({Role.OWNER, Role.ADMIN})


@dataclass(frozen=True)
class Actor:
    user: ActingUser | None = None
    roles: Mapping[int, Role] = field(default_factory=dict)
    via: Literal["anonymous", "session", "token", "system"] = "anonymous"
    session_id: int | None = None
    token_id: int | None = None

    @classmethod
    def anonymous(cls) -> Actor:
        return cls()

    @classmethod
    def system(cls) -> Actor:
        """The platform itself (CLI commands, demo data)."""
        return cls(via="system")

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def is_platform_admin(self) -> bool:
        return self.via == "system" or bool(self.user and self.user.is_platform_admin)

    @property
    def email_verified(self) -> bool:
        return bool(self.user and self.user.email_verified)

    @property
    def label(self) -> str:
        if self.user is not None:
            return f"{self.user.display_name} <{self.user.email}>"
        return "system" if self.via == "system" else "anonymous"

    def role_in(self, organization_id: int | None) -> Role | None:
        return self.roles.get(organization_id) if organization_id is not None else None

    def is_member_of(self, organization_id: int | None) -> bool:
        return self.role_in(organization_id) is not None

    def administers(self, organization_id: int | None) -> bool:
        return self.role_in(organization_id) in ADMIN_ROLES

    def owns(self, organization_id: int | None) -> bool:
        return self.role_in(organization_id) == Role.OWNER

    def edits_for(self, organization_ids: Iterable[int]) -> bool:
        """True when the actor has any role in one of `organization_ids`."""
        return any(self.is_member_of(org_id) for org_id in organization_ids)
