"""Public comments on concepts (one level of replies) and private feedback from the hosts to a team.

Bodies are plain text: shown escaped, with their line breaks kept; no Markdown, so no links or markup to abuse.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import ratelimit
from app.accounts import gdpr
from app.accounts import permissions as accounts_permissions
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.challenges.models import Challenge
from app.errors import Forbidden, NotFound, PhaseClosed, Unauthenticated, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import duplicates, urls
from app.submissions import permissions
from app.submissions.models import Comment, Feedback, Submission

MAX_COMMENT = 2000
MAX_FEEDBACK = 5000
# A guard, not a page: the concept page shows at most this many comments (the API pages through all of them).
MAX_LISTED = 500


# --- shared ------------------------------------------------------------------------------------------------------


def author_name(user: User | None) -> str:
    if user is None or user.deleted_at is not None:
        return _("Deleted user")
    return user.display_name


def users_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    """The users with these ids, by id (one query)."""
    wanted = sorted({user_id for user_id in ids if user_id is not None})
    if not wanted:
        return {}
    return {user.id: user for user in session.exec(select(User).where(col(User.id).in_(wanted))).all() if user.id}


def clean_text(value: str, *, name: str, limit: int, empty: str) -> str:
    """`value` stripped; empty or overlong text is refused with a message for the field `name`."""
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationFailed(_("Please correct the fields marked below."), errors={name: empty})
    if len(text) > limit:
        too_long = _("Keep the text under %(max)d characters.") % {"max": limit}
        raise ValidationFailed(_("Please correct the fields marked below."), errors={name: too_long})
    return text


def concept_link(challenge: Challenge, submission: Submission, anchor: str = "") -> str:
    return urls.absolute(urls.concept(challenge.slug, submission.id, anchor=anchor))


def team_users(session: Session, submission: Submission, *, leave_out: int | None = None) -> list[User]:
    """The team's people who can receive email (the team must be loaded), `leave_out` aside."""
    users = users_by_id(session, (member.user_id for member in submission.members))
    return [user for user in users.values() if user.id != leave_out and user.deleted_at is None and user.is_active]


