"""Factories: valid objects with plausible Nordic data, overridable per test."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

from sqlmodel import Session

from app.accounts.models import User
from app.organizations.models import Membership, Organization, OrganizationKind, Role
from app.security import hash_password

PASSWORD = "riktig-hest-batteri-stift"
_sequence = itertools.count(1)
_VERIFIED_AT = datetime(2026, 1, 1, tzinfo=UTC)
T = TypeVar("T")


def _saved(db: Session, row: T) -> T:
    """`row` added and flushed, so it has its id."""
    db.add(row)
    db.flush()
    return row


@cache
def password_hash() -> str:
    """One Argon2 hash for the shared test password (hashing is deliberately slow)."""
    return hash_password(PASSWORD)


def make_user(
    db: Session,
    *,
    email: str | None = None,
    display_name: str | None = None,
    verified: bool = True,
    platform_admin: bool = False,
    language: str = "nb",
    **fields: Any,
) -> User:
    n = next(_sequence)
    user = User(
        email=(email or f"innbygger{n}@example.no").lower(),
        display_name=display_name or f"Kari Nordmann {n}",
        password_hash=password_hash(),
        email_verified_at=_VERIFIED_AT if verified else None,
        is_platform_admin=platform_admin,
        language=language,
        **fields,
    )
    return _saved(db, user)


def make_organization(db: Session, *, slug: str | None = None, name: str | None = None, **fields: Any) -> Organization:
    n = next(_sequence)
    fields.setdefault("kind", OrganizationKind.MUNICIPALITY)
    organization = Organization(slug=slug or f"kommune-{n}", name=name or f"Testkommune {n}", **fields)
    return _saved(db, organization)


def make_member(db: Session, organization: Organization, *, role: Role = Role.EDITOR, user: User | None = None) -> User:
    member = user or make_user(db)
    db.add(Membership(organization_id=organization.id, user_id=member.id, role=role))  # type: ignore[arg-type]
    db.flush()
    return member


# --- challenges --------------------------------------------------------------------------------------------------

# The standard timeline, in days from the test clock's start (tests/conftest.py NOW): a moment inside each
# phase is in tests/challenges/conftest.py.
CHALLENGE_TIMELINE_DAYS = {
    "opens_at": 10,
    "submissions_close_at": 40,
    "review_ends_at": 55,
    "voting_opens_at": 55,
    "voting_closes_at": 65,
    "announce_at": 70,
}
TIMELINE_START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def make_challenge(
    db: Session,
    host: Organization,
    *,
    slug: str | None = None,
    title: str | None = None,
    status: str = "published",
    cohosts: list[Organization] | None = None,
    criteria: list[tuple[str, int]] | None = None,
    start: datetime = TIMELINE_START,
    **fields: Any,
) -> Any:
    """A challenge of `host` with two criteria, a jury, a public vote and the standard timeline from `start`."""
    from datetime import timedelta

    from app.challenges.models import Challenge, ChallengeCoHost, Criterion

    n = next(_sequence)
    dates = {name: start + timedelta(days=days) for name, days in CHALLENGE_TIMELINE_DAYS.items()}
    fields.setdefault("voting_method", "single")
    if status != "draft":
        fields.setdefault("published_at", start)
    challenge = Challenge(
        host_id=host.id,  # type: ignore[arg-type]
        slug=slug or f"utfordring-{n}",
        title=title or f"Utfordring {n}",
        summary=fields.pop("summary", "Hvordan kan kommunen gjøre sentrum grønnere?"),
        status=status,
        **{**dates, **fields},
    )
    challenge.criteria = [
        Criterion(name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate(criteria or [("Nytteverdi", 3), ("Gjennomførbarhet", 1)])
    ]
    challenge.cohosts = [ChallengeCoHost(organization_id=org.id) for org in cohosts or []]  # type: ignore[misc]
    return _saved(db, challenge)


def make_question(
    db: Session,
    challenge: Any,
    *,
    author: User | None = None,
    body: str = "Kan vi sende inn et konsept som allerede er testet i en annen kommune?",
    answer: str = "",
    answered_by: User | None = None,
    **fields: Any,
) -> Any:
    """A question on `challenge`, waiting for an answer unless `answer` is given (then answered at the test clock).
    By a new user unless `author` is given; `author_id=None` is a question whose asker's account is gone."""
    from app.challenges.models import Question

    fields.setdefault("created_at", TIMELINE_START)
    if answer:
        fields.setdefault("answered_at", TIMELINE_START)
    if "author_id" not in fields:
        fields["author_id"] = (author or make_user(db)).id
    question = Question(
        challenge_id=challenge.id,
        body=body,
        answer=answer,
        answered_by_id=answered_by.id if answered_by else None,
        **fields,
    )
    return _saved(db, question)


# --- submissions -------------------------------------------------------------------------------------------------


