"""Organisations: creation by platform admins, members, roles and invitations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app import i18n
from app.accounts import gdpr
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.config import get_settings
from app.db import utcnow
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import images, invitations, urls
from app.organizations import permissions
from app.organizations.models import Invitation, Membership, Organization, Role
from app.organizations.schemas import MAX_LOGO_BYTES, OrganizationCreate, OrganizationUpdate


class LastOwner(Conflict):
    type, title = "last-owner", "Last owner"


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    user: User


# --- organisations -----------------------------------------------------------------------------------------------


# Lists never need the logo's bytes; the logo has its own address.
_WITHOUT_LOGO = defer(Organization.logo)  # type: ignore[arg-type]


def list_organizations(session: Session) -> Sequence[Organization]:
    """Every organisation, by name."""
    return session.exec(select(Organization).options(_WITHOUT_LOGO).order_by(Organization.name)).all()


def page_of_organizations(session: Session, *, page: int, size: int) -> tuple[Sequence[Organization], int]:
    """One page of organisations by name, and how many there are in all."""
    total = session.exec(select(func.count()).select_from(Organization)).one()
    rows = session.exec(
        select(Organization)
        .options(_WITHOUT_LOGO)
        .order_by(Organization.name, col(Organization.id))
        .offset((page - 1) * size)
        .limit(size)
    ).all()
    return rows, int(total)


def get_by_slug(session: Session, *, slug: str) -> Organization:
    """The organisation with `slug` (organisations are public)."""
    organization = session.exec(select(Organization).where(Organization.slug == slug)).first()
    if organization is None:
        raise NotFound(_("No such organisation."))
    return organization


def organizations_of(session: Session, *, actor: Actor) -> list[tuple[Organization, Role | None]]:
    """The organisations `actor` works in with their role (platform admins: every organisation)."""
    if actor.is_platform_admin:
        organizations = session.exec(select(Organization).order_by(Organization.name)).all()
    elif actor.roles:
        organizations = session.exec(
            select(Organization).where(col(Organization.id).in_(list(actor.roles))).order_by(Organization.name)
        ).all()
    else:
        organizations = []
    return [(organization, actor.role_in(organization.id)) for organization in organizations]


def snapshot(organization: Organization) -> dict[str, Any]:
    """The organisation as the audit log records it (the logo by type and size, not its bytes)."""
    return {
        "slug": organization.slug,
        "name": organization.name,
        "kind": str(organization.kind),
        "description": organization.description,
        "website": organization.website,
        "timezone": organization.timezone,
        "default_language": organization.default_language,
        "logo_content_type": organization.logo_content_type,
        "logo_bytes": len(organization.logo) if organization.logo else 0,
    }


def _slug_taken() -> Conflict:
    return Conflict(_("That address is already used by another organisation."), field="slug")


def create_organization(session: Session, *, actor: Actor, data: OrganizationCreate, now: datetime) -> Organization:
    """A new organisation (platform admins only); the slug must be free."""
    permissions.check_create_organization(actor)
    if session.exec(select(Organization.id).where(Organization.slug == data.slug)).first() is not None:
        raise _slug_taken()
    organization = Organization(**data.model_dump(mode="json"), created_at=now)
    try:
        # A concurrent request may take the slug between the check and the insert; the unique index decides.
        with session.begin_nested():
            session.add(organization)
            session.flush()
    except IntegrityError as error:
        raise _slug_taken() from error
    audit.record(
        session, actor=actor, action="organization.create", target_type="organization", target_id=organization.id,
        organization_id=organization.id, after=snapshot(organization), now=now,
    )  # fmt: skip
    return organization


def update_organization(
    session: Session, *, actor: Actor, organization: Organization, data: OrganizationUpdate, now: datetime
) -> Organization:
    """Change the organisation's details (its owners and admins, or platform admins)."""
    permissions.check_edit_organization(actor, organization)
    before = snapshot(organization)
    for name, value in data.model_dump(mode="json", exclude_unset=True).items():
        if value is not None:
            setattr(organization, name, value)
    session.add(organization)
    session.flush()
    after = snapshot(organization)
    if after != before:
        audit.record(
            session, actor=actor, action="organization.update", target_type="organization",
            target_id=organization.id, organization_id=organization.id, before=before, after=after, now=now,
        )  # fmt: skip
    return organization


