"""Reports and moderation: anyone signed in reports a concept or a comment; the hosts hide it (with a reason the
author is told), dismiss the reports, or restore what they hid. Every moderation action is audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app.accounts import gdpr
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.errors import Conflict, NotFound, Unauthenticated
from app.i18n import gettext as _
from app.integrations import outbox
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.discussion import service as comments
from app.submissions.models import Comment, Report, ReportResolution, ReportTarget, Submission

MAX_REASON = 1000
MAX_HIDE_REASON = 500  # the column's length (Submission.hidden_reason, Comment.hidden_reason)


def clean_reason(reason: str, *, limit: int, empty: str) -> str:
    return comments.clean_text(reason, name="reason", limit=limit, empty=empty)


def target_kind(value: str) -> ReportTarget:
    try:
        return ReportTarget(value)
    except ValueError:
        raise NotFound(_("No such concept or comment.")) from None


# --- finding what is reported ------------------------------------------------------------------------------------


@dataclass
class Target:
    """A reported (or hidden) concept or comment, with the concept it belongs to."""

    kind: ReportTarget
    submission: Submission
    comment: Comment | None = None

    @property
    def id(self) -> int:
        item = self.comment if self.comment is not None else self.submission
        assert item.id is not None  # noqa: S101  (stored rows)
        return item.id

    @property
    def hidden_at(self) -> datetime | None:
        return (self.comment or self.submission).hidden_at

    @property
    def hidden_reason(self) -> str:
        return (self.comment or self.submission).hidden_reason


def find_target(
    session: Session, *, actor: Actor, challenge: Challenge, kind: ReportTarget, target_id: int, now: datetime
) -> Target:
    """The concept or comment of `challenge`, when `actor` may see the concept (otherwise a 404)."""
    if kind == ReportTarget.SUBMISSION:
        submission = submissions.get_for(session, challenge=challenge, submission_id=target_id, actor=actor, now=now)
        return Target(kind, submission)
    comment = session.exec(
        select(Comment)
        .join(Submission, col(Submission.id) == Comment.submission_id)
        .where(col(Comment.id) == target_id, col(Submission.challenge_id) == challenge.id)
    ).first()
    if comment is None:
        raise NotFound(_("No such comment."))
    submission = submissions.get_for(
        session, challenge=challenge, submission_id=comment.submission_id, actor=actor, now=now
    )
    return Target(kind, submission, comment)


def challenge_of(session: Session, *, actor: Actor, kind: ReportTarget, target_id: int) -> Challenge:
    """The challenge a concept or comment belongs to (the API names only the target)."""
    submission_id: int | None = target_id
    if kind == ReportTarget.COMMENT:
        submission_id = session.exec(select(Comment.submission_id).where(col(Comment.id) == target_id)).first()
    slug = session.exec(
        select(Challenge.slug)
        .join(Submission, col(Submission.challenge_id) == Challenge.id)
        .where(col(Submission.id) == submission_id)
    ).first()
    if slug is None:
        raise NotFound(_("No such concept or comment."))
    return challenges.get_for(session, slug=slug, actor=actor)


# --- reporting ---------------------------------------------------------------------------------------------------


def report(
    session: Session, *, actor: Actor, challenge: Challenge, kind: ReportTarget, target_id: int, reason: str,
    now: datetime,
) -> tuple[Report, bool]:  # fmt: skip
    """Report a concept or comment `actor` can see; reporting the same thing twice changes nothing and returns the
    first report (the bool says whether this call made a new one)."""
    if actor.user_id is None or not permissions.can_report(actor):
        raise Unauthenticated(_("Please sign in to continue."))
    target = find_target(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, now=now)
    if target.comment is not None and target.comment.deleted_at is not None:
        raise NotFound(_("No such comment."))
    if target.hidden_at is not None:
        raise Conflict(_("The hosts have already hidden this."))
    text = clean_reason(reason, limit=MAX_REASON, empty=_("Say what is wrong with it."))
    existing = _existing(session, actor.user_id, kind, target.id)
    if existing is not None:
        return existing, False
    assert challenge.id is not None  # noqa: S101  (a stored challenge)
    filed = Report(challenge_id=challenge.id, target_type=kind, target_id=target.id, reporter_id=actor.user_id,
                   reason=text, created_at=now)  # fmt: skip
    try:
        with session.begin_nested():  # two reports at once: the unique constraint keeps one, the other is calm
            session.add(filed)
            session.flush()
    except IntegrityError:
        raced = _existing(session, actor.user_id, kind, target.id)
        if raced is None:
            raise
        return raced, False
    return filed, True


def _existing(session: Session, reporter_id: int, kind: ReportTarget, target_id: int) -> Report | None:
    return session.exec(
        select(Report).where(
            col(Report.reporter_id) == reporter_id, col(Report.target_type) == kind, col(Report.target_id) == target_id
        )
    ).first()


# --- the hosts' queue --------------------------------------------------------------------------------------------


@dataclass
class Group:
    """One reported or hidden thing, with what it says and the reports about it."""

    target: Target
    title: str  # the concept's title (for a comment: the concept it is on)
    text: str  # what was reported: the concept's summary, or the comment's text
    author: str  # the comment's author, or the team ("" for a concept)
    reports: list[tuple[Report, str]] = field(default_factory=list)  # (report, reporter's name), oldest first

    @property
    def key(self) -> str:
        return f"{self.target.kind}-{self.target.id}"

    @property
    def count(self) -> int:
        return len(self.reports)


@dataclass(frozen=True)
class Queue:
    open: list[Group]  # open reports, grouped by what they report, most reported first
    hidden: list[Group]  # hidden concepts and comments, to restore


def _moderator(actor: Actor, challenge: Challenge) -> None:
    permissions.check_moderate(actor, challenge)


def queue(session: Session, *, actor: Actor, challenge: Challenge) -> Queue:
    """The challenge's open reports grouped by target, and its hidden content, in a fixed number of queries."""
    _moderator(actor, challenge)
    open_reports = session.exec(
        select(Report)
        .where(col(Report.challenge_id) == challenge.id, col(Report.resolved_at).is_(None))
        .order_by(col(Report.created_at), col(Report.id))
    ).all()
    hidden_submissions = session.exec(
        select(Submission).where(col(Submission.challenge_id) == challenge.id, col(Submission.hidden_at).is_not(None))
        .options(*submissions.LOAD)
    ).all()  # fmt: skip
    hidden_comments = session.exec(
        select(Comment)
        .join(Submission, col(Submission.id) == Comment.submission_id)
        .where(col(Submission.challenge_id) == challenge.id, col(Comment.hidden_at).is_not(None))
    ).all()
    comment_ids = {r.target_id for r in open_reports if r.target_type == ReportTarget.COMMENT}
    reported_comments = (
        session.exec(select(Comment).where(col(Comment.id).in_(sorted(comment_ids)))).all() if comment_ids else []
    )
    all_comments = {c.id: c for c in [*reported_comments, *hidden_comments]}
    submission_ids = {r.target_id for r in open_reports if r.target_type == ReportTarget.SUBMISSION}
    submission_ids |= {c.submission_id for c in all_comments.values()}
    known = {s.id for s in hidden_submissions}
    loaded = list(hidden_submissions)
    missing = sorted(i for i in submission_ids if i not in known)
    if missing:
        loaded += session.exec(
            select(Submission).where(col(Submission.id).in_(missing)).options(*submissions.LOAD)
        ).all()
    shown = {s.submission.id: s for s in submissions.shown_many(session, submissions=loaded, actor=actor)}
    users = comments.users_by_id(
        session, [*(c.author_id for c in all_comments.values()), *(r.reporter_id for r in open_reports)]
    )

    def group(kind: ReportTarget, target_id: int) -> Group | None:
        if kind == ReportTarget.COMMENT:
            comment = all_comments.get(target_id)
            if comment is None or comment.submission_id not in shown:
                return None
            concept = shown[comment.submission_id]
            return Group(Target(kind, concept.submission, comment), concept.title, comment.body,
                         comments.author_name(users.get(comment.author_id or 0)))  # fmt: skip
        reported = shown.get(target_id)
        if reported is None:
            return None
        return Group(Target(kind, reported.submission), reported.title, reported.summary, "")

    open_groups: dict[tuple[str, int], Group] = {}
    for filed in open_reports:
        key = (filed.target_type, filed.target_id)
        if key not in open_groups:
            made = group(ReportTarget(filed.target_type), filed.target_id)
            if made is None:
                continue
            open_groups[key] = made
        open_groups[key].reports.append((filed, comments.author_name(users.get(filed.reporter_id or 0))))
    hidden = [g for s in hidden_submissions if s.id and (g := group(ReportTarget.SUBMISSION, s.id))]
    hidden += [g for c in hidden_comments if c.id and (g := group(ReportTarget.COMMENT, c.id))]
    hidden.sort(key=lambda g: g.target.hidden_at or datetime.min, reverse=True)
    ordered = sorted(open_groups.values(), key=lambda g: (-g.count, g.reports[0][0].created_at))
    return Queue(open=ordered, hidden=hidden)


