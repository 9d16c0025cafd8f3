"""The jury's work: the panel and its settings, invitations, jurors, conflicts of interest, and fair assignment.

Scoring lives in `reviews.py`; both refuse through `permissions.py`. Every write is audited under the host."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, exists, func, update
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app import i18n
from app.accounts import gdpr
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.challenges.models import Challenge
from app.db import upsert_dialect, utcnow
from app.errors import Conflict, Forbidden, NotFound, PhaseClosed, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.jury import assignment, permissions
from app.jury.models import (
    Announcement,
    ConflictSource,
    ConflictStatus,
    Finalist,
    Juror,
    JurorRole,
    JuryAssignment,
    JuryConflict,
    JuryInvitation,
    JuryPanel,
    Review,
    ReviewStatus,
)
from app.kit import invitations, urls
from app.kit.invitations import InvitationState, InvitationUnusable
from app.organizations.models import Membership
from app.submissions import service as submissions
from app.submissions.models import Submission, SubmissionMember, SubmissionStatus

INVITATION_DAYS = 14
FIRST_ROUND, FINAL_ROUND = 1, 2
MAX_JURORS_PER_CONCEPT = 20

# Addresses anyone can get: sharing one says nothing about a conflict of interest.
WEBMAIL_DOMAINS = frozenset(
    """
    aol.com gmail.com googlemail.com gmx.com gmx.de hotmail.com hotmail.no hotmail.se
    icloud.com live.com live.no live.se mail.com me.com msn.com online.no outlook.com
    outlook.no outlook.se proton.me protonmail.com telia.com yahoo.com yahoo.no yahoo.se
    """.split()
)


class ConflictOfInterest(Conflict):
    type, title = "conflict-of-interest", "Conflict of interest"


# --- the panel --------------------------------------------------------------------------------------------------


def panel_of(session: Session, challenge: Challenge, *, lock: bool = False) -> JuryPanel:
    """The challenge's jury panel for a writer, made on first use with the default settings; `lock` holds its row
    for the rest of the transaction, so writers to the jury take turns. Two first writers at once make it once
    (ON CONFLICT DO NOTHING), and both then read the one row."""
    found = existing_panel(session, challenge, lock=lock)
    if found is not None:
        return found
    table: Any = JuryPanel.__table__  # type: ignore[attr-defined]
    defaults = JuryPanel(challenge_id=challenge.id or 0)
    values = {
        "challenge_id": challenge.id,
        "jurors_per_concept": defaults.jurors_per_concept,
        "blind_review": defaults.blind_review,
        "scores_shared": defaults.scores_shared,
        "created_at": defaults.created_at,
        "updated_at": defaults.updated_at,
    }
    session.exec(
        upsert_dialect(session).insert(table).values(**values).on_conflict_do_nothing(index_elements=["challenge_id"])
    )
    made = existing_panel(session, challenge, lock=lock)
    assert made is not None  # noqa: S101  (inserted, or inserted by another writer just now)
    return made


def panel_or_default(session: Session, challenge: Challenge) -> JuryPanel:
    """The challenge's panel for a reader: the stored one, else the default settings (a read never writes)."""
    return existing_panel(session, challenge) or JuryPanel(challenge_id=challenge.id or 0)


def existing_panel(session: Session, challenge: Challenge, *, lock: bool = False) -> JuryPanel | None:
    """The challenge's jury panel if one was made (a read that never writes); `lock` holds its row."""
    statement = select(JuryPanel).where(JuryPanel.challenge_id == challenge.id)
    return session.exec(statement.with_for_update() if lock else statement).first()


def current_round(panel: JuryPanel) -> int:
    """The round the jury scores in now: 1, or 2 once the hosts have begun the final round."""
    return FINAL_ROUND if panel.final_round_at is not None else FIRST_ROUND


def finalist_ids(session: Session, challenge: Challenge) -> list[int]:
    """The concepts shortlisted for the final round, in the hosts' order."""
    return list(
        session.exec(
            select(Finalist.submission_id)
            .where(Finalist.challenge_id == challenge.id)
            .order_by(col(Finalist.position), col(Finalist.id))
        ).all()
    )


def finalists_among(session: Session, *, submission_ids: Sequence[int]) -> set[int]:
    """Which of these concepts are shortlisted for a final round."""
    if not submission_ids:
        return set()
    return set(
        session.exec(
            select(Finalist.submission_id).where(col(Finalist.submission_id).in_(sorted(set(submission_ids))))
        ).all()
    )


def announcement_of(session: Session, challenge: Challenge) -> Announcement | None:
    """The hosts' announcement of the challenge's results, if they have made it."""
    return session.exec(select(Announcement).where(Announcement.challenge_id == challenge.id)).first()


def results_announced(session: Session, challenge: Challenge) -> bool:
    """Whether the hosts have announced the results (blind review then reveals the teams to the jury)."""
    return announcement_of(session, challenge) is not None