def logo_image(content: bytes) -> images.Image:
    """A logo: a PNG, JPEG or WebP image judged by its content (never by the file name or a header), at most 1 MB."""
    return images.accept(
        content,
        max_bytes=MAX_LOGO_BYTES,
        too_large=_("The logo is larger than 1 MB. Please upload a smaller image."),
        not_an_image=_("The logo must be a PNG, JPEG or WebP image."),
    )


def logo_content_type(content: bytes) -> str:
    """The image type of `content`, judged by its first bytes (never by the file name or a header)."""
    return logo_image(content).content_type


def logo_of(organization: Organization) -> tuple[bytes, str]:
    """The organisation's logo and its image type; a 404 when it has none."""
    if not organization.logo or not organization.logo_content_type:
        raise NotFound(_("This organisation has no logo."))
    return organization.logo, organization.logo_content_type


def set_logo(session: Session, *, actor: Actor, organization: Organization, content: bytes, now: datetime) -> None:
    """Replace the organisation's logo with an image checked by content and size."""
    permissions.check_edit_organization(actor, organization)
    logo = logo_image(content)
    before = snapshot(organization)
    organization.logo = logo.content
    organization.logo_content_type = logo.content_type
    session.add(organization)
    session.flush()
    audit.record(
        session, actor=actor, action="organization.logo", target_type="organization", target_id=organization.id,
        organization_id=organization.id, before=before, after=snapshot(organization), now=now,
    )  # fmt: skip


# --- members -----------------------------------------------------------------------------------------------------


def _require_member_view(actor: Actor, organization: Organization) -> None:
    if not permissions.can_view_members(actor, organization):
        # Outsiders may not even learn who the members are.
        raise NotFound(_("No such organisation member list."))


def list_members(session: Session, *, actor: Actor, organization: Organization) -> list[MemberRow]:
    """The organisation's members, owners first (visible to members and platform admins)."""
    _require_member_view(actor, organization)
    rows = session.exec(
        select(Membership, User)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.organization_id == organization.id)
        .order_by(col(Membership.created_at), col(Membership.id))
    ).all()
    order = {Role.OWNER: 0, Role.ADMIN: 1, Role.EDITOR: 2}
    members = [MemberRow(membership, user) for membership, user in rows]
    return sorted(members, key=lambda row: (order[Role(row.membership.role)], row.user.display_name.lower()))


def _lock(session: Session, organization: Organization) -> None:
    """Serialise role changes per organisation, so two owners cannot demote each other at once."""
    session.exec(select(Organization.id).where(Organization.id == organization.id).with_for_update()).first()


def _membership(session: Session, organization: Organization, user_id: int) -> Membership:
    membership = session.exec(
        select(Membership).where(Membership.organization_id == organization.id, Membership.user_id == user_id)
    ).first()
    if membership is None:
        raise NotFound(_("This person is not a member of the organisation."))
    return membership


def _owner_count(session: Session, organization: Organization) -> int:
    statement = select(func.count()).where(Membership.organization_id == organization.id, Membership.role == Role.OWNER)
    return int(session.exec(statement).one())


def _refuse_losing_last_owner(session: Session, organization: Organization, membership: Membership) -> None:
    if Role(membership.role) is Role.OWNER and _owner_count(session, organization) <= 1:
        raise LastOwner(_("The organisation must keep at least one owner. Make someone else an owner first."))


def _membership_snapshot(membership: Membership) -> dict[str, Any]:
    return {"user_id": membership.user_id, "role": str(membership.role)}


def role_named(value: str) -> Role:
    """The role a form chose by its value; refused when it is not one of the roles."""
    if value not in {role.value for role in Role}:
        raise ValidationFailed(_("Choose a role from the list."))
    return Role(value)


def change_role(
    session: Session, *, actor: Actor, organization: Organization, user_id: int, role: Role, now: datetime
) -> Membership:
    """Give a member another role; only owners touch owners, and the last owner stays an owner."""
    _require_member_view(actor, organization)
    _lock(session, organization)
    membership = _membership(session, organization, user_id)
    current = Role(membership.role)
    if not permissions.can_change_role(actor, organization, current, role):
        raise Forbidden(_("You cannot change this member's role."))
    if current is role:
        return membership
    if role is not Role.OWNER:
        _refuse_losing_last_owner(session, organization, membership)
    before = _membership_snapshot(membership)
    membership.role = role
    session.add(membership)
    session.flush()
    _record(
        session,
        actor=actor,
        organization=organization,
        target=membership,
        action="membership.role",
        before=before,
        now=now,
    )
    return membership