def get_report(session: Session, *, actor: Actor, report_id: int) -> tuple[Report, Challenge]:
    """A report and its challenge, for the challenge's hosts (a 404 to anyone else)."""
    filed = session.get(Report, report_id)
    if filed is None:
        raise NotFound(_("No such report."))
    slug = session.exec(select(Challenge.slug).where(col(Challenge.id) == filed.challenge_id)).first()
    challenge = challenges.get_for(session, slug=slug or "", actor=actor)
    if not permissions.can_moderate(actor, challenge):
        raise NotFound(_("No such report."))
    return filed, challenge


# --- the hosts' actions ------------------------------------------------------------------------------------------


def _resolve(
    session: Session, *, actor: Actor, target: Target, resolution: ReportResolution, now: datetime
) -> list[int]:
    """Close every open report on `target` with `resolution`; the ids closed."""
    open_reports = session.exec(
        select(Report).where(
            col(Report.target_type) == target.kind, col(Report.target_id) == target.id,
            col(Report.resolved_at).is_(None),
        )
    ).all()  # fmt: skip
    for filed in open_reports:
        filed.resolved_at, filed.resolution, filed.resolved_by_id = now, resolution, actor.user_id
        session.add(filed)
    session.flush()
    return [filed.id for filed in open_reports if filed.id is not None]


