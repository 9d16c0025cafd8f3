"""Follow-up: after the announcement the hosts record what became of an awarded concept (the follow-up assignment, a
pilot, a project) with dated status updates, shown on the challenge, the concept and the host's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from app.actor import Actor
from app.challenges.models import Challenge, Status
from app.errors import Conflict, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.jury import awards, permissions
from app.jury import service as jury
from app.jury.models import FollowUpStatus, FollowUpUpdate
from app.submissions.models import Submission

MAX_TEXT = 2000


def status_label(status: FollowUpStatus | str) -> str:
    """A follow-up status in the reader's language."""
    return {
        FollowUpStatus.PLANNED: _("Planned"),
        FollowUpStatus.STARTED: _("Started"),
        FollowUpStatus.PILOTED: _("Piloted"),
        FollowUpStatus.ADOPTED: _("Adopted"),
        FollowUpStatus.DROPPED: _("Dropped"),
    }[FollowUpStatus(status)]


@dataclass(frozen=True)
class ShownUpdate:
    update: FollowUpUpdate
    label: str
    title: str  # the concept's
    challenge_slug: str
    challenge_title: str


def _awarded(session: Session, challenge: Challenge) -> set[int]:
    return {award.submission_id for award in awards.awards_of(session, challenge)}


def post_update(
    session: Session,
    *,
    actor: Actor,
    challenge: Challenge,
    submission_id: int,
    status: FollowUpStatus,
    text: str,
    happened_on: date,
    now: datetime,
) -> FollowUpUpdate:
    """The hosts post a status update on an awarded concept, once the results are announced."""
    permissions.check_runs(actor, challenge)
    if jury.announcement_of(session, challenge) is None:
        raise Conflict(_("Follow-up is recorded once the results are announced."))
    if submission_id not in _awarded(session, challenge):
        raise ValidationFailed(
            _("Follow up an awarded concept."), errors={"concept": _("Choose one of the awarded concepts.")}
        )
    errors = {}
    if len(text.strip()) > MAX_TEXT:
        errors["text"] = _("At most %(max)d characters.") % {"max": MAX_TEXT}
    announced = jury.announcement_of(session, challenge)
    if happened_on > now.date():
        errors["happened_on"] = _("Give a date that has come: updates tell what happened.")
    elif announced is not None and happened_on < announced.announced_at.date():
        errors["happened_on"] = _("Give a date after the results were announced: follow-up comes after them.")
    if errors:
        raise ValidationFailed(_("The update needs another look."), errors=errors)
    update = FollowUpUpdate(
        challenge_id=challenge.id or 0,
        submission_id=submission_id,
        status=status,
        text=text.strip(),
        happened_on=happened_on,
        posted_by_id=actor.user_id,
        created_at=now,
    )
    session.add(update)
    session.flush()
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="follow-up.post",
        target="follow_up_update",
        target_id=update.id,
        now=now,
        after={"concept": submission_id, "status": str(status)},
    )
    return update


def remove_update(session: Session, *, actor: Actor, challenge: Challenge, update_id: int, now: datetime) -> None:
    """The hosts take back an update posted by mistake."""
    permissions.check_runs(actor, challenge)
    update = session.get(FollowUpUpdate, update_id)
    if update is None or update.challenge_id != challenge.id:
        raise NotFound(_("No such update."))
    session.delete(update)
    session.flush()
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="follow-up.remove",
        target="follow_up_update",
        target_id=update_id,
        now=now,
        before={"concept": update.submission_id, "status": str(update.status)},
    )


def _shown(session: Session, statement: object) -> list[ShownUpdate]:
    rows = session.exec(statement).all()  # type: ignore[call-overload]
    # Concepts are named as submitted (their newest version), never by the team's working copy.
    titles = jury.submitted_titles(session, submission_ids=[update.submission_id for update, *_rest in rows])
    return [
        ShownUpdate(update, status_label(update.status), titles.get(update.submission_id, title), slug, challenge_title)
        for update, title, slug, challenge_title in rows
    ]


def _updates(*conditions: object) -> object:
    return (
        select(FollowUpUpdate, Submission.title, Challenge.slug, Challenge.title)
        .join(Submission, col(Submission.id) == col(FollowUpUpdate.submission_id))
        .join(Challenge, col(Challenge.id) == col(FollowUpUpdate.challenge_id))
        .where(col(Challenge.status) == Status.PUBLISHED, *conditions)  # type: ignore[arg-type]
        .order_by(col(FollowUpUpdate.happened_on).desc(), col(FollowUpUpdate.id).desc())
    )


def of_challenge(session: Session, *, challenge: Challenge) -> list[ShownUpdate]:
    """The challenge's follow-up, newest first (public)."""
    return _shown(session, _updates(col(FollowUpUpdate.challenge_id) == challenge.id))


def of_concept(session: Session, *, submission_id: int) -> list[ShownUpdate]:
    return _shown(session, _updates(col(FollowUpUpdate.submission_id) == submission_id))


def of_organisation(session: Session, *, organization_id: int, limit: int = 10) -> list[ShownUpdate]:
    """The newest follow-up of the challenges an organisation hosted (its page shows that citizens' work mattered)."""
    statement = _updates(col(Challenge.host_id) == organization_id).limit(limit)  # type: ignore[attr-defined]
    return _shown(session, statement)