def _delete_membership(
    session: Session, *, actor: Actor, organization: Organization, membership: Membership, action: str, now: datetime
) -> None:
    _refuse_losing_last_owner(session, organization, membership)
    before = _membership_snapshot(membership)
    membership_id = membership.id
    session.delete(membership)
    session.flush()
    audit.record(
        session, actor=actor, action=action, target_type="membership", target_id=membership_id,
        organization_id=organization.id, before=before, now=now,
    )  # fmt: skip


def remove_member(session: Session, *, actor: Actor, organization: Organization, user_id: int, now: datetime) -> None:
    """Take a member out of the organisation (admins cannot remove owners; the last owner stays)."""
    _require_member_view(actor, organization)
    _lock(session, organization)
    membership = _membership(session, organization, user_id)
    if not permissions.can_remove_member(actor, organization, Role(membership.role)):
        raise Forbidden(_("You cannot remove this member."))
    _delete_membership(
        session, actor=actor, organization=organization, membership=membership, action="membership.remove", now=now
    )


def leave(session: Session, *, actor: Actor, organization: Organization, now: datetime) -> None:
    """The actor leaves the organisation (unless they are its last owner)."""
    if not permissions.can_leave(actor, organization) or actor.user_id is None:
        raise NotFound(_("You are not a member of this organisation."))
    _lock(session, organization)
    membership = _membership(session, organization, actor.user_id)
    _delete_membership(
        session, actor=actor, organization=organization, membership=membership, action="membership.leave", now=now
    )


# --- invitations -------------------------------------------------------------------------------------------------


def _invitation_snapshot(invitation: Invitation) -> dict[str, Any]:
    return {
        "email": invitation.email,
        "role": str(invitation.role),
        "expires_at": invitation.expires_at.isoformat(),
        "accepted_at": invitation.accepted_at.isoformat() if invitation.accepted_at else None,
        "revoked_at": invitation.revoked_at.isoformat() if invitation.revoked_at else None,
    }


def _record(
    session: Session,
    *,
    actor: Actor,
    organization: Organization,
    target: Membership | Invitation,
    action: str,
    before: dict[str, Any] | None = None,
    now: datetime,
) -> None:
    """Audit a change to a membership or an invitation of `organization`, with how it looks now."""
    if isinstance(target, Membership):
        target_type, after = "membership", _membership_snapshot(target)
    else:
        target_type, after = "invitation", _invitation_snapshot(target)
    audit.record(
        session,
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target.id,
        organization_id=organization.id,
        before=before,
        after=after,
        now=now,
    )


def _send_invitation(
    session: Session, *, actor: Actor, organization: Organization, invitation: Invitation, raw_token: str, now: datetime
) -> None:
    """Email the invitation in the invitee's language if they have an account, else the organisation's."""
    invitee = session.exec(select(User).where(User.email == invitation.email)).first()
    language = invitee.language if invitee is not None else organization.default_language
    with i18n.language(language):
        expires = i18n.format_datetime(invitation.expires_at, organization.timezone)
    outbox.enqueue_email(
        session,
        to=invitation.email,
        template="invitation",
        language=language,
        context={
            "organization": organization,
            "role": str(invitation.role),
            "inviter": actor.user.display_name if actor.user else "Samskap",
            "link": urls.organisation_invitation(raw_token),
            "expires": expires,
        },
        now=now,
    )


def list_invitations(
    session: Session, *, actor: Actor, organization: Organization, open_only: bool = True
) -> Sequence[Invitation]:
    """The organisation's invitations, newest first (open ones only: neither accepted nor revoked)."""
    if not permissions.can_manage_invitations(actor, organization):
        _require_member_view(actor, organization)
        raise Forbidden(_("Only owners and admins can see invitations."))
    statement = select(Invitation).where(Invitation.organization_id == organization.id)
    if open_only:
        statement = statement.where(col(Invitation.accepted_at).is_(None), col(Invitation.revoked_at).is_(None))
    return session.exec(statement.order_by(col(Invitation.created_at).desc(), col(Invitation.id).desc())).all()


