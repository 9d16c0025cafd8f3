"""Who may vote in a challenge's public vote, on what, and who may see the counts: pure predicates, and the
refusals (problem types) the voting API documents."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from app.accounts.models import User
from app.actor import Actor
from app.challenges import permissions as challenge_permissions
from app.challenges.models import Challenge, VoterRule, VotingMethod
from app.challenges.phases import Action, allows
from app.errors import Conflict, Forbidden
from app.i18n import gettext as _


class VotingClosed(Conflict):
    type, title = "voting-closed", "Voting is closed"


class NotEligible(Forbidden):
    type, title = "not-eligible", "Not eligible to vote"


class VoteLimitReached(Conflict):
    type, title = "vote-limit-reached", "Vote limit reached"


class SelfVoteNotAllowed(Forbidden):
    type, title = "self-vote-not-allowed", "Own concept"


class ResultsSealed(Forbidden):
    type, title = "results-sealed", "Results are sealed"


class Ineligibility(StrEnum):
    """Why a person may not vote in a challenge, said before they try."""

    SIGNED_OUT = "signed-out"
    EMAIL_NOT_VERIFIED = "email-not-verified"
    OUTSIDE_DOMAINS = "outside-domains"
    IDENTITY_NOT_VERIFIED = "identity-not-verified"


def has_public_vote(challenge: Challenge) -> bool:
    """The challenge holds a public vote (a method and its dates)."""
    return challenge.voting_method != VotingMethod.NONE and challenge.voting_opens_at is not None


def voting_is_open(challenge: Challenge, now: datetime) -> bool:
    return has_public_vote(challenge) and allows(challenge, Action.VOTE, now)


def voting_has_closed(challenge: Challenge, now: datetime) -> bool:
    """The vote took place and is over (a cancelled challenge's vote never closes: it has no result)."""
    # A closed challenge may still be waiting for its vote (a gap after the jury): the date says which.
    closes = challenge.voting_closes_at
    over = closes is not None and closes <= now
    return has_public_vote(challenge) and over and allows(challenge, Action.SHOW_VOTE_RESULTS, now)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def ineligibility(user: User | None, challenge: Challenge) -> Ineligibility | None:
    """Why `user` may not vote in `challenge` (whatever the phase), or None when they may."""
    if user is None or not user.is_active or user.deleted_at is not None:
        return Ineligibility.SIGNED_OUT
    if not user.email_verified:
        return Ineligibility.EMAIL_NOT_VERIFIED
    if challenge.voter_rule == VoterRule.EMAIL_DOMAIN:
        domain = email_domain(user.email)
        allowed = challenge.voter_email_domains
        # A listed domain admits its subdomains too (elev.skole.no under skole.no).
        if not any(domain == listed or domain.endswith(f".{listed}") for listed in allowed):
            return Ineligibility.OUTSIDE_DOMAINS
    if challenge.voter_rule == VoterRule.VERIFIED_IDENTITY and user.identity_verified_at is None:
        return Ineligibility.IDENTITY_NOT_VERIFIED
    return None


def votes_per_voter(challenge: Challenge) -> int:
    """Votes (or points) each voter has: one with `single`."""
    return 1 if challenge.voting_method == VotingMethod.SINGLE else challenge.votes_per_voter


def most_per_concept(challenge: Challenge) -> int:
    """The most one concept may get from one voter: one vote, or with `points` the setting (within the total)."""
    if challenge.voting_method != VotingMethod.POINTS:
        return 1
    return min(challenge.max_points_per_concept, challenge.votes_per_voter)


def may_vote_for_own(challenge: Challenge) -> bool:
    return challenge.self_vote_allowed


def results_visible(challenge: Challenge, now: datetime) -> bool:
    """Counts are shown once voting has closed, or while it is open when the host chose live counts beforehand.

    For everyone alike: hosts and platform admins see sealed counts no sooner than the public.
    """
    return voting_has_closed(challenge, now) or (challenge.live_counts and voting_is_open(challenge, now))


def ineligibility_message(reason: Ineligibility) -> str:
    """What the ballot panel and the refusal say to a person who may not vote."""
    messages = {
        Ineligibility.SIGNED_OUT: _("Sign in to vote."),
        Ineligibility.EMAIL_NOT_VERIFIED: _("Verify your email address to vote: follow the link we sent you."),
        Ineligibility.OUTSIDE_DOMAINS: _("Only people with an email address in the listed domains may vote."),
        Ineligibility.IDENTITY_NOT_VERIFIED: _("Only people who signed in with a national e-ID may vote."),
    }
    return messages[reason]


def check_voting_open(challenge: Challenge, now: datetime) -> None:
    if not voting_is_open(challenge, now):
        if voting_has_closed(challenge, now):
            raise VotingClosed(_("The public vote has closed."))
        raise VotingClosed(_("The public vote is not open yet."))


def check_eligible(user: User | None, challenge: Challenge) -> User:
    """`user`, when they may vote in `challenge`; else the refusal that says why."""
    reason = ineligibility(user, challenge)
    if reason is not None or user is None:
        raise NotEligible(ineligibility_message(reason or Ineligibility.SIGNED_OUT))
    return user


def may_see_integrity(actor: Actor, challenge: Challenge) -> bool:
    """The hosts (editors of the host or a co-host) and platform admins see the integrity report per concept."""
    return challenge_permissions.runs(actor, challenge)


def check_sees_integrity(actor: Actor, challenge: Challenge) -> None:
    if not may_see_integrity(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts see the integrity report per concept."))


def check_results_visible(challenge: Challenge, now: datetime) -> None:
    if not results_visible(challenge, now):
        raise ResultsSealed(_("The results are sealed until the public vote closes."))
