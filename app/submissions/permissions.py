"""Who may do what to a submission: pure predicates over the actor, the submission's team and the challenge phase."""

from __future__ import annotations

from datetime import datetime, timedelta

from app.actor import Actor
from app.challenges import permissions as challenge_permissions
from app.challenges.models import Challenge, SubmissionVisibility
from app.challenges.phases import Action, allows
from app.errors import Conflict, Forbidden
from app.i18n import gettext as _
from app.submissions.models import (
    Comment,
    Feedback,
    MemberRole,
    Submission,
    SubmissionMember,
    SubmissionStatus,
)


def membership(actor: Actor, submission: Submission) -> SubmissionMember | None:
    """The actor's place on the submission's team (the team must be loaded)."""
    if actor.user_id is None:
        return None
    return next((member for member in submission.members if member.user_id == actor.user_id), None)


def is_member(actor: Actor, submission: Submission) -> bool:
    return membership(actor, submission) is not None


def is_lead(actor: Actor, submission: Submission) -> bool:
    member = membership(actor, submission)
    return member is not None and member.role == MemberRole.LEAD


def runs_challenge(actor: Actor, challenge: Challenge) -> bool:
    """Editors of the host or a co-host, and platform admins (the challenge's co-hosts must be loaded)."""
    return challenge_permissions.runs(actor, challenge)


def submissions_are_public(challenge: Challenge, now: datetime) -> bool:
    """Whether the challenge's submitted concepts are shown to the public at `now`."""
    setting = challenge.submissions_public
    if setting == SubmissionVisibility.AT_SUBMISSION:
        return allows(challenge, Action.SHOW_CONCEPTS, now)
    if setting == SubmissionVisibility.AFTER_REVIEW:
        # Once the jury's review is over (a challenge without a jury is past review once it closes).
        return allows(challenge, Action.SHOW_REVIEWED_CONCEPTS, now)
    return False