def invite(
    session: Session, *, actor: Actor, organization: Organization, email: str, role: Role, now: datetime
) -> Invitation:
    """Invite `email` to join with `role`; the email carries a single-use link."""
    if not permissions.can_manage_invitations(actor, organization):
        _require_member_view(actor, organization)
        raise Forbidden(_("Only owners and admins can invite members."))
    if not permissions.can_grant_role(actor, organization, role):
        raise Forbidden(_("Only owners can invite new owners."))
    email = email.strip().lower()
    already_member = session.exec(
        select(Membership.id)
        .join(User, col(User.id) == Membership.user_id)
        .where(Membership.organization_id == organization.id, User.email == email)
    ).first()
    if already_member is not None:
        raise Conflict(_("%(email)s is already a member of the organisation.") % {"email": email}, field="email")
    pending = session.exec(
        select(Invitation.id).where(
            Invitation.organization_id == organization.id,
            Invitation.email == email,
            *invitations.pending_conditions(Invitation, now),
        )
    ).first()
    if pending is not None:
        raise Conflict(
            _("%(email)s has already been invited. Resend or revoke that invitation instead.") % {"email": email},
            field="email",
        )
    token = invitations.issue_token()
    invitation = Invitation(
        organization_id=organization.id,  # type: ignore[arg-type]
        email=email,
        role=role,
        token_hash=token.hash,
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=get_settings().invitation_days),
    )
    session.add(invitation)
    session.flush()
    _send_invitation(
        session, actor=actor, organization=organization, invitation=invitation, raw_token=token.raw, now=now
    )
    _record(session, actor=actor, organization=organization, target=invitation, action="invitation.create", now=now)
    return invitation


def _open_invitation(session: Session, *, actor: Actor, organization: Organization, invitation_id: int) -> Invitation:
    if not permissions.can_manage_invitations(actor, organization):
        _require_member_view(actor, organization)
        raise Forbidden(_("Only owners and admins can manage invitations."))
    invitation = session.get(Invitation, invitation_id)
    if invitation is None or invitation.organization_id != organization.id:
        raise NotFound(_("No such invitation."))
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise Conflict(_("This invitation has already been accepted or revoked."))
    return invitation


def revoke_invitation(
    session: Session, *, actor: Actor, organization: Organization, invitation_id: int, now: datetime
) -> Invitation:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    invitation = _open_invitation(session, actor=actor, organization=organization, invitation_id=invitation_id)
    before = _invitation_snapshot(invitation)
    invitation.revoked_at = now
    session.add(invitation)
    session.flush()
    _record(
        session,
        actor=actor,
        organization=organization,
        target=invitation,
        action="invitation.revoke",
        before=before,
        now=now,
    )
    return invitation


def resend_invitation(
    session: Session, *, actor: Actor, organization: Organization, invitation_id: int, now: datetime
) -> Invitation:
    """Send an open invitation again with a fresh link and expiry (the old link stops working)."""
    invitation = _open_invitation(session, actor=actor, organization=organization, invitation_id=invitation_id)
    before = _invitation_snapshot(invitation)
    token = invitations.issue_token()
    invitation.token_hash = token.hash
    invitation.expires_at = now + timedelta(days=get_settings().invitation_days)
    session.add(invitation)
    session.flush()
    _send_invitation(
        session, actor=actor, organization=organization, invitation=invitation, raw_token=token.raw, now=now
    )
    _record(
        session,
        actor=actor,
        organization=organization,
        target=invitation,
        action="invitation.resend",
        before=before,
        now=now,
    )
    return invitation


def invitation_by_token(session: Session, *, raw_token: str) -> tuple[Invitation, Organization]:
    """The invitation behind a link, with its organisation (whoever holds the link may see both)."""
    invitation = invitations.by_token(session, Invitation, raw_token=raw_token)
    organization = session.get(Organization, invitation.organization_id) if invitation is not None else None
    if invitation is None or organization is None:
        raise NotFound(_("This invitation link is not valid. Ask the organisation to send you a new one."))
    return invitation, organization


def _unusable_messages() -> invitations.UnusableMessages:
    # Built per call: the messages are translated into the language of the request.
    return invitations.UnusableMessages(
        accepted=_("This invitation has already been used."),
        revoked=_("This invitation has been withdrawn or declined."),
        expired=_("This invitation has expired. Ask the organisation to send you a new one."),
    )


def check_usable(invitation: Invitation, *, now: datetime) -> None:
    """Refuse, with a message people understand, an invitation that was used, revoked or has expired."""
    invitations.check_usable(invitation, now=now, messages=_unusable_messages())


def is_for(invitation: Invitation, actor: Actor) -> bool:
    """True when the signed-in actor has the email address the invitation was sent to."""
    return invitations.is_for(invitation, actor)