def seat_of(session: Session, *, challenge: Challenge, actor: Actor) -> Juror | None:
    """The actor's seat on the challenge's jury (a seat they left included), or None."""
    if actor.user_id is None:
        return None
    return session.exec(select(Juror).where(Juror.challenge_id == challenge.id, Juror.user_id == actor.user_id)).first()


def record(
    session: Session,
    *,
    actor: Actor,
    challenge: Challenge,
    action: str,
    target: str,
    target_id: int | None,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session,
        actor=actor,
        action=action,
        target_type=target,
        target_id=target_id,
        now=now,
        organization_id=challenge.host_id,
        before=before,
        after=after,
    )


def _panel_snapshot(panel: JuryPanel) -> dict[str, Any]:
    return {
        "jurors_per_concept": panel.jurors_per_concept,
        "blind_review": panel.blind_review,
        "scores_shared": panel.scores_shared,
    }


def update_panel(
    session: Session,
    *,
    actor: Actor,
    challenge: Challenge,
    now: datetime,
    jurors_per_concept: int | None = None,
    blind_review: bool | None = None,
    scores_shared: bool | None = None,
) -> JuryPanel:
    """Change the jury's settings: jurors per concept (hosts), blind review (hosts, before submissions open),
    whether jurors see each other's scores after submitting (hosts and the chair)."""
    seat = seat_of(session, challenge=challenge, actor=actor)
    panel = panel_of(session, challenge, lock=True)
    before = _panel_snapshot(panel)
    # Every change is checked before any is made: a refused one leaves the settings as they were.
    if jurors_per_concept is not None and jurors_per_concept != panel.jurors_per_concept:
        permissions.check_manage_jury(actor, challenge, now)
        if not 1 <= jurors_per_concept <= MAX_JURORS_PER_CONCEPT:
            message = _("Give a whole number from 1 to %(max)d.") % {"max": MAX_JURORS_PER_CONCEPT}
            raise ValidationFailed(message, errors={"jurors_per_concept": message})
    if blind_review is not None and blind_review != panel.blind_review:
        permissions.check_runs(actor, challenge)
        if not permissions.can_set_blind_review(actor, challenge, now):
            raise Conflict(
                _("Blind review is a rule of the challenge: it cannot change once submissions have opened."),
                field="blind_review",
            )
    if scores_shared is not None and scores_shared != panel.scores_shared:
        if not permissions.can_share_scores(actor, challenge, seat, now):
            permissions.check_sees_jury(actor, challenge, seat)
            if permissions.runs(actor, challenge):
                permissions.check_manage_jury(actor, challenge, now)
            raise Forbidden(_("Only the chair or the hosts decide whether jurors see each other's scores."))
    if jurors_per_concept is not None:
        panel.jurors_per_concept = jurors_per_concept
    if blind_review is not None:
        panel.blind_review = blind_review
    if scores_shared is not None:
        panel.scores_shared = scores_shared
    after = _panel_snapshot(panel)
    if after != before:
        panel.updated_at = now
        session.add(panel)
        session.flush()
        record(
            session,
            actor=actor,
            challenge=challenge,
            action="jury.settings",
            target="jury_panel",
            target_id=panel.id,
            now=now,
            before=before,
            after=after,
        )
    return panel


# --- jurors and invitations -------------------------------------------------------------------------------------


def jurors(session: Session, *, challenge: Challenge, include_left: bool = False) -> list[Juror]:
    """The challenge's jurors with their accounts, the chair first, then by name."""
    statement = select(Juror).where(Juror.challenge_id == challenge.id).options(selectinload(Juror.user))  # type: ignore[arg-type]
    if not include_left:
        statement = statement.where(col(Juror.left_at).is_(None))
    found = list(session.exec(statement).all())
    return sorted(found, key=lambda j: (j.role != JurorRole.CHAIR, j.user.display_name.lower() if j.user else "", j.id))


def pending_invitations(session: Session, *, challenge: Challenge, now: datetime) -> list[JuryInvitation]:
    return list(
        session.exec(
            select(JuryInvitation)
            .where(JuryInvitation.challenge_id == challenge.id, *invitations.pending_conditions(JuryInvitation, now))
            .order_by(col(JuryInvitation.created_at), col(JuryInvitation.id))
        ).all()
    )