def is_public(submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """A submitted (not withdrawn, not hidden) concept, once the challenge says concepts are public."""
    return (
        submission.status == SubmissionStatus.SUBMITTED
        and submission.version_count > 0
        and submission.hidden_at is None
        and submissions_are_public(challenge, now)
    )


def is_hidden_from_public(submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """Public, but for the hosts having hidden it: the public then gets a placeholder with the reason."""
    return (
        submission.hidden_at is not None
        and submission.status == SubmissionStatus.SUBMITTED
        and submission.version_count > 0
        and submissions_are_public(challenge, now)
    )


def can_view(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """The one visibility rule: drafts to their team only (not even hosts); submitted and withdrawn ones to the
    team, the hosts and platform admins; submitted ones to everyone once the challenge makes them public."""
    if is_member(actor, submission):
        return True
    if submission.status == SubmissionStatus.DRAFT or submission.version_count == 0:
        return False
    return runs_challenge(actor, challenge) or is_public(submission, challenge, now)


def can_see_working_copy(actor: Actor, submission: Submission) -> bool:
    """Only the team sees the working copy; everyone else sees the newest submitted version."""
    return is_member(actor, submission)


def can_see_history(actor: Actor, submission: Submission, challenge: Challenge) -> bool:
    """Every submitted version and the differences between them: the team and the hosts."""
    if is_member(actor, submission):
        return True
    return submission.version_count > 0 and runs_challenge(actor, challenge)


def can_start(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Signed-in people with a confirmed email start a concept while submissions are open."""
    return actor.is_authenticated and actor.email_verified and allows(challenge, Action.SUBMIT, now)


def can_edit(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """Team members change the working copy, accept the terms, upload files and submit, while submissions are open."""
    return is_member(actor, submission) and allows(challenge, Action.SUBMIT, now)


def can_submit(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    return can_edit(actor, submission, challenge, now)


def can_withdraw(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """A submitted concept may be taken back by its team while submissions are open."""
    return can_edit(actor, submission, challenge, now) and submission.status == SubmissionStatus.SUBMITTED


def can_manage_team(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """The lead invites, revokes invitations, removes members and hands over the lead, while open."""
    return is_lead(actor, submission) and allows(challenge, Action.SUBMIT, now)


def can_leave(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """A member who is not the lead may leave the team while open (the lead hands over first)."""
    member = membership(actor, submission)
    return member is not None and member.role != MemberRole.LEAD and allows(challenge, Action.SUBMIT, now)


# --- comments, private feedback and moderation -------------------------------------------------------------------

# Comments and feedback can be changed for a short while after they are written (typos), not rewritten later.
EDIT_WINDOW = timedelta(minutes=15)


def conversation_open(challenge: Challenge, now: datetime) -> bool:
    """Whether the challenge takes comments at `now`: published and not cancelled, after the deadline too."""
    return allows(challenge, Action.COMMENT, now)


def can_comment(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """Signed-in people with a confirmed email comment on public (so not hidden) concepts."""
    return (
        actor.is_authenticated
        and actor.email_verified
        and is_public(submission, challenge, now)
        and conversation_open(challenge, now)
    )


def _own_and_recent(actor: Actor, author_id: int | None, created_at: datetime, now: datetime) -> bool:
    return actor.user_id is not None and author_id == actor.user_id and now - created_at <= EDIT_WINDOW


def can_edit_comment(actor: Actor, comment: Comment, now: datetime) -> bool:
    """Its author, for 15 minutes after posting, while it is neither deleted nor hidden."""
    shown = comment.deleted_at is None and comment.hidden_at is None
    return shown and _own_and_recent(actor, comment.author_id, comment.created_at, now)


def can_delete_comment(actor: Actor, comment: Comment) -> bool:
    """Its author, at any time (the text is blanked; replies stay)."""
    return actor.user_id is not None and comment.author_id == actor.user_id and comment.deleted_at is None


def can_see_feedback(actor: Actor, submission: Submission, challenge: Challenge) -> bool:
    """Private feedback: the team and the hosts (who see submitted concepts only)."""
    return is_member(actor, submission) or (submission.version_count > 0 and runs_challenge(actor, challenge))


def can_write_feedback(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """Host and co-host editors and platform admins write to the team of a submitted concept."""
    return (
        submission.version_count > 0
        and submission.status != SubmissionStatus.DRAFT
        and runs_challenge(actor, challenge)
        and allows(challenge, Action.FEEDBACK, now)
    )


def can_edit_feedback(actor: Actor, feedback: Feedback, now: datetime) -> bool:
    return _own_and_recent(actor, feedback.author_id, feedback.created_at, now)


def can_moderate(actor: Actor, challenge: Challenge) -> bool:
    """The hosts hide reported concepts and comments, dismiss reports and restore what they hid."""
    return runs_challenge(actor, challenge)


def can_report(actor: Actor) -> bool:
    """Anyone signed in reports what they can see."""
    return actor.is_authenticated


# --- team finder and join requests -------------------------------------------------------------------------------


def can_look_for_team(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Signed-in people with a confirmed email post (or change, or remove) their team-finder entry while open."""
    return can_start(actor, challenge, now)


def can_browse_team_finder(actor: Actor) -> bool:
    """Signed-in people see who is looking (names and notes); visitors see only how many."""
    return actor.is_authenticated


def can_decide_join_request(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """The team lead accepts or declines a request to join, while open."""
    return can_manage_team(actor, submission, challenge, now)


# --- guards: the refusals a service or a page raises when a predicate says no -------------------------------------


def check_team(actor: Actor, submission: Submission) -> None:
    """Refuse (403) unless `actor` is on the concept's team."""
    if not is_member(actor, submission):
        raise Forbidden(_("Only the team can change this concept."))


def check_takes_comments(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> None:
    """Refuse (409) a reply form unless `actor` may comment on the concept now."""
    if not can_comment(actor, submission, challenge, now):
        raise Conflict(_("This concept does not take comments now."))


def check_edit_comment(actor: Actor, comment: Comment, now: datetime) -> None:
    """Refuse (409) once a comment's edit window is over (or to anyone but its author)."""
    if not can_edit_comment(actor, comment, now):
        raise Conflict(_("A comment can be changed only in the first 15 minutes after it is posted."))


def check_edit_feedback(actor: Actor, feedback: Feedback, now: datetime) -> None:
    """Refuse (409) once feedback's edit window is over (or to anyone but its author)."""
    if not can_edit_feedback(actor, feedback, now):
        raise Conflict(_("Feedback can be changed only in the first 15 minutes after it is written."))


def check_moderate(actor: Actor, challenge: Challenge) -> None:
    """Refuse (403) unless `actor` is one of the challenge's hosts."""
    if not can_moderate(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts can do this."))
