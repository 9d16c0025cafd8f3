"""Submissions: drafts, teams and their invitations, terms, submitting immutable versions, and attachments."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_
from sqlalchemy import delete as sql_delete
from sqlalchemy import update as sql_update
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption
from sqlmodel import Session, col, select

from app import i18n
from app.accounts import gdpr
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.challenges.models import Challenge, FileType
from app.challenges.phases import Action, allows
from app.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PhaseClosed,
)
from app.i18n import gettext as _
from app.integrations import outbox
from app.kit import urls
from app.submissions import permissions
from app.submissions.models import (
    Attachment,
    MemberRole,
    Submission,
    SubmissionMember,
    SubmissionStatus,
    SubmissionVersion,
    TeammateSearch,
)
from app.submissions.schemas import Shown, SubmissionCreate, SubmissionUpdate

TEXT_FIELDS = ("title", "summary", "body", "team_name")

# What each allowed file type is served as; the type itself is decided by the file's content.
CONTENT_TYPES: dict[FileType, str] = {
    FileType.PDF: "application/pdf",
    FileType.PNG: "image/png",
    FileType.JPG: "image/jpeg",
    FileType.WEBP: "image/webp",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    FileType.ODT: "application/vnd.oasis.opendocument.text",
    FileType.ODP: "application/vnd.oasis.opendocument.presentation",
}

# The team with its people, loaded with every submission read.
LOAD: tuple[ExecutableOption, ...] = (
    selectinload(Submission.members).selectinload(SubmissionMember.user),  # type: ignore[arg-type]
)


class LimitReached(Conflict):
    type, title = "limit-reached", "Limit reached"


class NotReady(Conflict):
    """The team cannot submit yet; `reasons` lists what is missing."""

    type, title = "not-ready-to-submit", "Not ready to submit"


# --- reading -----------------------------------------------------------------------------------------------------


def load_submission(session: Session, *conditions: ColumnElement[bool]) -> Submission | None:
    statement = select(Submission).where(*conditions).options(*LOAD).execution_options(populate_existing=True)
    return session.exec(statement).first()


def reload(session: Session, submission: Submission) -> Submission:
    loaded = load_submission(session, col(Submission.id) == submission.id)
    assert loaded is not None  # noqa: S101  (it was just written in this transaction)
    return loaded


def get_for(session: Session, *, challenge: Challenge, submission_id: int, actor: Actor, now: datetime) -> Submission:
    """The submission, when `actor` may see it; anything else is a 404 (its existence does not leak)."""
    submission = load_submission(
        session, col(Submission.id) == submission_id, col(Submission.challenge_id) == challenge.id
    )
    if submission is None or not permissions.can_view(actor, submission, challenge, now):
        raise NotFound(_("No such concept."))
    return submission


def hidden_from_public(session: Session, *, challenge: Challenge, submission_id: int, now: datetime) -> Submission:
    """A concept the public would see had the hosts not hidden it (for its placeholder); anything else is a 404."""
    submission = load_submission(
        session, col(Submission.id) == submission_id, col(Submission.challenge_id) == challenge.id
    )
    if submission is None or not permissions.is_hidden_from_public(submission, challenge, now):
        raise NotFound(_("No such concept."))
    return submission


def visible_condition(actor: Actor, challenge: Challenge, now: datetime) -> ColumnElement[bool]:
    """`permissions.can_view` for one challenge, as a WHERE clause (kept in step by the tests)."""
    mine: ColumnElement[bool] = false()
    if actor.user_id is not None:
        teams = select(SubmissionMember.submission_id).where(SubmissionMember.user_id == actor.user_id)
        mine = col(Submission.id).in_(teams)
    submitted_once = col(Submission.version_count) > 0
    hosts: ColumnElement[bool] = (
        submitted_once & (col(Submission.status) != SubmissionStatus.DRAFT)
        if permissions.runs_challenge(actor, challenge)
        else false()
    )
    public: ColumnElement[bool] = (
        submitted_once & (col(Submission.status) == SubmissionStatus.SUBMITTED) & col(Submission.hidden_at).is_(None)
        if permissions.submissions_are_public(challenge, now)
        else false()
    )
    return or_(mine, hosts, public)


def newest_versions(session: Session, *, submission_ids: Sequence[int]) -> dict[int, SubmissionVersion]:
    """Each submission's newest version, by submission id (one query)."""
    if not submission_ids:
        return {}
    newest = (
        select(SubmissionVersion.submission_id, func.max(SubmissionVersion.number).label("number"))
        .where(col(SubmissionVersion.submission_id).in_(sorted(submission_ids)))
        .group_by(col(SubmissionVersion.submission_id))
        .subquery()
    )
    rows = session.exec(
        select(SubmissionVersion).join(
            newest,
            (col(SubmissionVersion.submission_id) == newest.c.submission_id)
            & (col(SubmissionVersion.number) == newest.c.number),
        )
    ).all()
    return {row.submission_id: row for row in rows}