def invite(
    session: Session, *, actor: Actor, challenge: Challenge, email: str, role: JurorRole, now: datetime
) -> JuryInvitation:
    """A host invites `email` to the jury (as its chair, if `role` says so); the invitee accepts or declines."""
    permissions.check_manage_jury(actor, challenge, now)
    email = _checked_email(email)
    panel_of(session, challenge, lock=True)  # one host's invitations at a time: no two for one address
    seated = session.exec(
        select(Juror.id)
        .join(User, col(User.id) == col(Juror.user_id))
        .where(Juror.challenge_id == challenge.id, col(Juror.left_at).is_(None), col(User.email) == email)
    ).first()
    if seated is not None:
        raise Conflict(_("%(email)s is already on the jury.") % {"email": email}, field="email")
    if any(invitation.email == email for invitation in pending_invitations(session, challenge=challenge, now=now)):
        raise Conflict(_("%(email)s has already been invited.") % {"email": email}, field="email")
    token = invitations.issue_token()
    invitation = JuryInvitation(
        challenge_id=challenge.id,  # type: ignore[arg-type]
        email=email,
        role=role,
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
        template="jury_invitation",
        language=language,
        context={
            "inviter": actor.user.display_name if actor.user else "Samskap",
            "challenge": challenge,
            "chair": role == JurorRole.CHAIR,
            "link": urls.jury_invitation(token.raw),
            "expires": expires,
        },
        now=now,
    )
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.invite",
        target="jury_invitation",
        target_id=invitation.id,
        now=now,
        after={"email": email, "role": str(role)},
    )
    return invitation


def _checked_email(email: str) -> str:
    """The address, trimmed and lower-cased, or a 422 at the email field."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        message = _("Give an email address, such as name@example.org.")
        raise ValidationFailed(message, errors={"email": message}) from None


def revoke_invitation(
    session: Session, *, actor: Actor, challenge: Challenge, invitation_id: int, now: datetime
) -> JuryInvitation:
    """A host withdraws an open invitation; its link stops working."""
    permissions.check_manage_jury(actor, challenge, now)
    invitation = session.get(JuryInvitation, invitation_id)
    if invitation is None or invitation.challenge_id != challenge.id:
        raise NotFound(_("No such invitation."))
    if invitations.state(invitation, now) is not InvitationState.PENDING:
        raise InvitationUnusable(_("This invitation is no longer open."))
    invitation.revoked_at = now
    session.add(invitation)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.invite.revoke",
        target="jury_invitation",
        target_id=invitation.id,
        now=now,
        after={"email": invitation.email},
    )
    return invitation


def _unusable_messages() -> invitations.UnusableMessages:
    # Built per call: the messages are translated into the language of the request.
    return invitations.UnusableMessages(
        accepted=_("This invitation has already been used."),
        declined=_("This invitation was declined."),
        revoked=_("This invitation has been withdrawn by the challenge's hosts."),
        expired=_("This invitation has expired. Ask the challenge's hosts to send you a new one."),
    )


def invitation_by_token(session: Session, *, raw_token: str) -> tuple[JuryInvitation, Challenge]:
    """The invitation behind a link, with its challenge (whoever holds the link may see the challenge's name)."""
    from app.challenges import service as challenges

    invitation = invitations.by_token(session, JuryInvitation, raw_token=raw_token)
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Ask the challenge's hosts to send you a new one."))
    slug = session.exec(select(Challenge.slug).where(col(Challenge.id) == invitation.challenge_id)).one()
    return invitation, challenges.get_for(session, slug=slug, actor=Actor.system())


def check_usable(invitation: JuryInvitation, *, now: datetime) -> None:
    """Refuse, with a message people understand, an invitation that was used, declined, revoked or has expired."""
    invitations.check_usable(invitation, now=now, messages=_unusable_messages())


def is_for(invitation: JuryInvitation, actor: Actor) -> bool:
    return invitations.is_for(invitation, actor)


def accept_invitation(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> tuple[Juror, Challenge]:
    """The invitee takes the seat (one claim per link, under the invitation's row lock)."""
    invitation, challenge = invitation_by_token(session, raw_token=raw_token)
    invitation = invitations.claim(session, invitation, actor=actor, now=now, messages=_unusable_messages())
    if not permissions.can_manage_jury(Actor.system(), challenge, now):
        raise InvitationUnusable(_("The jury can no longer change: the results have been announced."))
    seat = seat_of(session, challenge=challenge, actor=actor)
    if seat is None:
        seat = Juror(challenge_id=challenge.id, user_id=actor.user_id, role=invitation.role, joined_at=now)  # type: ignore[arg-type]
    else:  # back after leaving: the reviews they gave are theirs again
        seat.left_at, seat.role, seat.joined_at = None, invitation.role, now
    session.add(seat)
    session.flush()
    demoted = _one_chair(session, challenge=challenge, chair=seat) if invitation.role == JurorRole.CHAIR else []
    invitation.accepted_at = now
    session.add(invitation)
    session.flush()
    session.refresh(seat, ["user"])
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.join",
        target="juror",
        target_id=seat.id,
        now=now,
        after={"role": str(seat.role), "demoted": demoted},
    )
    return seat, challenge


def decline_invitation(session: Session, *, actor: Actor, raw_token: str, now: datetime) -> Challenge:
    """The invitee says no; the link stops working."""
    invitation, challenge = invitation_by_token(session, raw_token=raw_token)
    invitation = invitations.claim(session, invitation, actor=actor, now=now, messages=_unusable_messages())
    invitation.declined_at = now
    session.add(invitation)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.decline",
        target="jury_invitation",
        target_id=invitation.id,
        now=now,
    )
    return challenge