def _record(session: Session, *, actor: Actor, challenge: Challenge, action: str, target_type: str,
            target_id: int | None, now: datetime,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:  # fmt: skip
    audit.record(
        session, actor=actor, action=action, target_type=target_type, target_id=target_id,
        organization_id=challenge.host_id, before=before, after=after, now=now,
    )  # fmt: skip


# --- comments: reading -------------------------------------------------------------------------------------------


@dataclass
class CommentEntry:
    """A comment as the actor sees it: a deleted or hidden one keeps its place without its text."""

    comment: Comment
    author_name: str
    own: bool
    can_edit: bool
    can_delete: bool
    replies: list[CommentEntry] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.comment.hidden_at is not None:
            return "hidden"
        if self.comment.deleted_at is not None:
            return "deleted"
        return "shown"

    @property
    def body(self) -> str | None:
        return self.comment.body if self.state == "shown" else None


def _entries(session: Session, actor: Actor, comments: Sequence[Comment], now: datetime) -> list[CommentEntry]:
    users = users_by_id(session, (comment.author_id for comment in comments))
    return [
        CommentEntry(
            comment=comment,
            author_name=author_name(users.get(comment.author_id or 0)),
            own=actor.user_id is not None and comment.author_id == actor.user_id,
            can_edit=permissions.can_edit_comment(actor, comment, now),
            can_delete=permissions.can_delete_comment(actor, comment),
        )
        for comment in comments
    ]


def threads(session: Session, *, actor: Actor, submission: Submission, now: datetime) -> list[CommentEntry]:
    """The concept's comments, oldest first, each with its replies, in two queries whatever their number."""
    comments = session.exec(
        select(Comment)
        .where(col(Comment.submission_id) == submission.id)
        .order_by(col(Comment.created_at), col(Comment.id))
        .limit(MAX_LISTED)
    ).all()
    entries = _entries(session, actor, comments, now)
    by_id = {entry.comment.id: entry for entry in entries}
    top: list[CommentEntry] = []
    for entry in entries:
        parent = by_id.get(entry.comment.parent_id) if entry.comment.parent_id else None
        if parent is not None:
            parent.replies.append(entry)
        elif entry.comment.parent_id is None:
            top.append(entry)
    return top


def page(
    session: Session, *, actor: Actor, submission: Submission, now: datetime, page: int, size: int
) -> tuple[list[CommentEntry], int]:
    """One page of the concept's comments, oldest first, flat (replies name their `parent_id`)."""
    condition = col(Comment.submission_id) == submission.id
    total = session.exec(select(func.count()).select_from(Comment).where(condition)).one()
    comments = session.exec(
        select(Comment).where(condition).order_by(col(Comment.created_at), col(Comment.id))
        .offset((page - 1) * size).limit(size)
    ).all()  # fmt: skip
    return _entries(session, actor, comments, now), int(total)


def entry_for(session: Session, *, actor: Actor, comment: Comment, now: datetime) -> CommentEntry:
    return _entries(session, actor, [comment], now)[0]


def get_comment(session: Session, *, submission: Submission, comment_id: int) -> Comment:
    """The comment `comment_id` on `submission` (which the caller has already been allowed to see)."""
    comment = session.exec(
        select(Comment).where(col(Comment.id) == comment_id, col(Comment.submission_id) == submission.id)
    ).first()
    if comment is None:
        raise NotFound(_("No such comment."))
    return comment


@dataclass(frozen=True)
class CommentSection:
    """What the comments part of a concept's page shows to this actor."""

    threads: list[CommentEntry]
    count: int
    can_comment: bool
    # The concept takes comments (so signed-out or unconfirmed people are told how to join in).
    open: bool
    can_report: bool
    can_moderate: bool


def section(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> CommentSection:
    found = threads(session, actor=actor, submission=submission, now=now)
    return CommentSection(
        threads=found,
        count=sum(1 + len(entry.replies) for entry in found),
        can_comment=permissions.can_comment(actor, submission, challenge, now),
        open=permissions.is_public(submission, challenge, now) and permissions.conversation_open(challenge, now),
        can_report=permissions.can_report(actor),
        can_moderate=permissions.can_moderate(actor, challenge),
    )


# --- comments: writing -------------------------------------------------------------------------------------------


def clean_comment(body: str) -> str:
    return clean_text(body, name="body", limit=MAX_COMMENT, empty=_("Write your comment."))


def _tell_team(
    session: Session, *, challenge: Challenge, submission: Submission, comment: Comment, actor: Actor, now: datetime
) -> None:
    """Email each team member (the commenter aside) about a new comment, in their own language."""
    for user in team_users(session, submission, leave_out=actor.user_id):
        outbox.enqueue_email(
            session, to=user.email, template="comment_new", language=user.language, now=now,
            context={
                "display_name": user.display_name, "author": author_name(accounts_permissions.user_of(actor)),
                "concept_title": submission.title, "challenge_title": challenge.title, "body": comment.body,
                "link": concept_link(challenge, submission, f"comment-{comment.id}"),
            },
        )  # fmt: skip


def add_comment(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, body: str,
    parent_id: int | None = None, now: datetime,
) -> Comment:  # fmt: skip
    """A signed-in person with a confirmed email comments on a public concept; a reply to a reply is attached to
    the top-level comment it belongs to (one level of replies). The team is emailed."""
    if actor.user_id is None:
        raise Unauthenticated(_("Please sign in to continue."))
    if not actor.email_verified:
        raise Forbidden(_("Confirm your email address before you comment."))
    if not permissions.can_comment(actor, submission, challenge, now):
        raise PhaseClosed(_("This concept does not take comments now."))
    text = clean_comment(body)
    parent: Comment | None = None
    if parent_id is not None:
        parent = session.exec(
            select(Comment).where(col(Comment.id) == parent_id, col(Comment.submission_id) == submission.id)
        ).first()
        if parent is None:
            raise ValidationFailed(_("Please correct the fields marked below."),
                                   errors={"parent_id": _("Reply to a comment on this concept.")})  # fmt: skip
        if parent.parent_id is not None:
            parent = session.get(Comment, parent.parent_id)
    ratelimit.hit(ratelimit.COMMENT, "comment", str(actor.user_id))
    assert submission.id is not None  # noqa: S101  (a stored submission)
    parent_key = parent.id if parent else None
    comment = Comment(
        submission_id=submission.id,
        author_id=actor.user_id,
        parent_id=parent_key,
        body=text,
        fingerprint=duplicates.fingerprint(text, parent_key),
        created_at=now,
    )
    comment = duplicates.add_once(
        session,
        comment,
        key=("author_id", "submission_id", "fingerprint"),
        now=now,
        message=_("You have just posted this comment."),
    )
    after = {"submission": submission.id, "parent": comment.parent_id}
    _record(session, actor=actor, challenge=challenge, action="comment.create", target_type="comment",
            target_id=comment.id, now=now, after=after)  # fmt: skip
    _tell_team(session, challenge=challenge, submission=submission, comment=comment, actor=actor, now=now)
    return comment


def _own(actor: Actor, author_id: int | None, what: str) -> None:
    if actor.user_id is None or author_id != actor.user_id:
        raise Forbidden(what)


def edit_comment(
    session: Session, *, actor: Actor, challenge: Challenge, comment: Comment, body: str, now: datetime
) -> Comment:
    """Its author rewords a comment within 15 minutes of posting it."""
    _own(actor, comment.author_id, _("Only its author can change a comment."))
    permissions.check_edit_comment(actor, comment, now)
    before = {"body": comment.body}
    comment.body = clean_comment(body)
    comment.edited_at = now
    session.add(comment)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="comment.edit", target_type="comment",
            target_id=comment.id, now=now, before=before, after={"body": comment.body})  # fmt: skip
    return comment


def delete_comment(session: Session, *, actor: Actor, challenge: Challenge, comment: Comment, now: datetime) -> Comment:
    """Its author deletes a comment: the text is blanked, a placeholder keeps the replies in place."""
    _own(actor, comment.author_id, _("Only its author can delete a comment."))
    if comment.deleted_at is not None:
        return comment
    comment.body = ""
    comment.fingerprint = None  # gone: the same words may be posted again at once
    comment.deleted_at = now
    session.add(comment)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="comment.delete", target_type="comment",
            target_id=comment.id, now=now)  # fmt: skip
    return comment