def attachments_by_id(session: Session, *, ids: Sequence[int]) -> dict[int, Attachment]:
    if not ids:
        return {}
    rows = session.exec(select(Attachment).where(col(Attachment.id).in_(sorted(set(ids))))).all()
    return {row.id: row for row in rows if row.id is not None}


def working_attachments(session: Session, *, submission: Submission) -> list[Attachment]:
    """The attachments on the working copy (not removed), oldest first."""
    return list(
        session.exec(
            select(Attachment)
            .where(Attachment.submission_id == submission.id, col(Attachment.removed_at).is_(None))
            .order_by(col(Attachment.id))
        ).all()
    )


def shown_many(session: Session, *, submissions: Sequence[Submission], actor: Actor) -> list[Shown]:
    """What `actor` sees of each submission, in a fixed number of queries whatever their number."""
    others = [s.id for s in submissions if s.id is not None and not permissions.can_see_working_copy(actor, s)]
    versions = newest_versions(session, submission_ids=others)
    team_ids = [s.id for s in submissions if s.id is not None and permissions.can_see_working_copy(actor, s)]
    working: dict[int, list[Attachment]] = {}
    if team_ids:
        rows = session.exec(
            select(Attachment)
            .where(col(Attachment.submission_id).in_(team_ids), col(Attachment.removed_at).is_(None))
            .order_by(col(Attachment.id))
        ).all()
        for row in rows:
            working.setdefault(row.submission_id, []).append(row)
    by_id = attachments_by_id(session, ids=[i for v in versions.values() for i in v.attachment_ids])
    shown: list[Shown] = []
    for submission in submissions:
        version = versions.get(submission.id or 0)
        if version is None:
            shown.append(
                Shown(submission, submission.title, submission.summary, submission.body, submission.team_name,
                      working.get(submission.id or 0, []), None)
            )  # fmt: skip
        else:
            files = [by_id[i] for i in version.attachment_ids if i in by_id]
            shown.append(Shown(submission, version.title, version.summary, version.body, version.team_name, files,
                               version))  # fmt: skip
    return shown


def shown(session: Session, *, submission: Submission, actor: Actor) -> Shown:
    return shown_many(session, submissions=[submission], actor=actor)[0]


def versions(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission
) -> list[SubmissionVersion]:
    """Every submitted version, oldest first (the team and the hosts)."""
    if not permissions.can_see_history(actor, submission, challenge):
        raise NotFound(_("No such concept."))
    return list(
        session.exec(
            select(SubmissionVersion)
            .where(SubmissionVersion.submission_id == submission.id)
            .order_by(col(SubmissionVersion.number))
        ).all()
    )


