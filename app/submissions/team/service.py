"""A concept's team: invitations by email link, members joining and leaving, and the lead handing over."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app import i18n
from app.accounts.models import User
from app.actor import Actor
from app.challenges.models import Challenge
from app.errors import (
    Conflict,
    Forbidden,
    NotFound,
)
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import invitations, urls
from app.kit.invitations import InvitationState, InvitationUnusable
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.models import (
    MemberRole,
    Submission,
    SubmissionMember,
    TeamInvitation,
)

INVITATION_DAYS = 7


def _pending(session: Session, submission: Submission, now: datetime) -> Sequence[TeamInvitation]:
    return session.exec(
        select(TeamInvitation).where(
            TeamInvitation.submission_id == submission.id, *invitations.pending_conditions(TeamInvitation, now)
        )
    ).all()


def list_invitations(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission
) -> Sequence[TeamInvitation]:
    """The team's invitations, newest first (the team sees them)."""
    if not permissions.is_member(actor, submission):
        raise NotFound(_("No such concept."))
    return session.exec(
        select(TeamInvitation)
        .where(TeamInvitation.submission_id == submission.id)
        .order_by(col(TeamInvitation.created_at).desc(), col(TeamInvitation.id).desc())
    ).all()


def invite(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, email: str, now: datetime
) -> TeamInvitation:
    """The lead invites `email` to the team; open invitations count towards the largest team size."""
    submissions.require_lead(actor, submission, challenge, now)
    submissions.lock_submission(session, submission)
    email = email.strip().lower()
    if any(member.user.email.lower() == email for member in submission.members):
        raise Conflict(_("%(email)s is already on the team.") % {"email": email}, field="email")
    pending = _pending(session, submission, now)
    if any(invitation.email == email for invitation in pending):
        raise Conflict(_("%(email)s has already been invited.") % {"email": email}, field="email")
    if len(submission.members) + len(pending) >= challenge.team_size_max:
        raise submissions.LimitReached(
            _(
                "The team is full: it has %(members)d members and %(pending)d open invitations, and the challenge "
                "allows at most %(max)d people."
            )
            % {"members": len(submission.members), "pending": len(pending), "max": challenge.team_size_max},
            field="email",
        )
    token = invitations.issue_token()
    invitation = TeamInvitation(
        submission_id=submission.id,  # type: ignore[arg-type]
        email=email,
        token_hash=token.hash,
        invited_by_id=actor.user_id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    invitee = session.exec(select(User).where(User.email == email)).first()
    language = invitee.language if invitee is not None else challenge.host.default_language
    with i18n.language(language):
        expires = i18n.format_datetime(invitation.expires_at, challenge.host.timezone)
    outbox.enqueue_email(
        session,
        to=email,
        template="team_invitation",
        language=language,
        context={
            "inviter": actor.user.display_name if actor.user else "Samskap",
            "submission": submission,
            "challenge": challenge,
            "link": urls.team_invitation(token.raw),
            "expires": expires,
        },
        now=now,
    )
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.invite",
        now=now,
        after={"invitation_id": invitation.id, "email": email},
    )
    return invitation


def revoke_invitation(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, invitation_id: int, now: datetime
) -> TeamInvitation:
    """The lead withdraws an open invitation; its link stops working."""
    submissions.require_lead(actor, submission, challenge, now)
    invitation = session.get(TeamInvitation, invitation_id)
    if invitation is None or invitation.submission_id != submission.id:
        raise NotFound(_("No such invitation."))
    if invitations.state(invitation, now) is not InvitationState.PENDING:
        raise InvitationUnusable(_("This invitation is no longer open."))
    invitation.revoked_at = now
    session.add(invitation)
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.invite.revoke",
        now=now,
        after={"invitation_id": invitation.id, "email": invitation.email},
    )
    return invitation


def invitation_by_token(session: Session, *, raw_token: str) -> tuple[TeamInvitation, Submission, Challenge]:
    """The invitation behind a link, with its concept and challenge (whoever holds the link may see the title)."""
    from app.challenges import service as challenges

    invitation = invitations.by_token(session, TeamInvitation, raw_token=raw_token)
    submission = (
        submissions.load_submission(session, col(Submission.id) == invitation.submission_id) if invitation else None
    )
    if invitation is None or submission is None:
        raise NotFound(_("This invitation link is not valid. Ask the team lead to send you a new one."))
    slug = session.exec(select(Challenge.slug).where(col(Challenge.id) == submission.challenge_id)).one()
    # Whoever holds a valid link may see the challenge's name, whatever its state.
    challenge = challenges.get_for(session, slug=slug, actor=Actor.system())
    return invitation, submission, challenge


def _unusable_messages() -> invitations.UnusableMessages:
    # Built per call: the messages are translated into the language of the request.
    return invitations.UnusableMessages(
        accepted=_("This invitation has already been used."),
        declined=_("This invitation was declined."),
        revoked=_("This invitation has been withdrawn by the team lead."),
        expired=_("This invitation has expired. Ask the team lead to send you a new one."),
    )