def _one_chair(session: Session, *, challenge: Challenge, chair: Juror) -> list[int]:
    """The jury has at most one chair: naming one makes the previous chair a member; returns whom it demoted."""
    demoted = []
    for juror in jurors(session, challenge=challenge):
        if juror.id != chair.id and juror.role == JurorRole.CHAIR:
            juror.role = JurorRole.MEMBER
            session.add(juror)
            demoted.append(juror.id or 0)
    session.flush()
    return demoted


def _juror(session: Session, *, challenge: Challenge, juror_id: int) -> Juror:
    juror = session.exec(
        select(Juror).where(Juror.id == juror_id).options(selectinload(Juror.user))  # type: ignore[arg-type]
    ).first()
    if juror is None or juror.challenge_id != challenge.id or juror.left_at is not None:
        raise NotFound(_("No such juror."))
    return juror


def set_role(
    session: Session, *, actor: Actor, challenge: Challenge, juror_id: int, role: JurorRole, now: datetime
) -> Juror:
    """A host names the chair (the previous one becomes a member) or makes the chair a member again."""
    permissions.check_manage_jury(actor, challenge, now)
    panel_of(session, challenge, lock=True)
    juror = _juror(session, challenge=challenge, juror_id=juror_id)
    before = str(juror.role)
    juror.role = role
    session.add(juror)
    session.flush()
    demoted = _one_chair(session, challenge=challenge, chair=juror) if role == JurorRole.CHAIR else []
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.role",
        target="juror",
        target_id=juror.id,
        now=now,
        before={"role": before},
        after={"role": str(role), "demoted": demoted},
    )
    return juror


def remove_juror(session: Session, *, actor: Actor, challenge: Challenge, juror_id: int, now: datetime) -> Juror:
    """A host takes a juror off the jury: their open assignments go back to the pool (a re-run gives them to
    others); the reviews they submitted still count."""
    permissions.check_manage_jury(actor, challenge, now)
    panel_of(session, challenge, lock=True)
    juror = _juror(session, challenge=challenge, juror_id=juror_id)
    juror.left_at = now
    session.add(juror)
    # Each assignment whose review (of that concept, in that round) is not submitted goes back to the pool.
    submitted = exists().where(
        col(Review.juror_id) == juror.id,
        col(Review.submission_id) == col(JuryAssignment.submission_id),
        col(Review.round) == col(JuryAssignment.round),
        col(Review.status) == ReviewStatus.SUBMITTED,
    )
    released = session.exec(delete(JuryAssignment).where(col(JuryAssignment.juror_id) == juror.id, ~submitted)).rowcount
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.remove",
        target="juror",
        target_id=juror.id,
        now=now,
        after={"released_assignments": released},
    )
    return juror


# --- concepts under review and conflicts of interest --------------------------------------------------------------


def concepts_under_review(session: Session, *, challenge: Challenge) -> list[Submission]:
    """The concepts the jury reviews: submitted, not hidden by moderators, with their teams' accounts."""
    return list(
        session.exec(
            select(Submission)
            .where(
                Submission.challenge_id == challenge.id,
                Submission.status == SubmissionStatus.SUBMITTED,
                col(Submission.hidden_at).is_(None),
            )
            .options(selectinload(Submission.members).selectinload(SubmissionMember.user))  # type: ignore[arg-type]
            .order_by(col(Submission.id))
        ).all()
    )


@dataclass(frozen=True)
class ConceptChoice:
    """A concept as the jury's pages name it: by its submitted version's title (never the team's working copy)."""

    id: int
    title: str


def submitted_titles(session: Session, *, submission_ids: Sequence[int]) -> dict[int, str]:
    """Each concept's title as submitted (its newest version), by id."""
    versions = submissions.newest_versions(session, submission_ids=list(submission_ids))
    return {submission_id: version.title for submission_id, version in versions.items()}


def concept_choices(session: Session, *, challenge: Challenge) -> list[ConceptChoice]:
    """The concepts under review, named as submitted, in id order."""
    ids = [concept.id or 0 for concept in concepts_under_review(session, challenge=challenge)]
    titles = submitted_titles(session, submission_ids=ids)
    return [ConceptChoice(concept_id, titles.get(concept_id, "")) for concept_id in ids]