def _record(session: Session, *, actor: Actor, challenge: Challenge, target: Target, action: str, now: datetime,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:  # fmt: skip
    audit.record(
        session, actor=actor, action=f"{target.kind}.{action}", target_type=str(target.kind), target_id=target.id,
        organization_id=challenge.host_id, before=before, after=after, now=now,
    )  # fmt: skip


def _tell_authors(
    session: Session, *, challenge: Challenge, target: Target, template: str, reason: str, now: datetime
) -> None:
    """Email the comment's author, or the concept's team, what the hosts did and why."""
    if target.comment is not None:
        author = session.get(User, target.comment.author_id) if target.comment.author_id else None
        people = [author] if author is not None and author.deleted_at is None and author.is_active else []
    else:
        people = comments.team_users(session, target.submission)
    for user in people:
        outbox.enqueue_email(
            session, to=user.email, template=template, language=user.language, now=now,
            context={
                "display_name": user.display_name, "kind": str(target.kind),
                "concept_title": target.submission.title, "challenge_title": challenge.title,
                "comment": target.comment.body if target.comment else "", "reason": reason,
                "link": comments.concept_link(challenge, target.submission,
                                              f"comment-{target.id}" if target.comment else ""),
            },
        )  # fmt: skip


def hide(
    session: Session, *, actor: Actor, challenge: Challenge, kind: ReportTarget, target_id: int, reason: str,
    now: datetime,
) -> Target:  # fmt: skip
    """Hide a concept or comment with a reason: its open reports are resolved and its author is told."""
    _moderator(actor, challenge)
    target = find_target(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, now=now)
    text = clean_reason(reason, limit=MAX_HIDE_REASON, empty=_("Say why it is hidden."))
    if target.hidden_at is not None:
        raise Conflict(_("This is already hidden."))
    item = target.comment if target.comment is not None else target.submission
    item.hidden_at, item.hidden_reason, item.hidden_by_id = now, text, actor.user_id
    session.add(item)
    session.flush()
    resolved = _resolve(session, actor=actor, target=target, resolution=ReportResolution.HIDDEN, now=now)
    _record(session, actor=actor, challenge=challenge, target=target, action="hide", now=now,
            after={"hidden_reason": text, "reports_resolved": resolved})  # fmt: skip
    _tell_authors(session, challenge=challenge, target=target, template="moderation_hidden", reason=text, now=now)
    return target


def restore(
    session: Session, *, actor: Actor, challenge: Challenge, kind: ReportTarget, target_id: int, reason: str,
    now: datetime,
) -> Target:  # fmt: skip
    """Show a hidden concept or comment again, with a reason (kept in the audit log); its author is told."""
    _moderator(actor, challenge)
    target = find_target(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, now=now)
    text = clean_reason(reason, limit=MAX_HIDE_REASON, empty=_("Say why it is shown again."))
    if target.hidden_at is None:
        raise Conflict(_("This is not hidden."))
    item = target.comment if target.comment is not None else target.submission
    before = {"hidden_reason": item.hidden_reason}
    item.hidden_at, item.hidden_reason, item.hidden_by_id = None, "", None
    session.add(item)
    session.flush()
    _record(session, actor=actor, challenge=challenge, target=target, action="restore", now=now, before=before,
            after={"reason": text})  # fmt: skip
    _tell_authors(session, challenge=challenge, target=target, template="moderation_restored", reason=text, now=now)
    return target


def dismiss(
    session: Session, *, actor: Actor, challenge: Challenge, kind: ReportTarget, target_id: int, now: datetime
) -> Target:
    """Close the open reports on a concept or comment without hiding it."""
    _moderator(actor, challenge)
    target = find_target(session, actor=actor, challenge=challenge, kind=kind, target_id=target_id, now=now)
    resolved = _resolve(session, actor=actor, target=target, resolution=ReportResolution.DISMISSED, now=now)
    if not resolved:
        raise Conflict(_("There are no open reports on this."))
    _record(session, actor=actor, challenge=challenge, target=target, action="reports.dismiss", now=now,
            after={"reports_resolved": resolved})  # fmt: skip
    return target


# --- personal data -----------------------------------------------------------------------------------------------


def export_reports(session: Session, user: User) -> list[dict[str, Any]]:
    """The reports the user filed, for "download my data"."""
    rows = session.exec(
        select(Report).where(col(Report.reporter_id) == user.id).order_by(col(Report.created_at), col(Report.id))
    ).all()
    return [
        {
            "target_type": str(row.target_type),
            "target_id": row.target_id,
            "reason": row.reason,
            "reported_at": row.created_at.isoformat(),
            "resolution": str(row.resolution) if row.resolution else None,
        }
        for row in rows
    ]


gdpr.register_exporter("reports", export_reports)
