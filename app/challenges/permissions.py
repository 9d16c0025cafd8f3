"""Who may do what to a challenge: pure predicates over the actor, the challenge and the phase table."""

from __future__ import annotations

from datetime import datetime

from app.actor import Actor
from app.challenges.models import Challenge, Status
from app.challenges.phases import Action, allows
from app.organizations.models import Organization


def _runs(actor: Actor, challenge: Challenge) -> bool:
    """A member (editor or more) of the host or a co-host, or a platform admin."""
    return actor.is_platform_admin or actor.edits_for(challenge.host_ids)


def is_host(actor: Actor, challenge: Challenge) -> bool:
    """A member (editor or more) of the host organisation itself, or a platform admin."""
    return actor.is_platform_admin or actor.is_member_of(challenge.host_id)


def can_create(actor: Actor, organization: Organization) -> bool:
    """Editors (and more) draft challenges in their own organisation."""
    return actor.is_platform_admin or actor.is_member_of(organization.id)


def can_view(actor: Actor, challenge: Challenge) -> bool:
    """Published and cancelled challenges are public; a draft only to its hosts (others get 404)."""
    return challenge.status != Status.DRAFT or _runs(actor, challenge)


def can_edit(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Editors of the host or a co-host change texts and dates, until the challenge is cancelled."""
    return _runs(actor, challenge) and allows(challenge, Action.EDIT, now)


def can_edit_rules(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Criteria and submission rules, until submissions open."""
    return _runs(actor, challenge) and allows(challenge, Action.EDIT_RULES, now)


def can_edit_voting(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Voting settings, until voting opens."""
    voting_started = challenge.voting_opens_at is not None and challenge.voting_opens_at <= now
    return _runs(actor, challenge) and allows(challenge, Action.EDIT_VOTING, now) and not voting_started


def can_publish(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """The host organisation decides when its draft goes public (co-hosts edit, the host publishes)."""
    return is_host(actor, challenge) and allows(challenge, Action.PUBLISH, now)


def can_cancel(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """The host organisation may call off a published challenge until its results are announced."""
    return is_host(actor, challenge) and allows(challenge, Action.CANCEL, now)


def can_manage_cohosts(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """The host's owners and admins invite and remove co-hosts (not once the challenge is cancelled)."""
    in_charge = actor.is_platform_admin or actor.administers(challenge.host_id)
    return in_charge and allows(challenge, Action.EDIT, now)


def can_copy(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Any organisation's editors may copy a published challenge as a template ("steal and share")."""
    return (actor.is_platform_admin or bool(actor.roles)) and allows(challenge, Action.COPY, now)


def can_copy_into(actor: Actor, organization: Organization) -> bool:
    """A copy becomes a draft of an organisation the actor works in."""
    return can_create(actor, organization)