def _domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def _organisations(session: Session, user_ids: Collection[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    if user_ids:
        rows = session.exec(
            select(Membership.user_id, Membership.organization_id).where(col(Membership.user_id).in_(sorted(user_ids)))
        ).all()
        for user_id, organization_id in rows:
            found.setdefault(user_id, set()).add(organization_id)
    return found


@dataclass(frozen=True)
class Conflicts:
    """Who may not review what: team members of their own concepts (read from the teams) and stored conflicts."""

    team: frozenset[tuple[int, int]]  # (juror_id, submission_id)
    stored: dict[tuple[int, int], JuryConflict]

    def blocks(self, juror_id: int, submission_id: int) -> bool:
        pair = (juror_id, submission_id)
        stored = self.stored.get(pair)
        return pair in self.team or (stored is not None and stored.status != ConflictStatus.DISMISSED)

    def blocked_pairs(self) -> set[tuple[int, int]]:
        return set(self.team) | {pair for pair in self.stored if self.blocks(*pair)}


def conflicts(
    session: Session, *, challenge: Challenge, seated: Sequence[Juror], concepts: Sequence[Submission]
) -> Conflicts:
    """Every conflict of interest between `seated` jurors and `concepts`."""
    by_user = {juror.user_id: juror.id or 0 for juror in seated if juror.user_id is not None}
    team = frozenset(
        (by_user[member.user_id], concept.id or 0)
        for concept in concepts
        for member in concept.members
        if member.user_id in by_user
    )
    stored = session.exec(
        select(JuryConflict).where(col(JuryConflict.juror_id).in_([juror.id for juror in seated]))
    ).all()
    return Conflicts(team=team, stored={(c.juror_id, c.submission_id): c for c in stored})


def has_conflict(session: Session, *, juror: Juror, submission_id: int) -> bool:
    """Whether `juror` has a conflict of interest with the concept, by the same rule as `Conflicts.blocks` (read
    with two small queries rather than the concept's whole team)."""
    on_team = session.exec(
        select(SubmissionMember.id).where(
            SubmissionMember.submission_id == submission_id, SubmissionMember.user_id == juror.user_id
        )
    ).first()
    stored = session.exec(
        select(JuryConflict).where(JuryConflict.juror_id == juror.id, JuryConflict.submission_id == submission_id)
    ).first()
    pair = (juror.id or 0, submission_id)
    known = Conflicts(team=frozenset({pair} if on_team is not None else set()), stored={pair: stored} if stored else {})
    return known.blocks(*pair)


def visible_conflicts(session: Session, *, actor: Actor, challenge: Challenge) -> list[JuryConflict]:
    """Hosts see every stored conflict of the jury; a juror sees their own."""
    seat = seat_of(session, challenge=challenge, actor=actor)
    permissions.check_sees_jury(actor, challenge, seat)
    statement = (
        select(JuryConflict)
        .join(Juror, col(Juror.id) == col(JuryConflict.juror_id))
        .where(Juror.challenge_id == challenge.id)
        .order_by(col(JuryConflict.id))
    )
    if not permissions.runs(actor, challenge):
        statement = statement.where(JuryConflict.juror_id == (seat.id if seat else 0))
    return list(session.exec(statement).all())


def flag_conflicts(
    session: Session, *, challenge: Challenge, seated: Sequence[Juror], concepts: Sequence[Submission], now: datetime
) -> int:
    """Flag, for a host to confirm, jurors who share a (non-webmail) email domain or an organisation with a team
    member of a concept; returns how many new flags were stored. Flags count as conflicts until dismissed."""
    known = conflicts(session, challenge=challenge, seated=seated, concepts=concepts)
    members = {member.user_id for concept in concepts for member in concept.members}
    organisations = _organisations(session, members | {juror.user_id for juror in seated if juror.user_id})
    added = 0
    for juror in seated:
        if juror.user is None:
            continue
        domain = _domain(juror.user.email)
        own_organisations = organisations.get(juror.user.id or 0, set())
        for concept in concepts:
            pair = (juror.id or 0, concept.id or 0)
            if pair in known.team or pair in known.stored:
                continue
            source = None
            for member in concept.members:
                if domain not in WEBMAIL_DOMAINS and _domain(member.user.email) == domain:
                    source = ConflictSource.EMAIL_DOMAIN
                elif own_organisations & organisations.get(member.user_id, set()):
                    source = ConflictSource.ORGANISATION
                if source is not None:
                    break
            if source is None:
                continue
            session.add(
                JuryConflict(
                    juror_id=pair[0],
                    submission_id=pair[1],
                    source=source,
                    status=ConflictStatus.FLAGGED,
                    created_at=now,
                )
            )
            added += 1
    session.flush()
    return added


def declare_conflict(
    session: Session, *, actor: Actor, challenge: Challenge, submission_id: int, reason: str, now: datetime
) -> JuryConflict:
    """A juror declares a conflict of interest with a concept (the reason is for the hosts only): they are taken
    off it, and never see its scores."""
    seat = seat_of(session, challenge=challenge, actor=actor)
    permissions.check_sees_jury(actor, challenge, seat)
    if not permissions.sits(seat) or seat is None:
        raise Forbidden(_("Only jurors declare conflicts of interest."))
    if not permissions.can_declare_conflict(challenge, seat, now):
        raise PhaseClosed(_("Conflicts are declared while the concepts come in and during the review."))
    # Under the panel's lock: an assignment run in another transaction cannot hand the concept back meanwhile.
    panel_of(session, challenge, lock=True)
    concept = session.get(Submission, submission_id)
    if concept is None or concept.challenge_id != challenge.id or concept.status != SubmissionStatus.SUBMITTED:
        raise NotFound(_("No such concept."))
    reason = reason.strip()
    if len(reason) > 500:
        raise ValidationFailed(
            _("Keep the reason under 500 characters."), errors={"reason": _("At most 500 characters.")}
        )
    existing = session.exec(
        select(JuryConflict).where(JuryConflict.juror_id == seat.id, JuryConflict.submission_id == submission_id)
    ).first()
    conflict = existing or JuryConflict(
        juror_id=seat.id or 0,
        submission_id=submission_id,
        source=ConflictSource.DECLARED,
        status=ConflictStatus.CONFIRMED,
        created_at=now,
    )
    conflict.source, conflict.status, conflict.reason, conflict.decided_at = (
        ConflictSource.DECLARED,
        ConflictStatus.CONFIRMED,
        reason,
        now,
    )
    session.add(conflict)
    _release(session, juror_id=seat.id or 0, submission_id=submission_id)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.conflict.declare",
        target="jury_conflict",
        target_id=conflict.id,
        now=now,
        after={"submission_id": submission_id},
    )
    return conflict


def _release(session: Session, *, juror_id: int, submission_id: int) -> None:
    """Take a conflicted juror off a concept: the assignment goes (its draft review too; a submitted one stays, and
    is left out of the results because of the conflict)."""
    session.exec(
        delete(JuryAssignment).where(
            col(JuryAssignment.juror_id) == juror_id, col(JuryAssignment.submission_id) == submission_id
        )
    )
    session.exec(
        delete(Review).where(
            col(Review.juror_id) == juror_id,
            col(Review.submission_id) == submission_id,
            col(Review.status) == ReviewStatus.DRAFT,
        )
    )


def decide_conflict(
    session: Session, *, actor: Actor, challenge: Challenge, conflict_id: int, confirm: bool, now: datetime
) -> JuryConflict:
    """A host confirms a flagged conflict (the juror is taken off the concept) or dismisses it."""
    permissions.check_runs(actor, challenge)
    if not permissions.can_decide_conflicts(actor, challenge, now):
        raise Conflict(_("Conflicts are decided while the concepts come in and during the review."))
    panel_of(session, challenge, lock=True)
    conflict = session.get(JuryConflict, conflict_id)
    juror = session.get(Juror, conflict.juror_id) if conflict is not None else None
    if conflict is None or juror is None or juror.challenge_id != challenge.id:
        raise NotFound(_("No such conflict of interest."))
    if conflict.source == ConflictSource.DECLARED:
        raise Conflict(_("A juror's own declaration stands: only conflicts found automatically are decided by hosts."))
    before = str(conflict.status)
    conflict.status = ConflictStatus.CONFIRMED if confirm else ConflictStatus.DISMISSED
    conflict.decided_at = now
    session.add(conflict)
    if confirm:
        _release(session, juror_id=conflict.juror_id, submission_id=conflict.submission_id)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.conflict.decide",
        target="jury_conflict",
        target_id=conflict.id,
        now=now,
        before={"status": before},
        after={"status": str(conflict.status)},
    )
    return conflict


