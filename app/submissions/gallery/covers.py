"""A concept's cover image: set and removed by its team while submissions are open, served by its content hash."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.errors import ValidationFailed
from app.i18n import gettext as _
from app.kit import images
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.models import Submission, SubmissionCover


def _key(submission: Submission) -> int:
    assert submission.id is not None  # noqa: S101  (a stored concept)
    return submission.id


def check_chosen(content: bytes | None) -> bytes:
    """Refuse (422) a cover form sent without an image."""
    if content is None:
        raise ValidationFailed(_("Choose an image."), errors={"cover": _("Choose an image to upload.")})
    return content


def set_cover(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, content: bytes, now: datetime
) -> Submission:
    """Replace the concept's cover; its type is judged by content with the challenge covers' rule (PNG, JPEG or
    WebP, at most 2 MB)."""
    submissions.require_member(actor, submission, challenge, now)
    image = challenges.cover_image(content)
    change = images.store(session, SubmissionCover, key=_key(submission), image=image, now=now)
    submission.cover_sha256 = image.sha256
    submission.updated_at = now
    session.add(submission)
    session.flush()
    submissions.record(
        session, actor=actor, submission=submission, challenge=challenge, action="submission.cover", now=now, **change
    )
    return submission


def remove_cover(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> Submission:
    """The concept shows no cover any more."""
    submissions.require_member(actor, submission, challenge, now)
    missing = _("This concept has no cover image.")
    change = images.remove(session, SubmissionCover, key=_key(submission), missing=missing)
    submission.cover_sha256 = None
    submission.updated_at = now
    session.add(submission)
    session.flush()
    submissions.record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.cover.remove",
        now=now,
        **change,
    )
    return submission


def cover_of(session: Session, *, submission: Submission, sha256: str) -> SubmissionCover:
    """The concept's cover when `sha256` names the current one (an old address is gone)."""
    missing = _("No such cover image.")
    key, shown = _key(submission), submission.cover_sha256
    return images.current(session, SubmissionCover, key=key, current_sha256=shown, sha256=sha256, missing=missing)


def shared_cache_allowed(submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """A public concept's cover may sit in shared caches; anyone else's only in the reader's browser."""
    return permissions.is_public(submission, challenge, now)