def _claim(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> tuple[Invitation, Organization]:
    invitation, organization = invitation_by_token(session, raw_token=raw_token)
    invitation = invitations.claim(session, invitation, actor=actor, now=now, messages=_unusable_messages())
    return invitation, organization


def accept_invitation(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> Membership:
    """Join the organisation with the invited role (the actor must have the invited email address)."""
    invitation, organization = _claim(session, actor=actor, raw_token=raw_token, now=now)
    assert actor.user_id is not None  # noqa: S101  (is_for checked there is a user)
    existing = session.exec(
        select(Membership.id).where(Membership.organization_id == organization.id, Membership.user_id == actor.user_id)
    ).first()
    if existing is not None:
        raise Conflict(_("You are already a member of %(name)s.") % {"name": organization.name})
    before = _invitation_snapshot(invitation)
    invitation.accepted_at = now
    membership = Membership(
        organization_id=organization.id,  # type: ignore[arg-type]
        user_id=actor.user_id,
        role=invitation.role,
        created_at=now,
    )
    session.add_all([invitation, membership])
    session.flush()
    _record(
        session,
        actor=actor,
        organization=organization,
        target=invitation,
        action="invitation.accept",
        before=before,
        now=now,
    )
    _record(session, actor=actor, organization=organization, target=membership, action="membership.create", now=now)
    return membership


def decline_invitation(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> Organization:
    """Say no to an invitation; its link stops working."""
    invitation, organization = _claim(session, actor=actor, raw_token=raw_token, now=now)
    before = _invitation_snapshot(invitation)
    invitation.revoked_at = now
    session.add(invitation)
    session.flush()
    _record(
        session,
        actor=actor,
        organization=organization,
        target=invitation,
        action="invitation.decline",
        before=before,
        now=now,
    )
    return organization


# --- personal data -----------------------------------------------------------------------------------------------


def export_memberships(session: Session, user: User) -> list[dict[str, Any]]:
    """A user's memberships, for their data export (GDPR)."""
    rows = session.exec(
        select(Membership, Organization)
        .join(Organization, col(Organization.id) == Membership.organization_id)
        .where(Membership.user_id == user.id)
        .order_by(Organization.name)
    ).all()
    return [
        {"organization": org.name, "slug": org.slug, "role": str(m.role), "since": m.created_at.isoformat()}
        for m, org in rows
    ]


def organizations_by_id(session: Session, *, ids: set[int]) -> dict[int, Organization]:
    """The organisations with these ids, by id (one query)."""
    if not ids:
        return {}
    rows = session.exec(select(Organization).where(col(Organization.id).in_(sorted(ids)))).all()
    return {org.id: org for org in rows if org.id is not None}


def leave_all_on_deletion(session: Session, user: User) -> None:
    """A deleted account leaves every organisation; the last owner of one must hand it over first."""
    actor = Actor(user=user, roles={}, via="session")
    now = user.deleted_at or utcnow()
    memberships = session.exec(
        select(Membership).where(Membership.user_id == user.id).order_by(col(Membership.id))
    ).all()
    for membership in memberships:
        organization = session.get(Organization, membership.organization_id)
        assert organization is not None  # noqa: S101  (the foreign key guarantees it)
        _lock(session, organization)
        _delete_membership(
            session, actor=actor, organization=organization, membership=membership, action="membership.leave", now=now
        )


# The data export ("download my data") includes the user's memberships; registering again replaces, so once is safe.
gdpr.register_exporter("memberships", export_memberships)
gdpr.register_anonymiser(leave_all_on_deletion)


# --- telling an organisation -------------------------------------------------------------------------------------


def administrators(session: Session, *, organization: Organization) -> Sequence[User]:
    """The organisation's owners and admins with an active account, oldest membership first (one query)."""
    return session.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(
            Membership.organization_id == organization.id,
            col(Membership.role).in_([Role.OWNER, Role.ADMIN]),
            col(User.is_active),
        )
        .order_by(col(Membership.id))
    ).all()


def email_administrators(
    session: Session, *, organization: Organization, template: str, context: dict[str, Any], now: datetime
) -> int:
    """Queue `emails/<template>.txt` for each owner and admin, in each one's language; how many were queued.

    The template also gets `base_url` to build links with.
    """
    people = administrators(session, organization=organization)
    for person in people:
        outbox.enqueue_email(
            session, to=person.email, template=template, language=person.language,
            context={"base_url": urls.absolute(""), "organization": organization, **context},
            now=now,
        )  # fmt: skip
    return len(people)