def make_submission(
    db: Session,
    challenge: Any,
    lead: User,
    *,
    members: list[User] | None = None,
    title: str = "Grønne tak i sentrum",
    terms_accepted: bool = True,
    versions: int = 0,
    status: str | None = None,
    **fields: Any,
) -> Any:
    """A concept on `challenge` led by `lead` (members accepted their terms unless told), with `versions` stored
    versions of its text; `status` follows from the versions unless given."""
    from app.submissions.models import MemberRole, Submission, SubmissionMember, SubmissionVersion

    accepted = TIMELINE_START if terms_accepted else None
    submission = Submission(
        challenge_id=challenge.id,
        title=title,
        summary=fields.pop("summary", "Tak som samler regnvann og gir skygge."),
        body=fields.pop("body", "## Idé\nVi planter sedum på kommunale tak."),
        status=status or ("submitted" if versions else "draft"),
        version_count=versions,
        submitted_at=TIMELINE_START if versions else None,
        created_by_id=lead.id,
        **fields,
    )
    submission.members = [SubmissionMember(user_id=lead.id, role=MemberRole.LEAD, terms_accepted_at=accepted)]  # type: ignore[arg-type]
    submission.members += [
        SubmissionMember(user_id=member.id, role=MemberRole.MEMBER, terms_accepted_at=accepted)  # type: ignore[arg-type]
        for member in members or []
    ]
    db.add(submission)
    db.flush()
    for number in range(1, versions + 1):
        db.add(
            SubmissionVersion(
                submission_id=submission.id,  # type: ignore[arg-type]
                number=number,
                title=title if number == versions else f"{title} (utkast {number})",
                summary=submission.summary,
                body=submission.body,
                team_name=submission.team_name,
                submitted_by_id=lead.id,
                created_at=TIMELINE_START,
            )
        )
    db.flush()
    return submission


def make_comment(
    db: Session,
    submission: Any,
    *,
    author: User | None = None,
    body: str = "Flott idé! Hvem vedlikeholder takene?",
    parent: Any = None,
    **fields: Any,
) -> Any:
    """A public comment on `submission` (by a new user unless `author` is given); a reply when `parent` is given."""
    from app.submissions.models import Comment

    comment = Comment(
        submission_id=submission.id,
        author_id=(author or make_user(db)).id,
        parent_id=parent.id if parent is not None else None,
        body=body,
        **fields,
    )
    return _saved(db, comment)


def make_feedback(
    db: Session,
    submission: Any,
    *,
    author: User | None = None,
    body: str = "Vis gjerne kostnadene tydeligere.",
    **fields: Any,
) -> Any:
    """Private feedback to the team of `submission` from `author` (a new user unless given)."""
    from app.submissions.models import Feedback

    feedback = Feedback(submission_id=submission.id, author_id=(author or make_user(db)).id, body=body, **fields)
    return _saved(db, feedback)


def make_report(
    db: Session,
    target: Any,
    *,
    reporter: User | None = None,
    reason: str = "Personangrep.",
    **fields: Any,
) -> Any:
    """An open report of `target` (a submission or a comment) by `reporter` (a new user unless given)."""
    from app.submissions.models import Comment, Report, ReportTarget, Submission

    if isinstance(target, Comment):
        kind = ReportTarget.COMMENT
        submission = db.get(Submission, target.submission_id)
        assert submission is not None
        challenge_id = submission.challenge_id
    else:
        kind, challenge_id = ReportTarget.SUBMISSION, target.challenge_id
    report = Report(
        challenge_id=challenge_id,
        target_type=kind,
        target_id=target.id,
        reporter_id=(reporter or make_user(db)).id,
        reason=reason,
        **fields,
    )
    return _saved(db, report)


def make_attachment(
    db: Session,
    submission: Any,
    *,
    filename: str = "Konseptskisse.pdf",
    content: bytes = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n",
    content_type: str = "application/pdf",
    uploaded_by: User | None = None,
    **fields: Any,
) -> Any:
    """A file on `submission`'s working copy, with its bytes stored apart as the service stores them."""
    import hashlib

    from app.submissions.models import Attachment, AttachmentContent

    attachment = Attachment(
        submission_id=submission.id,
        filename=filename,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by_id=uploaded_by.id if uploaded_by else submission.created_by_id,
        **fields,
    )
    db.add(attachment)
    db.flush()
    db.add(AttachmentContent(attachment_id=attachment.id, content=content))  # type: ignore[arg-type]
    db.flush()
    return attachment


def make_submission_cover(db: Session, submission: Any, *, content: bytes | None = None, **fields: Any) -> Any:
    """`content` (a small PNG unless given) as `submission`'s cover, its hash on the submission as the service
    keeps it."""
    from app.submissions.models import SubmissionCover

    return _store_cover(db, submission, SubmissionCover, {"submission_id": submission.id}, content, fields)


# --- team finder -------------------------------------------------------------------------------------------------


def make_teammate_search(
    db: Session, challenge: Any, user: User, *, note: str = "Kan tegne og modellere.", **fields: Any
) -> Any:
    """A team-finder entry: `user` looks for a team (or for members) on `challenge`."""
    from app.submissions.models import TeammateSearch

    entry = TeammateSearch(challenge_id=challenge.id, user_id=user.id, note=note, **fields)  # type: ignore[arg-type]
    return _saved(db, entry)