def version(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, number: int
) -> SubmissionVersion:
    """One submitted version: the team and the hosts see every one, the public the newest."""
    found = session.exec(
        select(SubmissionVersion).where(
            SubmissionVersion.submission_id == submission.id, SubmissionVersion.number == number
        )
    ).first()
    newest = number == submission.version_count
    if found is None or not (permissions.can_see_history(actor, submission, challenge) or newest):
        raise NotFound(_("No such version."))
    return found


def _version_text(version: SubmissionVersion) -> list[str]:
    return [
        f"# {version.title}",
        *([f"({version.team_name})"] if version.team_name else []),
        "",
        *version.summary.splitlines(),
        "",
        *version.body.splitlines(),
    ]


def diff_lines(old: SubmissionVersion, new: SubmissionVersion) -> list[str]:
    """A unified diff of the two versions' texts (title, team name, summary and body), line by line."""
    return list(
        difflib.unified_diff(
            _version_text(old),
            _version_text(new),
            fromfile=f"version {old.number}",
            tofile=f"version {new.number}",
            lineterm="",
            n=2,
        )
    )


# --- rules shared by the writes ----------------------------------------------------------------------------------


def record(
    session: Session,
    *,
    actor: Actor,
    submission: Submission,
    challenge: Challenge,
    action: str,
    now: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    seen_by_hosts: bool = False,
) -> None:
    """Audit a change to a concept. What a team writes before it submits is the team's alone, in the audit log as
    everywhere: its work is recorded team-private, out of the host organisation's view. Only what reaches the hosts
    (`seen_by_hosts`: a submission, a withdrawal) is in their view, naming the member as the concept page does,
    without an email address."""
    label = actor.user.display_name if seen_by_hosts and actor.user is not None else None
    audit.record(
        session,
        actor=actor,
        action=action,
        target_type="submission",
        target_id=submission.id,
        organization_id=challenge.host_id,
        before=before,
        after=after,
        now=now,
        team_private=not seen_by_hosts,
        actor_label=label,
    )


def require_open(challenge: Challenge, now: datetime) -> None:
    if not allows(challenge, Action.SUBMIT, now):
        raise PhaseClosed(_("Submissions to this challenge are closed; nothing can change now."))