# --- private feedback --------------------------------------------------------------------------------------------


@dataclass
class FeedbackEntry:
    feedback: Feedback
    author_name: str
    can_edit: bool


@dataclass(frozen=True)
class FeedbackSection:
    """Private feedback on a concept page: only for the team and the hosts."""

    visible: bool
    entries: list[FeedbackEntry]
    can_write: bool


def clean_feedback(body: str) -> str:
    return clean_text(body, name="body", limit=MAX_FEEDBACK, empty=_("Write your feedback."))


def _require_feedback_reader(actor: Actor, submission: Submission, challenge: Challenge) -> None:
    if not permissions.can_see_feedback(actor, submission, challenge):
        raise NotFound(_("No such feedback."))


def feedback_list(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> list[FeedbackEntry]:
    """The concept's feedback, oldest first (the team and the hosts; anyone else gets a 404)."""
    _require_feedback_reader(actor, submission, challenge)
    rows = session.exec(
        select(Feedback)
        .where(col(Feedback.submission_id) == submission.id)
        .order_by(col(Feedback.created_at), col(Feedback.id))
    ).all()
    users = users_by_id(session, (row.author_id for row in rows))
    return [
        FeedbackEntry(row, author_name(users.get(row.author_id or 0)), permissions.can_edit_feedback(actor, row, now))
        for row in rows
    ]


def feedback_section(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> FeedbackSection:
    if not permissions.can_see_feedback(actor, submission, challenge):
        return FeedbackSection(visible=False, entries=[], can_write=False)
    entries = feedback_list(session, actor=actor, challenge=challenge, submission=submission, now=now)
    return FeedbackSection(
        visible=True, entries=entries,
        can_write=permissions.can_write_feedback(actor, submission, challenge, now),
    )  # fmt: skip


def get_feedback(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, feedback_id: int
) -> Feedback:
    _require_feedback_reader(actor, submission, challenge)
    row = session.exec(
        select(Feedback).where(col(Feedback.id) == feedback_id, col(Feedback.submission_id) == submission.id)
    ).first()
    if row is None:
        raise NotFound(_("No such feedback."))
    return row


def give_feedback(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, body: str, now: datetime
) -> Feedback:
    """A host writes private feedback to a team; every team member is emailed."""
    _require_feedback_reader(actor, submission, challenge)
    if not permissions.runs_challenge(actor, challenge):
        raise Forbidden(_("Only the challenge's hosts can give feedback."))
    if not permissions.can_write_feedback(actor, submission, challenge, now):
        raise PhaseClosed(_("Feedback cannot be given on this concept now."))
    text = clean_feedback(body)
    assert submission.id is not None  # noqa: S101  (a stored submission)
    row = Feedback(submission_id=submission.id, author_id=actor.user_id, body=text, created_at=now)
    session.add(row)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="feedback.create", target_type="submission",
            target_id=submission.id, now=now, after={"feedback": row.id, "body": text})  # fmt: skip
    for user in team_users(session, submission):
        outbox.enqueue_email(
            session, to=user.email, template="feedback_new", language=user.language, now=now,
            context={
                "display_name": user.display_name, "concept_title": submission.title,
                "challenge_title": challenge.title, "body": text,
                "link": concept_link(challenge, submission, "feedback"),
            },
        )  # fmt: skip
    return row


def edit_feedback(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, feedback: Feedback, body: str,
    now: datetime,
) -> Feedback:  # fmt: skip
    """Its author rewords feedback within 15 minutes of writing it."""
    _own(actor, feedback.author_id, _("Only its author can change this feedback."))
    permissions.check_edit_feedback(actor, feedback, now)
    text = clean_feedback(body)
    before = {"body": feedback.body}
    feedback.body = text
    feedback.edited_at = now
    session.add(feedback)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="feedback.edit", target_type="submission",
            target_id=submission.id, now=now, before=before, after={"feedback": feedback.id, "body": text})  # fmt: skip
    return feedback