# --- assignment -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shortfall:
    submission_id: int
    title: str
    missing: int
    available: int


@dataclass(frozen=True)
class AssignmentOutcome:
    added: int
    removed: int
    flagged: int
    shortfalls: list[Shortfall]


def assignments(session: Session, *, challenge: Challenge, round_: int = FIRST_ROUND) -> list[JuryAssignment]:
    """Every assignment of the challenge's seated jurors in a round."""
    return list(
        session.exec(
            select(JuryAssignment)
            .join(Juror, col(Juror.id) == col(JuryAssignment.juror_id))
            .where(Juror.challenge_id == challenge.id, col(Juror.left_at).is_(None), JuryAssignment.round == round_)
            .order_by(col(JuryAssignment.juror_id), col(JuryAssignment.submission_id))
        ).all()
    )


def _started(session: Session, juror_ids: Sequence[int], round_: int) -> set[tuple[int, int]]:
    """(juror, concept) pairs with a review begun or given in a round."""
    if not juror_ids:
        return set()
    rows = session.exec(
        select(Review.juror_id, Review.submission_id).where(col(Review.juror_id).in_(juror_ids), Review.round == round_)
    ).all()
    return {(juror_id, submission_id) for juror_id, submission_id in rows}


@dataclass(frozen=True)
class RoundPool:
    """Who reviews what in a round: every seated juror and concept in round 1; the final panel and the
    shortlisted concepts in the final round, where the whole panel reviews every finalist."""

    round_: int
    jurors: list[Juror]
    concepts: list[Submission]
    per_concept: int


def round_pool(session: Session, *, challenge: Challenge, panel: JuryPanel) -> RoundPool:
    """The jurors and concepts of the round the jury is in."""
    seated = jurors(session, challenge=challenge)
    concepts = concepts_under_review(session, challenge=challenge)
    if current_round(panel) == FIRST_ROUND:
        return RoundPool(FIRST_ROUND, seated, concepts, panel.jurors_per_concept)
    finalists = set(finalist_ids(session, challenge))
    final_panel = [juror for juror in seated if juror.final_round]
    shortlisted = [concept for concept in concepts if concept.id in finalists]
    return RoundPool(FINAL_ROUND, final_panel, shortlisted, max(1, len(final_panel)))


