"""Factories: valid objects with plausible Nordic data, overridable per test."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlmodel import Session

from app.accounts.models import User
from app.organizations.models import Membership, Organization, OrganizationKind, Role
from app.security import hash_password

PASSWORD = "riktig-hest-batteri-stift"
_sequence = itertools.count(1)
_VERIFIED_AT = datetime(2026, 1, 1, tzinfo=UTC)


@cache
def password_hash() -> str:
    """One Argon2 hash for the shared test password (hashing is deliberately slow)."""
    return hash_password(PASSWORD)


def make_user(
    db: Session,
    *,
    email: str | None = None,
    display_name: str | None = None,
    verified: bool = True,
    platform_admin: bool = False,
    language: str = "nb",
    **fields: Any,
) -> User:
    n = next(_sequence)
    user = User(
        email=(email or f"innbygger{n}@example.no").lower(),
        display_name=display_name or f"Kari Nordmann {n}",
        password_hash=password_hash(),
        email_verified_at=_VERIFIED_AT if verified else None,
        is_platform_admin=platform_admin,
        language=language,
        **fields,
    )
    db.add(user)
    db.flush()
    return user


def make_organization(db: Session, *, slug: str | None = None, name: str | None = None, **fields: Any) -> Organization:
    n = next(_sequence)
    fields.setdefault("kind", OrganizationKind.MUNICIPALITY)
    organization = Organization(slug=slug or f"kommune-{n}", name=name or f"Testkommune {n}", **fields)
    db.add(organization)
    db.flush()
    return organization


def make_member(db: Session, organization: Organization, *, role: Role = Role.EDITOR, user: User | None = None) -> User:
    member = user or make_user(db)
    db.add(Membership(organization_id=organization.id, user_id=member.id, role=role))  # type: ignore[arg-type]
    db.flush()
    return member
