"""Who may read the audit log, and which part of it: pure predicates, no queries."""

from __future__ import annotations

from app.actor import Actor
from app.errors import Forbidden
from app.i18n import gettext as _


def can_view_audit_log(actor: Actor) -> bool:
    """Platform admins read everything; owners and admins read their own organisations' events."""
    return actor.is_platform_admin or any(actor.administers(org_id) for org_id in actor.roles)


def can_view_organization_events(actor: Actor, organization_id: int | None) -> bool:
    return actor.is_platform_admin or actor.administers(organization_id)


def visible_organization_ids(actor: Actor) -> frozenset[int] | None:
    """The organisations whose events `actor` may read; None means every event (platform admins)."""
    if actor.is_platform_admin:
        return None
    return frozenset(org_id for org_id in actor.roles if actor.administers(org_id))


def check_view_audit_log(actor: Actor) -> None:
    """Refuse (403) unless `actor` may read some part of the audit log."""
    if not can_view_audit_log(actor):
        raise Forbidden(_("Only platform administrators and organisation owners and admins can read the audit log."))
