"""What other domains' pages show of organisations: the organisations a page may offer the actor to choose."""

from __future__ import annotations

from sqlmodel import Session

from app.actor import Actor
from app.audit import permissions as audit_permissions
from app.organizations import service
from app.organizations.models import Organization


def with_readable_audit_events(session: Session, *, actor: Actor) -> list[Organization]:
    """The organisations whose audit events `actor` may read, for the audit log's organisation filter."""
    return [
        organization
        for organization, _role in service.organizations_of(session, actor=actor)
        if audit_permissions.can_view_organization_events(actor, organization.id)
    ]