# --- personal data -----------------------------------------------------------------------------------------------


def export_comments(session: Session, user: User) -> list[dict[str, Any]]:
    """The user's comments, for "download my data"."""
    rows = session.exec(
        select(Comment, Challenge.slug)
        .join(Submission, col(Submission.id) == Comment.submission_id)
        .join(Challenge, col(Challenge.id) == Submission.challenge_id)
        .where(col(Comment.author_id) == user.id)
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    return [
        {
            "challenge": slug,
            "submission": comment.submission_id,
            "reply_to": comment.parent_id,
            "body": comment.body,
            "written_at": comment.created_at.isoformat(),
            "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
            "deleted_at": comment.deleted_at.isoformat() if comment.deleted_at else None,
            "hidden_reason": comment.hidden_reason if comment.hidden_at else None,
        }
        for comment, slug in rows
    ]


def export_feedback(session: Session, user: User) -> list[dict[str, Any]]:
    """Feedback the user wrote to teams."""
    rows = session.exec(
        select(Feedback).where(col(Feedback.author_id) == user.id).order_by(col(Feedback.created_at))
    ).all()
    return [
        {
            "submission": row.submission_id,
            "body": row.body,
            "written_at": row.created_at.isoformat(),
            "edited_at": row.edited_at.isoformat() if row.edited_at else None,
        }
        for row in rows
    ]


# A deleted account keeps its comments (part of a public discussion); they show "Deleted user", because deletion
# anonymises the user row itself. A person who wants a comment gone deletes it before deleting the account.
gdpr.register_exporter("comments", export_comments)
gdpr.register_exporter("feedback_written", export_feedback)
