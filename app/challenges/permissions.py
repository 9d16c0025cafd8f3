"""Who may do what to a challenge: pure predicates over the actor, the challenge and the phase table."""

from __future__ import annotations

from datetime import datetime

from app.actor import Actor
from app.challenges.models import Challenge, Question, Status
from app.challenges.phases import Action, allows
from app.errors import Forbidden
from app.i18n import gettext as _
from app.organizations.models import Organization


def runs(actor: Actor, challenge: Challenge) -> bool:
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
    return challenge.status != Status.DRAFT or runs(actor, challenge)


def can_edit(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Editors of the host or a co-host change texts and dates, until the challenge is cancelled."""
    return runs(actor, challenge) and allows(challenge, Action.EDIT, now)


def can_edit_rules(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Criteria and submission rules, until submissions open."""
    return runs(actor, challenge) and allows(challenge, Action.EDIT_RULES, now)


def can_edit_voting(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Voting settings, until voting opens."""
    voting_started = challenge.voting_opens_at is not None and challenge.voting_opens_at <= now
    return runs(actor, challenge) and allows(challenge, Action.EDIT_VOTING, now) and not voting_started


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


def can_follow(actor: Actor, challenge: Challenge) -> bool:
    """Signed-in people with a confirmed email (follow news is emailed) follow published challenges: not drafts, and
    not cancelled ones, which have nothing more to tell."""
    return actor.is_authenticated and actor.email_verified and challenge.status == Status.PUBLISHED


# --- questions and answers ---------------------------------------------------------------------------------------


def can_ask(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Signed-in people with a confirmed email ask questions while the challenge is upcoming or open."""
    return actor.is_authenticated and actor.email_verified and allows(challenge, Action.ASK, now)


def can_edit_question(actor: Actor, question: Question, challenge: Challenge, now: datetime) -> bool:
    """The asker rewords their own question until it is answered, hidden or merged, while asking is open."""
    untouched = question.answered_at is None and question.hidden_at is None and question.duplicate_of_id is None
    own = actor.user_id is not None and question.author_id == actor.user_id
    return own and untouched and allows(challenge, Action.ASK, now)


def can_moderate_questions(actor: Actor, challenge: Challenge) -> bool:
    """Editors of the host or a co-host (and platform admins) see every question, merge duplicates and hide
    abuse, in every phase: abuse on a public page must be removable even after the challenge is over."""
    return runs(actor, challenge)


def can_answer(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Editors of the host or a co-host answer questions while the challenge is public (not once cancelled)."""
    return can_moderate_questions(actor, challenge) and allows(challenge, Action.ANSWER, now)


def can_see_question(actor: Actor, question: Question, challenge: Challenge, original: Question | None = None) -> bool:
    """Answered questions are public, and so are duplicates merged into one (`original`); others are seen only
    by their asker and the hosts. A hidden question stays visible to its asker, as a placeholder."""
    if can_moderate_questions(actor, challenge):
        return True
    if actor.user_id is not None and question.author_id == actor.user_id:
        return True
    if question.hidden_at is not None:
        return False
    if question.duplicate_of_id is not None:
        return original is not None and original.hidden_at is None and original.answered_at is not None
    return question.answered_at is not None


# --- guards: the refusals a service or a lookup raises when a predicate says no -----------------------------------


def check_edit(actor: Actor, challenge: Challenge, now: datetime) -> None:
    """Refuse (403) unless `actor` may edit the challenge now."""
    if not can_edit(actor, challenge, now):
        raise Forbidden(_("You cannot edit this challenge."))


def check_manage_cohosts(actor: Actor, challenge: Challenge, now: datetime) -> None:
    """Refuse (403) unless `actor` may invite and remove the challenge's co-hosts now."""
    if not can_manage_cohosts(actor, challenge, now):
        raise Forbidden(
            _(
                "Only the host organisation's owners and admins can manage co-hosts, and not once the "
                "challenge is cancelled."
            )
        )


def check_moderate_questions(actor: Actor, challenge: Challenge) -> None:
    """Refuse (403) unless `actor` is one of the challenge's hosts, who answer, merge and hide questions."""
    if not can_moderate_questions(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts can do this."))