def check_usable(invitation: TeamInvitation, *, now: datetime) -> None:
    """Refuse, with a message people understand, an invitation that was used, declined, revoked or has expired."""
    invitations.check_usable(invitation, now=now, messages=_unusable_messages())


def is_for(invitation: TeamInvitation, actor: Actor) -> bool:
    """True when the signed-in actor has the email address the invitation was sent to."""
    return invitations.is_for(invitation, actor)


def _claim(
    session: Session, *, actor: Actor, raw_token: str, now: datetime
) -> tuple[TeamInvitation, Submission, Challenge]:
    invitation, submission, challenge = invitation_by_token(session, raw_token=raw_token)
    invitation = invitations.claim(session, invitation, actor=actor, now=now, messages=_unusable_messages())
    return invitation, submission, challenge


def add_member(
    session: Session, *, challenge: Challenge, submission: Submission, user_id: int, you: bool, now: datetime
) -> Submission:
    """Put `user_id` on the team under the team's lock, within the team size and the per-person limit (the one
    rule for invitations and join requests); `you` says whether the joining person is the actor."""
    submissions.lock_submission(session, submission)
    submission = submissions.reload(session, submission)
    if any(member.user_id == user_id for member in submission.members):
        raise Conflict(_("You are already on this team.") if you else _("This person is already on the team."))
    if len(submission.members) >= challenge.team_size_max:
        raise submissions.LimitReached(_("The team is already full."))
    submissions.check_person_limit(session, challenge=challenge, user_id=user_id, you=you)
    session.add(SubmissionMember(submission_id=submission.id, user_id=user_id, joined_at=now))
    submissions.forget_teammate_search(session, challenge=challenge, user_id=user_id)
    session.flush()
    return submission


def accept_invitation(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> tuple[Submission, Challenge]:
    """Join the team; refused after the deadline, when the team is full, or beyond the per-person limit."""
    invitation, submission, challenge = _claim(session, actor=actor, raw_token=raw_token, now=now)
    assert actor.user_id is not None  # noqa: S101  (is_for checked there is a user)
    submissions.require_open(challenge, now)
    if permissions.is_member(actor, submission):
        raise Conflict(_("You are already on this team."))
    submission = add_member(
        session, challenge=challenge, submission=submission, user_id=actor.user_id, you=True, now=now
    )
    invitation.accepted_at = now
    session.add(invitation)
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.member.join",
        now=now,
        after={"user_id": actor.user_id, "invitation_id": invitation.id},
    )
    return submissions.reload(session, submission), challenge


def decline_invitation(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> Challenge:
    """Say no to an invitation; its link stops working."""
    invitation, submission, challenge = _claim(session, actor=actor, raw_token=raw_token, now=now)
    invitation.declined_at = now
    session.add(invitation)
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.invite.decline",
        now=now,
        after={"invitation_id": invitation.id},
    )
    return challenge


def _member(submission: Submission, user_id: int) -> SubmissionMember:
    member = next((m for m in submission.members if m.user_id == user_id), None)
    if member is None:
        raise NotFound(_("This person is not on the team."))
    return member


def hand_over_lead(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, user_id: int, now: datetime
) -> Submission:
    """The lead makes another member the lead and becomes a member; a deleted account cannot lead."""
    submissions.require_lead(actor, submission, challenge, now)
    submissions.lock_submission(session, submission)
    new_lead = _member(submission, user_id)
    if new_lead.role == MemberRole.LEAD:
        return submission
    if not submissions.can_lead(new_lead):
        raise Conflict(_("A deleted account cannot lead the team. Choose another member."))
    old_lead = permissions.membership(actor, submission)
    assert old_lead is not None  # noqa: S101  (checked by submissions.require_lead)
    old_lead.role, new_lead.role = MemberRole.MEMBER, MemberRole.LEAD
    session.add_all([old_lead, new_lead])
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.lead",
        now=now,
        before={"lead": old_lead.user_id},
        after={"lead": new_lead.user_id},
    )
    return submissions.reload(session, submission)


def remove_member(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, user_id: int, now: datetime
) -> Submission:
    """The lead removes a member, or a member leaves; the lead hands over before leaving."""
    submissions.require_member(actor, submission, challenge, now)
    submissions.lock_submission(session, submission)
    member = _member(submission, user_id)
    leaving = user_id == actor.user_id
    if not leaving and not permissions.is_lead(actor, submission):
        raise Forbidden(_("Only the team lead can remove members."))
    if member.role == MemberRole.LEAD:
        raise Conflict(_("The team lead cannot leave. Hand over the lead to another member first."))
    submission.members.remove(member)
    session.flush()
    action = "submission.member.leave" if leaving else "submission.member.remove"
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action=action,
        now=now,
        before={"user_id": user_id},
    )
    return submissions.reload(session, submission)