def require_member(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> None:
    if not permissions.can_view(actor, submission, challenge, now):
        raise NotFound(_("No such concept."))
    permissions.check_team(actor, submission)
    require_open(challenge, now)


def require_lead(actor: Actor, submission: Submission, challenge: Challenge, now: datetime) -> None:
    require_member(actor, submission, challenge, now)
    if not permissions.is_lead(actor, submission):
        raise Forbidden(_("Only the team lead can do this."))


def _lock_person(session: Session, user_id: int) -> None:
    """Serialise one person's joining of teams, so two requests cannot both pass the per-person limit."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no row locks; a write takes the database's single write lock before the count is read.
        session.execute(sql_update(User).where(col(User.id) == user_id).values(id=user_id))
    else:
        session.exec(select(User.id).where(col(User.id) == user_id).with_for_update()).first()


def lock_submission(session: Session, submission: Submission) -> None:
    """Serialise changes to one team (joining, leaving, handing over) so its size rules hold."""
    session.exec(select(Submission.id).where(col(Submission.id) == submission.id).with_for_update()).first()


def _active_count(session: Session, *, challenge: Challenge, user_id: int) -> int:
    """How many of the challenge's non-withdrawn submissions `user_id` is on."""
    statement = (
        select(func.count())
        .select_from(SubmissionMember)
        .join(Submission, col(Submission.id) == SubmissionMember.submission_id)
        .where(
            SubmissionMember.user_id == user_id,
            Submission.challenge_id == challenge.id,
            col(Submission.status) != SubmissionStatus.WITHDRAWN,
        )
    )
    return int(session.exec(statement).one())


def check_person_limit(session: Session, *, challenge: Challenge, user_id: int, you: bool) -> None:
    _lock_person(session, user_id)
    limit = challenge.max_submissions_per_person
    if _active_count(session, challenge=challenge, user_id=user_id) >= limit:
        message = (
            _("You are already on %(count)d concept(s) for this challenge, the most it allows.")
            if you
            else _("This person is already on %(count)d concept(s) for this challenge, the most it allows.")
        )
        raise LimitReached(message % {"count": limit})


def snapshot(submission: Submission) -> dict[str, Any]:
    """The working copy as the audit log records it (texts by length, not content)."""
    return {
        "title": submission.title,
        "summary_length": len(submission.summary),
        "body_length": len(submission.body),
        "team_name": submission.team_name,
        "anonymous": submission.anonymous,
        "status": str(submission.status),
        "version_count": submission.version_count,
    }


def status_snapshot(submission: Submission) -> dict[str, Any]:
    """A concept's state without its working copy (which may have moved on since the version the hosts see)."""
    return {"status": str(submission.status), "version_count": submission.version_count}


# --- drafts ------------------------------------------------------------------------------------------------------


def create(
    session: Session, *, actor: Actor, challenge: Challenge, data: SubmissionCreate, now: datetime
) -> Submission:
    """A new draft; the actor leads its team. Refused beyond the challenge's limit of concepts per person."""
    if not actor.is_authenticated or actor.user_id is None:
        raise Forbidden(_("Sign in to submit a concept."))
    require_open(challenge, now)
    if not permissions.can_start(actor, challenge, now):
        raise Forbidden(_("Confirm your email address before you submit a concept."))
    check_person_limit(session, challenge=challenge, user_id=actor.user_id, you=True)
    submission = Submission(
        challenge_id=challenge.id,  # type: ignore[arg-type]
        **data.model_dump(),
        created_by_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    submission.members = [SubmissionMember(user_id=actor.user_id, role=MemberRole.LEAD, joined_at=now)]
    session.add(submission)
    forget_teammate_search(session, challenge=challenge, user_id=actor.user_id)
    session.flush()
    record(session, actor=actor, submission=submission, challenge=challenge, action="submission.create", now=now,
            after=snapshot(submission))  # fmt: skip
    return reload(session, submission)


def update(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, data: SubmissionUpdate,
    now: datetime,
) -> Submission:  # fmt: skip
    """Change the working copy; submitted versions stay as they were."""
    require_member(actor, submission, challenge, now)
    changes = {
        name: value
        for name, value in data.model_dump(exclude_unset=True).items()
        if value is not None and value != getattr(submission, name)
    }
    if not changes:
        return submission
    before = snapshot(submission)
    for name, value in changes.items():
        setattr(submission, name, value)
    submission.updated_at = now
    session.add(submission)
    session.flush()
    record(session, actor=actor, submission=submission, challenge=challenge, action="submission.update", now=now,
            before=before, after=snapshot(submission))  # fmt: skip
    return reload(session, submission)


def platform_terms() -> str:
    """What every team member agrees to on any challenge, before the challenge's own terms."""
    return _(
        "The team owns its concept and gives the host organisations the right to read, assess and publish it as "
        "the challenge describes. Your name is shown with the concept unless the team is anonymous. Only the team "
        "and the hosts see your email address."
    )


def accept_terms(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> Submission:
    """The actor accepts the platform's and the challenge's terms for this concept."""
    require_member(actor, submission, challenge, now)
    member = permissions.membership(actor, submission)
    assert member is not None  # noqa: S101  (checked just above)
    if member.terms_accepted_at is None:
        member.terms_accepted_at = now
        session.add(member)
        session.flush()
        record(session, actor=actor, submission=submission, challenge=challenge, action="submission.terms",
                now=now, after={"user_id": member.user_id})  # fmt: skip
    return reload(session, submission)


def readiness(submission: Submission, challenge: Challenge) -> list[str]:
    """What stops the team from submitting (empty when it may)."""
    reasons: list[str] = []
    if not submission.title.strip():
        reasons.append(_("Give the concept a title."))
    size = len(submission.members)
    if size < challenge.team_size_min:
        reasons.append(_("The team needs at least %(count)d members.") % {"count": challenge.team_size_min})
    if size > challenge.team_size_max:
        reasons.append(_("The team may have at most %(count)d members.") % {"count": challenge.team_size_max})
    waiting = [m.user.display_name for m in submission.members if m.terms_accepted_at is None]
    if waiting:
        reasons.append(_("Not everyone has accepted the terms yet: %(names)s.") % {"names": ", ".join(waiting)})
    return reasons


def submit(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> SubmissionVersion:
    """Store the working copy as a new, immutable version; every member gets a receipt by email."""
    require_member(actor, submission, challenge, now)
    lock_submission(session, submission)
    submission = reload(session, submission)
    reasons = readiness(submission, challenge)
    if reasons:
        raise NotReady(" ".join(reasons), reasons=reasons)
    before = snapshot(submission)
    files = working_attachments(session, submission=submission)
    version = SubmissionVersion(
        submission_id=submission.id,  # type: ignore[arg-type]
        number=submission.version_count + 1,
        title=submission.title,
        summary=submission.summary,
        body=submission.body,
        team_name=submission.team_name,
        attachment_ids=[f.id for f in files if f.id is not None],
        submitted_by_id=actor.user_id,
        created_at=now,
    )
    submission.version_count = version.number
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.withdrawn_at = None
    submission.updated_at = now
    session.add_all([version, submission])
    session.flush()
    # What was submitted, as the hosts now see it in the version.
    submitted = {**snapshot(submission), "version": version.number}
    record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.submit",
        now=now,
        before=before,
        after=submitted,
        seen_by_hosts=True,
    )
    for member in submission.members:
        if not member.user.is_active:
            continue
        with i18n.language(member.user.language):
            when = i18n.format_datetime(now, challenge.host.timezone)
        outbox.enqueue_email(
            session, to=member.user.email, template="submission_receipt", language=member.user.language,
            context={"submission": submission, "challenge": challenge, "version": version, "when": when,
                     "link": urls.absolute(urls.concept(challenge.slug, submission.id)),
                     "files": [f.filename for f in files]},
            now=now,
        )  # fmt: skip
    return version


def withdraw(
    session: Session, *, actor: Actor, challenge: Challenge, submission: Submission, now: datetime
) -> Submission:
    """Take a submitted concept back while submissions are open; it may be submitted again."""
    require_member(actor, submission, challenge, now)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise Conflict(_("Only a submitted concept can be withdrawn."))
    before = status_snapshot(submission)
    submission.status = SubmissionStatus.WITHDRAWN
    submission.withdrawn_at = now
    submission.updated_at = now
    session.add(submission)
    session.flush()
    record(
        session,
        actor=actor,
        submission=submission,
        challenge=challenge,
        action="submission.withdraw",
        now=now,
        before=before,
        after=status_snapshot(submission),
        seen_by_hosts=True,
    )
    return reload(session, submission)


def forget_teammate_search(session: Session, *, challenge: Challenge, user_id: int) -> None:
    """Someone on a team no longer looks for one: their team-finder entry goes (a lead posts again for the team)."""
    session.execute(
        sql_delete(TeammateSearch).where(
            col(TeammateSearch.challenge_id) == challenge.id, col(TeammateSearch.user_id) == user_id
        )
    )


# --- the actor's own ---------------------------------------------------------------------------------------------


def mine(session: Session, *, actor: Actor) -> list[tuple[Submission, Challenge, SubmissionMember]]:
    """The concepts the actor is on, newest change first, with their challenges (a fixed number of queries)."""
    if actor.user_id is None:
        return []
    rows = session.exec(
        select(Submission, Challenge, SubmissionMember)
        .join(Challenge, col(Challenge.id) == Submission.challenge_id)
        .join(SubmissionMember, col(SubmissionMember.submission_id) == Submission.id)
        .where(SubmissionMember.user_id == actor.user_id)
        .order_by(col(Submission.updated_at).desc(), col(Submission.id).desc())
    ).all()
    return [(row[0], row[1], row[2]) for row in rows]


# --- personal data -----------------------------------------------------------------------------------------------


def export_submissions(session: Session, user: User) -> list[dict[str, Any]]:
    """The user's concepts for their data export: texts, team roles, versions and file names (not file bytes)."""
    rows = session.exec(
        select(Submission, Challenge, SubmissionMember)
        .join(Challenge, col(Challenge.id) == Submission.challenge_id)
        .join(SubmissionMember, col(SubmissionMember.submission_id) == Submission.id)
        .where(SubmissionMember.user_id == user.id)
        .order_by(col(Submission.id))
    ).all()
    ids = [submission.id for submission, _c, _m in rows if submission.id is not None]
    all_versions = session.exec(
        select(SubmissionVersion).where(col(SubmissionVersion.submission_id).in_(ids)).order_by(
            col(SubmissionVersion.number))
    ).all() if ids else []  # fmt: skip
    files = session.exec(
        select(Attachment).where(col(Attachment.submission_id).in_(ids)).order_by(col(Attachment.id))
    ).all() if ids else []  # fmt: skip
    exported = []
    for submission, challenge, member in rows:
        exported.append({
            "challenge": challenge.slug,
            "title": submission.title,
            "summary": submission.summary,
            "body": submission.body,
            "team_name": submission.team_name,
            "anonymous": submission.anonymous,
            "status": str(submission.status),
            "role": str(member.role),
            "joined_at": member.joined_at.isoformat(),
            "terms_accepted_at": member.terms_accepted_at.isoformat() if member.terms_accepted_at else None,
            "attachments": [{"filename": f.filename, "size": f.size, "uploaded_by_you": f.uploaded_by_id == user.id}
                            for f in files if f.submission_id == submission.id],
            "versions": [{"number": v.number, "title": v.title, "summary": v.summary, "body": v.body,
                          "team_name": v.team_name, "submitted_at": v.created_at.isoformat(),
                          "submitted_by_you": v.submitted_by_id == user.id}
                         for v in all_versions if v.submission_id == submission.id],
        })  # fmt: skip
    return exported


def can_lead(member: SubmissionMember) -> bool:
    """Whether `member` (with its user loaded) may lead the team: a deleted account cannot."""
    return member.user.deleted_at is None and member.user.is_active


def hand_over_on_deletion(session: Session, user: User) -> None:
    """A deleted account stays on its teams as "Deleted user" (never to lead again); where it led a team, the
    longest-standing other member with an account becomes the lead so the team can go on. Open invitations it
    sent stay valid."""
    led = session.exec(
        select(SubmissionMember).where(SubmissionMember.user_id == user.id, SubmissionMember.role == MemberRole.LEAD)
    ).all()
    for lead in led:
        successor = session.exec(
            select(SubmissionMember)
            .join(User, col(User.id) == SubmissionMember.user_id)
            .where(
                SubmissionMember.submission_id == lead.submission_id,
                SubmissionMember.user_id != user.id,
                col(User.deleted_at).is_(None),
            )
            .order_by(col(SubmissionMember.joined_at), col(SubmissionMember.id))
        ).first()
        if successor is not None:
            lead.role, successor.role = MemberRole.MEMBER, MemberRole.LEAD
            session.add_all([lead, successor])
    session.flush()


gdpr.register_exporter("submissions", export_submissions)
gdpr.register_anonymiser(hand_over_on_deletion)


def is_writable(challenge: Challenge, now: datetime) -> bool:
    """Whether the challenge takes submissions at `now` (for pages that show or hide forms)."""
    return allows(challenge, Action.SUBMIT, now)
