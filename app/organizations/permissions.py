"""Who may do what to an organisation, its members and its invitations: pure predicates, no queries."""

from __future__ import annotations

from app.actor import Actor
from app.errors import Forbidden
from app.i18n import gettext as _
from app.organizations.models import Organization, Role


def can_create_organization(actor: Actor) -> bool:
    return actor.is_platform_admin


def can_edit_organization(actor: Actor, organization: Organization) -> bool:
    return actor.is_platform_admin or actor.administers(organization.id)


def can_view_members(actor: Actor, organization: Organization) -> bool:
    """Member lists are private to the organisation's members (and platform admins)."""
    return actor.is_platform_admin or actor.is_member_of(organization.id)


def can_manage_invitations(actor: Actor, organization: Organization) -> bool:
    """Owners and admins invite, revoke and resend; what role they may hand out is `can_grant_role`."""
    return actor.is_platform_admin or actor.administers(organization.id)


def can_grant_role(actor: Actor, organization: Organization, role: Role) -> bool:
    """Owners (and platform admins) may grant any role; admins every role but owner."""
    if actor.is_platform_admin or actor.owns(organization.id):
        return True
    return actor.administers(organization.id) and role != Role.OWNER


def can_change_role(actor: Actor, organization: Organization, current: Role, new: Role) -> bool:
    """Admins manage editors and admins; only owners touch owners."""
    if actor.is_platform_admin or actor.owns(organization.id):
        return True
    return actor.administers(organization.id) and Role.OWNER not in (current, new)


def can_remove_member(actor: Actor, organization: Organization, current: Role) -> bool:
    if actor.is_platform_admin or actor.owns(organization.id):
        return True
    return actor.administers(organization.id) and current != Role.OWNER


def can_leave(actor: Actor, organization: Organization) -> bool:
    return actor.is_authenticated and actor.is_member_of(organization.id)


def grantable_roles(actor: Actor, organization: Organization) -> list[Role]:
    """The roles `actor` may hand out in `organization`, most powerful first."""
    return [role for role in Role if can_grant_role(actor, organization, role)]


# --- guards: the refusals a service or a lookup raises when a predicate says no -----------------------------------


def check_create_organization(actor: Actor) -> None:
    """Refuse (403) unless `actor` may create organisations."""
    if not can_create_organization(actor):
        raise Forbidden(_("Only platform administrators can create organisations."))


def check_edit_organization(actor: Actor, organization: Organization) -> None:
    """Refuse (403) unless `actor` may change the organisation's details and logo."""
    if not can_edit_organization(actor, organization):
        raise Forbidden(_("You cannot edit this organisation."))