def run_assignment(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> AssignmentOutcome:
    """Assign each concept its jurors: balanced (loads differ by at most one where conflicts allow), never a
    conflicted juror, the same result for the same input. Hand-placed assignments and those with a review begun
    are kept; the others may move, so a re-run after a juror leaves rebalances what nobody has started."""
    permissions.check_assign(actor, challenge, now)
    panel = panel_of(session, challenge, lock=True)  # one run at a time
    pool = round_pool(session, challenge=challenge, panel=panel)
    seated, concepts = pool.jurors, pool.concepts
    flagged = flag_conflicts(session, challenge=challenge, seated=seated, concepts=concepts, now=now)
    blocked = conflicts(session, challenge=challenge, seated=seated, concepts=concepts).blocked_pairs()
    existing = assignments(session, challenge=challenge, round_=pool.round_)
    started = _started(session, [juror.id or 0 for juror in seated], pool.round_)
    under_review = {concept.id for concept in concepts}
    keep = {
        (a.juror_id, a.submission_id)
        for a in existing
        if a.submission_id in under_review and (a.manual or (a.juror_id, a.submission_id) in started)
    }
    plan = assignment.plan_assignment(
        jurors=[juror.id or 0 for juror in seated],
        concepts=[concept.id or 0 for concept in concepts],
        per_concept=pool.per_concept,
        conflicts=blocked,
        keep=keep,
    )
    removed = [a for a in existing if (a.juror_id, a.submission_id) not in plan.pairs]
    for stale in removed:
        session.delete(stale)
    have = {(a.juror_id, a.submission_id) for a in existing}
    added = sorted(pair for pair in plan.pairs if pair not in have)
    for juror_id, submission_id in added:
        session.add(JuryAssignment(juror_id=juror_id, submission_id=submission_id, round=pool.round_, created_at=now))
    session.flush()
    titles = {concept.id: concept.title for concept in concepts}
    shortfalls = [
        Shortfall(short.concept_id, titles.get(short.concept_id, ""), short.missing, short.available)
        for short in plan.shortfalls
    ]
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.assign.run",
        target="jury_panel",
        target_id=panel.id,
        now=now,
        after={"added": len(added), "removed": len(removed), "flagged": flagged, "short": len(shortfalls)},
    )
    return AssignmentOutcome(added=len(added), removed=len(removed), flagged=flagged, shortfalls=shortfalls)


def assign(
    session: Session, *, actor: Actor, challenge: Challenge, juror_id: int, submission_id: int, now: datetime
) -> JuryAssignment:
    """A host assigns a juror to a concept by hand (a re-run keeps it); never a conflicted one."""
    permissions.check_assign(actor, challenge, now)
    panel = panel_of(session, challenge, lock=True)
    pool = round_pool(session, challenge=challenge, panel=panel)
    juror = _juror(session, challenge=challenge, juror_id=juror_id)
    concept = next((c for c in pool.concepts if c.id == submission_id), None)
    if concept is None:
        raise NotFound(_("No such concept under review.") if pool.round_ == FIRST_ROUND else _("No such finalist."))
    if juror not in pool.jurors:
        raise Conflict(_("This juror is not on the final round's panel."), field="juror")
    flag_conflicts(session, challenge=challenge, seated=[juror], concepts=[concept], now=now)
    known = conflicts(session, challenge=challenge, seated=[juror], concepts=[concept])
    if (juror.id, concept.id) in known.team:
        raise ConflictOfInterest(_("A team member cannot review their own concept."), field="juror")
    if known.blocks(juror.id or 0, submission_id):
        raise ConflictOfInterest(
            _("This juror has a conflict of interest with this concept. Dismiss the conflict first if it is not one."),
            field="juror",
        )
    existing = session.exec(
        select(JuryAssignment).where(
            JuryAssignment.juror_id == juror.id,
            JuryAssignment.submission_id == submission_id,
            JuryAssignment.round == pool.round_,
        )
    ).first()
    if existing is not None:
        if not existing.manual:  # a re-run now keeps it
            existing.manual = True
            session.add(existing)
            session.flush()
            record(
                session,
                actor=actor,
                challenge=challenge,
                action="jury.assign",
                target="jury_assignment",
                target_id=existing.id,
                now=now,
                before={"manual": False},
                after={"manual": True},
            )
        return existing
    placed = JuryAssignment(
        juror_id=juror.id or 0, submission_id=submission_id, manual=True, round=pool.round_, created_at=now
    )
    session.add(placed)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.assign",
        target="jury_assignment",
        target_id=placed.id,
        now=now,
        after={"juror_id": juror.id, "submission_id": submission_id},
    )
    return placed