def make_join_request(
    db: Session, submission: Any, user: User, *, note: str = "Jeg kan tegne takhagene.", **fields: Any
) -> Any:
    """`user` asks to join the draft team of `submission` (pending unless `status` is given)."""
    from app.submissions.models import JoinRequest

    request = JoinRequest(submission_id=submission.id, user_id=user.id, note=note, **fields)  # type: ignore[arg-type]
    return _saved(db, request)


# --- follows, covers, outbox -------------------------------------------------------------------------------------


def make_follow(db: Session, user: User, challenge: Any, **fields: Any) -> Any:
    """`user` follows `challenge` (the row only: the service's checks are the follow tests' business)."""
    from app.challenges.models import Follow

    follow = Follow(user_id=user.id, challenge_id=challenge.id, **fields)  # type: ignore[arg-type]
    return _saved(db, follow)


def make_challenge_cover(db: Session, challenge: Any, *, content: bytes | None = None, **fields: Any) -> Any:
    """`content` (a small PNG unless given) as `challenge`'s cover, its hash on the challenge as the service keeps
    it; the cover's address is /challenges/<slug>/cover/<sha256>."""
    from app.challenges.models import ChallengeCover

    return _store_cover(db, challenge, ChallengeCover, {"challenge_id": challenge.id}, content, fields)


def _store_cover(
    db: Session, owner: Any, model: type[Any], key: dict[str, Any], content: bytes | None, fields: dict[str, Any]
) -> Any:
    """A cover row of `model` for `owner` (a challenge or a submission), whose `cover_sha256` then names it."""
    import hashlib

    content = content if content is not None else PNG_PIXEL
    digest = hashlib.sha256(content).hexdigest()
    fields.setdefault("content_type", "image/png")
    cover = model(**key, content=content, sha256=digest, **fields)
    owner.cover_sha256 = digest
    db.add_all([cover, owner])
    db.flush()
    return cover


def make_outbox_message(
    db: Session,
    *,
    recipient: str = "kari@example.no",
    subject: str = "Velkommen",
    body: str = "Hei!\n",
    **fields: Any,
) -> Any:
    """A pending email in the outbox."""
    from app.integrations.models import OutboxKind, OutboxMessage

    fields.setdefault("kind", OutboxKind.EMAIL)
    message = OutboxMessage(recipient=recipient, subject=subject, body=body, **fields)
    return _saved(db, message)


def _png_pixel() -> bytes:
    """A valid 1×1 PNG (a green pixel), built here so the factories need no image library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x3f\x7e\x44")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


PNG_PIXEL = _png_pixel()


def make_audit_event(
    db: Session,
    *,
    actor: User | None = None,
    action: str = "organization.update",
    target_type: str = "organization",
    target_id: int | str | None = None,
    organization: Organization | None = None,
    now: datetime = TIMELINE_START,
    **fields: Any,
) -> Any:
    """An audit event by `actor` (the system unless given), through the audit service so the hash chain holds."""
    from app.actor import Actor
    from app.audit import service as audit

    return audit.record(
        db,
        actor=Actor(user=actor, via="session") if actor else Actor.system(),
        action=action,
        target_type=target_type,
        target_id=target_id,
        organization_id=organization.id if organization else None,
        now=now,
        **fields,
    )


def make_juror(db: Session, challenge: Any, user: User | None = None, *, role: str = "member", **fields: Any) -> Any:
    """`user` (a new one unless given) seated on `challenge`'s jury."""
    from app.jury.models import Juror

    user = user or make_user(db)
    return _saved(db, Juror(challenge_id=challenge.id, user_id=user.id, role=role, joined_at=TIMELINE_START, **fields))


def make_assignment(db: Session, juror: Any, submission: Any, *, manual: bool = False) -> Any:
    from app.jury.models import JuryAssignment

    return _saved(db, JuryAssignment(juror_id=juror.id, submission_id=submission.id, manual=manual))


def make_review(
    db: Session, juror: Any, submission: Any, scores: dict[Any, int | None], *, submitted: bool = True, **fields: Any
) -> Any:
    """`juror`'s review of `submission`: `scores` by criterion (a Criterion or its id), submitted unless told."""
    from app.jury.models import Review, ReviewScore, ReviewStatus

    review = Review(
        juror_id=juror.id,
        submission_id=submission.id,
        version_number=max(submission.version_count, 1),
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        submitted_at=TIMELINE_START if submitted else None,
        **fields,
    )
    review.scores = [
        ReviewScore(criterion_id=getattr(criterion, "id", criterion), value=value)
        for criterion, value in scores.items()
    ]
    return _saved(db, review)


def make_jury_conflict(
    db: Session, juror: Any, submission: Any, *, source: str = "declared", status: str = "confirmed", reason: str = ""
) -> Any:
    from app.jury.models import JuryConflict

    return _saved(
        db, JuryConflict(juror_id=juror.id, submission_id=submission.id, source=source, status=status, reason=reason)
    )
