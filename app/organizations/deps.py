"""The organisation named in the path, looked up once per request (a 404 when there is none), and the guards
that refuse a caller before a form or body is read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from app.actor import Actor
from app.auth.deps import SignedInDep
from app.db import SessionDep
from app.organizations import permissions, service
from app.organizations.models import Organization


def organization_by_slug(slug: str, session: SessionDep) -> Organization:
    """The organisation `slug` (organisations are public)."""
    return service.get_by_slug(session, slug=slug)


OrganizationDep = Annotated[Organization, Depends(organization_by_slug)]


def signed_in_organization(slug: str, session: SessionDep, actor: SignedInDep) -> Organization:
    """As `organization_by_slug`, for signed-in callers: an anonymous one is refused (401) before the lookup."""
    return service.get_by_slug(session, slug=slug)


SignedInOrganizationDep = Annotated[Organization, Depends(signed_in_organization)]


def editable_organization(organization: SignedInOrganizationDep, actor: SignedInDep) -> Organization:
    """The organisation, when `actor` may change its details (its owners and admins, or platform admins)."""
    permissions.check_edit_organization(actor, organization)
    return organization


EditableOrganizationDep = Annotated[Organization, Depends(editable_organization)]


def organization_creator(actor: SignedInDep) -> Actor:
    """The caller, when they may create organisations: refused before the body is even read (the service checks
    again)."""
    permissions.check_create_organization(actor)
    return actor


CreatorDep = Annotated[Actor, Depends(organization_creator)]