def unassign(session: Session, *, actor: Actor, challenge: Challenge, assignment_id: int, now: datetime) -> None:
    """A host takes a juror off a concept they have not submitted a review of."""
    permissions.check_assign(actor, challenge, now)
    panel_of(session, challenge, lock=True)
    placed = session.get(JuryAssignment, assignment_id)
    juror = session.get(Juror, placed.juror_id) if placed is not None else None
    if placed is None or juror is None or juror.challenge_id != challenge.id:
        raise NotFound(_("No such assignment."))
    review = session.exec(
        select(Review).where(
            Review.juror_id == placed.juror_id,
            Review.submission_id == placed.submission_id,
            Review.round == placed.round,
        )
    ).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise Conflict(_("This juror has submitted their review of this concept; it stays counted."))
    session.delete(placed)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.unassign",
        target="jury_assignment",
        target_id=assignment_id,
        now=now,
        before={"juror_id": placed.juror_id, "submission_id": placed.submission_id},
    )


# --- data protection ----------------------------------------------------------------------------------------------


def export_jury_work(session: Session, user: User) -> list[dict[str, Any]]:
    """The user's seats on juries for "download my data": each with its reviews and declared conflicts."""
    seats = session.exec(
        select(Juror, Challenge.slug)
        .join(Challenge, col(Challenge.id) == col(Juror.challenge_id))
        .where(col(Juror.user_id) == user.id)
        .order_by(col(Juror.id))
    ).all()
    seat_ids = [juror.id for juror, _slug in seats]
    given = session.exec(
        select(Review).where(col(Review.juror_id).in_(seat_ids)).options(selectinload(Review.scores))  # type: ignore[arg-type]
    ).all()
    declared = session.exec(select(JuryConflict).where(col(JuryConflict.juror_id).in_(seat_ids))).all()
    return [
        {
            "challenge": slug,
            "role": str(juror.role),
            "joined_at": juror.joined_at.isoformat(),
            "left_at": juror.left_at.isoformat() if juror.left_at else None,
            "reviews": [
                {
                    "concept": review.submission_id,
                    "status": str(review.status),
                    "overall_comment": review.overall_comment,
                    "scores": [
                        {"criterion": s.criterion_id, "value": s.value, "comment": s.comment} for s in review.scores
                    ],
                }
                for review in given
                if review.juror_id == juror.id
            ],
            "conflicts": [
                {"concept": c.submission_id, "source": str(c.source), "status": str(c.status), "reason": c.reason}
                for c in declared
                if c.juror_id == juror.id
            ],
        }
        for juror, slug in seats
    ]


def unlink_on_deletion(session: Session, user: User) -> None:
    """A deleted account leaves its juries: the reviews it gave still count, linked to no one."""
    left = user.deleted_at or utcnow()
    session.exec(
        update(Juror)
        .where(col(Juror.user_id) == user.id)
        .values(user_id=None, left_at=func.coalesce(col(Juror.left_at), left))
    )


gdpr.register_exporter("jury", export_jury_work)
gdpr.register_anonymiser(unlink_on_deletion)


# --- the final round ----------------------------------------------------------------------------------------------


def start_final_round(
    session: Session,
    *,
    actor: Actor,
    challenge: Challenge,
    submission_ids: Sequence[int],
    juror_ids: Sequence[int],
    now: datetime,
) -> AssignmentOutcome:
    """The hosts shortlist concepts for a final round and name its panel (the same jury or some of it); every
    finalist is then assigned to the whole final panel (less any conflict) and scored again, in round 2."""
    permissions.check_assign(actor, challenge, now)
    panel = panel_of(session, challenge, lock=True)
    if panel.final_round_at is not None:
        raise Conflict(_("The final round has already begun."))
    under_review = {concept.id for concept in concepts_under_review(session, challenge=challenge)}
    seated = {juror.id: juror for juror in jurors(session, challenge=challenge)}
    chosen = list(dict.fromkeys(submission_ids))
    panel_ids = list(dict.fromkeys(juror_ids))
    errors = {}
    if len(chosen) < 2 or any(concept_id not in under_review for concept_id in chosen):
        errors["concepts"] = _("Shortlist at least two of the concepts under review.")
    if not panel_ids or any(juror_id not in seated for juror_id in panel_ids):
        errors["jurors"] = _("Choose at least one juror of this jury for the final round.")
    if errors:
        raise ValidationFailed(_("The final round needs another look."), errors=errors)
    for position, concept_id in enumerate(chosen):
        session.add(
            Finalist(challenge_id=challenge.id or 0, submission_id=concept_id, position=position, created_at=now)
        )
    for juror_id, juror in seated.items():
        juror.final_round = juror_id in panel_ids
        session.add(juror)
    panel.final_round_at, panel.updated_at = now, now
    session.add(panel)
    session.flush()
    record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.final-round",
        target="jury_panel",
        target_id=panel.id,
        now=now,
        after={"finalists": chosen, "jurors": panel_ids},
    )
    return run_assignment(session, actor=actor, challenge=challenge, now=now)
