"""Who may do what with a challenge's jury: pure predicates over the actor, the challenge (its co-hosts loaded), the
actor's seat on the jury (`Juror | None`) and the phase."""

from __future__ import annotations

from datetime import datetime

from app.actor import Actor
from app.challenges import permissions as challenge_permissions
from app.challenges.models import Challenge
from app.challenges.phases import Action, allows
from app.errors import Forbidden, NotFound, PhaseClosed
from app.i18n import gettext as _
from app.jury.models import Juror, JurorRole, JuryPanel, Review, ReviewStatus
from app.voting import permissions as voting_permissions


def runs(actor: Actor, challenge: Challenge) -> bool:
    """Editors of the host or a co-host (one shared jury), and platform admins."""
    return challenge_permissions.runs(actor, challenge)


def sits(juror: Juror | None) -> bool:
    """The actor has a seat on the jury (has not left it)."""
    return juror is not None and juror.left_at is None


def chairs(juror: Juror | None) -> bool:
    return sits(juror) and juror is not None and juror.role == JurorRole.CHAIR


def can_see_jury(actor: Actor, challenge: Challenge, juror: Juror | None) -> bool:
    """Hosts see the whole jury's work; a juror sees the panel and their own assignments."""
    return runs(actor, challenge) or sits(juror)


def can_manage_jury(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Hosts invite and remove jurors and change the settings until the results are announced."""
    return runs(actor, challenge) and allows(challenge, Action.MANAGE_JURY, now)


def can_set_blind_review(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Blind review is a rule of the challenge: it is set before submissions open, like the criteria."""
    return runs(actor, challenge) and allows(challenge, Action.EDIT_RULES, now)


def can_share_scores(actor: Actor, challenge: Challenge, juror: Juror | None, now: datetime) -> bool:
    """The chair (or a host) lets jurors see each other's scores once they have submitted their own."""
    return (runs(actor, challenge) or chairs(juror)) and allows(challenge, Action.MANAGE_JURY, now)


def can_assign(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Hosts assign jurors once the concepts are in: during the review."""
    return runs(actor, challenge) and allows(challenge, Action.ASSIGN, now)


def can_declare_conflict(challenge: Challenge, juror: Juror | None, now: datetime) -> bool:
    """Jurors declare conflicts while the concepts come in and during the review."""
    return sits(juror) and allows(challenge, Action.DECLARE_CONFLICT, now)


def can_decide_conflicts(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Hosts confirm or dismiss the conflicts found automatically, while conflicts can still matter."""
    return runs(actor, challenge) and allows(challenge, Action.DECLARE_CONFLICT, now)


def awarding_is_open(challenge: Challenge, now: datetime) -> bool:
    """The review is over and so is the public vote, if there is one (a closed challenge may still wait for its
    vote: no awards, and no people's choice, before the vote has closed)."""
    if not allows(challenge, Action.AWARD, now):
        return False
    closes = challenge.voting_closes_at
    return not voting_permissions.has_public_vote(challenge) or (closes is not None and closes <= now)


def can_score(challenge: Challenge, juror: Juror | None, now: datetime) -> bool:
    """A juror scores their assigned concepts during the review phase."""
    return sits(juror) and allows(challenge, Action.SCORE, now)


def can_reopen(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Hosts reopen a submitted review (and remind jurors) while the review runs."""
    return runs(actor, challenge) and allows(challenge, Action.SCORE, now)


def can_see_others_scores(panel: JuryPanel, own: Review | None) -> bool:
    """Never before the juror has submitted their own review of the concept, and only when the chair allows."""
    return panel.scores_shared and own is not None and own.status == ReviewStatus.SUBMITTED


# --- guards: services call these to refuse -----------------------------------------------------------------------


def check_runs(actor: Actor, challenge: Challenge) -> None:
    """Refuse (403) anyone but the challenge's hosts."""
    if not runs(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts manage its jury."))


def check_sees_jury(actor: Actor, challenge: Challenge, juror: Juror | None) -> None:
    """A 404 for anyone who is neither a host nor on the jury: the jury's work is not theirs to know of."""
    if not can_see_jury(actor, challenge, juror):
        raise NotFound(_("This challenge has no jury work for you."))


def check_manage_jury(actor: Actor, challenge: Challenge, now: datetime) -> None:
    check_runs(actor, challenge)
    if not can_manage_jury(actor, challenge, now):
        raise PhaseClosed(_("The jury can no longer change: the results have been announced."))


def check_assign(actor: Actor, challenge: Challenge, now: datetime) -> None:
    check_runs(actor, challenge)
    if not can_assign(actor, challenge, now):
        raise PhaseClosed(_("Jurors are assigned during the review, once the concepts are in."))


def check_score(challenge: Challenge, juror: Juror | None, now: datetime) -> None:
    if not sits(juror):
        raise NotFound(_("This challenge has no jury work for you."))
    if not can_score(challenge, juror, now):
        raise PhaseClosed(_("Scores are given during the review phase only."))
