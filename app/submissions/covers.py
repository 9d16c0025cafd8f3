"""A concept's cover image: set and removed by its team while submissions are open, served by its content hash."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.errors import NotFound
from app.i18n import gettext as _
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.models import Submission, SubmissionCover


def _snapshot(cover: SubmissionCover | None) -> dict[str, Any]:
    if cover is None:
        return {"cover_sha256": None}
    return {"cover_sha256": cover.sha256, "content_type": cover.content_type, "bytes": len(cover.content)}


def set_cover(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, content: bytes, now: datetime
) -> Submission:
    """Replace the concept's cover; its type is judged by content with the challenge covers' rule (PNG, JPEG or
    WebP, at most 2 MB)."""
    submissions.require_member(actor, submission, challenge, now)
    content_type = challenges.cover_content_type(content)
    cover = session.get(SubmissionCover, submission.id)
    before = _snapshot(cover)
    digest = hashlib.sha256(content).hexdigest()
    if cover is None:
        cover = SubmissionCover(submission_id=submission.id, content=content, content_type=content_type,  # type: ignore[arg-type]
                                sha256=digest, updated_at=now)  # fmt: skip
    else:
        cover.content, cover.content_type, cover.sha256, cover.updated_at = content, content_type, digest, now
    session.add(cover)
    submission.cover_sha256 = digest
    submission.updated_at = now
    session.add(submission)
    session.flush()
    submissions.record(session, actor=actor, submission=submission, challenge=challenge,
                        action="submission.cover", now=now, before=before, after=_snapshot(cover))  # fmt: skip
    return submission


def remove_cover(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> Submission:
    """The concept shows no cover any more."""
    submissions.require_member(actor, submission, challenge, now)
    cover = session.get(SubmissionCover, submission.id)
    if cover is None:
        raise NotFound(_("This concept has no cover image."))
    before = _snapshot(cover)
    session.delete(cover)
    submission.cover_sha256 = None
    submission.updated_at = now
    session.add(submission)
    session.flush()
    submissions.record(session, actor=actor, submission=submission, challenge=challenge,
                        action="submission.cover.remove", now=now, before=before, after=_snapshot(None))  # fmt: skip
    return submission


def cover_of(session: Session, *, submission: Submission, sha256: str) -> SubmissionCover:
    """The concept's cover when `sha256` names the current one (an old address is gone)."""
    cover = session.get(SubmissionCover, submission.id) if submission.cover_sha256 == sha256 else None
    if cover is None or cover.sha256 != sha256:
        raise NotFound(_("No such cover image."))
    return cover


def shared_cache_allowed(submission: Submission, challenge: Challenge, now: datetime) -> bool:
    """A public concept's cover may sit in shared caches; anyone else's only in the reader's browser."""
    return permissions.is_public(submission, challenge, now)
