"""The gallery of a challenge's concepts: search, filters, sorts (random with a stable seed) and cards, in a fixed
number of queries whatever the page size; and the concept counts a challenge page shows."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, cast, func, literal, or_
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption
from sqlmodel import Session, col, select

from app.actor import Actor
from app.challenges.models import Challenge
from app.i18n import gettext as _
from app.kit import pagination, urls
from app.submissions import permissions
from app.submissions import service as submissions
from app.submissions.models import Comment, Submission, SubmissionMember, SubmissionStatus, SubmissionVersion
from app.submissions.schemas import MAX_PAGE_SIZE

# Park–Miller's modulus: the random order's hash stays below 2^31, so it never overflows a 64-bit integer.
_MODULUS = 2_147_483_647
MAX_SEED = _MODULUS - 1


class Sort(StrEnum):
    UPDATED = "updated"  # newest change first (the API's order before the gallery existed)
    NEWEST = "newest"  # newest submission first
    COMMENTS = "comments"  # most commented first
    RANDOM = "random"  # shuffled by a seed the visitor keeps, so pages neither repeat nor skip concepts


class TeamKind(StrEnum):
    TEAM = "team"  # two or more people
    SOLO = "solo"


@dataclass(frozen=True)
class GalleryQuery:
    """What the visitor asked for; every field comes from the URL."""

    q: str | None = None
    sort: Sort = Sort.NEWEST
    seed: int | None = None
    with_files: bool = False
    team: TeamKind | None = None
    page: int = 1
    size: int = 12
    # The gallery shows submitted concepts only; the API also lists the team's drafts and withdrawn ones for hosts.
    submitted_only: bool = True


@dataclass(frozen=True)
class Card:
    """A concept as a gallery card: the newest submitted version's text (the working copy for the team's own draft
    in API listings), the cover, the number of visible comments and whether moderators hid it."""

    submission: Submission
    version: SubmissionVersion | None
    title: str
    summary: str
    team_name: str | None  # None: "Anonymous team" for this reader
    comment_count: int
    hidden: bool
    cover_url: str | None
    version_date: datetime | None


@dataclass(frozen=True)
class Gallery:
    cards: list[Card]
    total: int
    page: int
    size: int
    seed: int | None
    sort: Sort
    query: GalleryQuery = field(repr=False)

    @property
    def has_next(self) -> bool:
        return self.page * self.size < self.total


def new_seed() -> int:
    """A visitor's own shuffle of the gallery."""
    return secrets.randbelow(MAX_SEED) + 1


def comment_count_column() -> ColumnElement[int]:
    """Comments shown on a submission (not deleted, not hidden), as a correlated subquery."""
    return (
        select(func.count(col(Comment.id)))
        .where(
            col(Comment.submission_id) == col(Submission.id),
            col(Comment.deleted_at).is_(None),
            col(Comment.hidden_at).is_(None),
        )
        .correlate(Submission)
        .scalar_subquery()
    )


def _xor(left: ColumnElement[int], right: ColumnElement[int]) -> ColumnElement[int]:
    """Bitwise exclusive or, written with | and & because SQLite has no XOR operator."""
    return left.op("|")(right) - left.op("&")(right)


def _shuffled(seed: int) -> ColumnElement[int]:
    """A hash of (id, seed) in integer arithmetic that SQLite and PostgreSQL compute alike. The seed is mixed in by
    exclusive or between multiplications modulo 2³¹−1: with additions and multiplications alone the hash is linear,
    and every seed gives one of only a handful of rotations of the same order."""
    visitor = literal(seed, BigInteger)
    spread = (cast(col(Submission.id), BigInteger) * literal(1_103_515_245, BigInteger)) % _MODULUS
    mixed = (_xor(spread, visitor) * literal(48_271, BigInteger)) % _MODULUS
    return (_xor(mixed, visitor) * literal(1_103_515_245, BigInteger)) % _MODULUS


def _members_count() -> ColumnElement[int]:
    return (
        select(func.count(col(SubmissionMember.id)))
        .where(col(SubmissionMember.submission_id) == col(Submission.id))
        .correlate(Submission)
        .scalar_subquery()
    )


def _conditions(
    session: Session, *, challenge: Challenge, actor: Actor, now: datetime, query: GalleryQuery
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        col(Submission.challenge_id) == challenge.id,
        submissions.visible_condition(actor, challenge, now),
    ]
    if query.submitted_only:
        conditions.append(col(Submission.status) == SubmissionStatus.SUBMITTED)
    if query.q and query.q.strip():
        words = query.q.strip()
        # The newest submitted version's text; a draft (no version) is searched in its working copy (its team's).
        title = func.coalesce(col(SubmissionVersion.title), col(Submission.title))
        summary = func.coalesce(col(SubmissionVersion.summary), col(Submission.summary))
        conditions.append(or_(title.icontains(words, autoescape=True), summary.icontains(words, autoescape=True)))
    if query.with_files:
        conditions.append(func.coalesce(func.json_array_length(col(SubmissionVersion.attachment_ids)), 0) > 0)
    if query.team is TeamKind.TEAM:
        conditions.append(_members_count() > 1)
    elif query.team is TeamKind.SOLO:
        conditions.append(_members_count() <= 1)
    return conditions


def _order(query: GalleryQuery, seed: int | None, comments: ColumnElement[int]) -> list[Any]:
    newest_id = col(Submission.id).desc()
    if query.sort is Sort.COMMENTS:
        return [comments.desc(), col(Submission.submitted_at).desc(), newest_id]
    if query.sort is Sort.RANDOM and seed is not None:
        return [_shuffled(seed), col(Submission.id)]
    if query.sort is Sort.UPDATED:
        return [col(Submission.updated_at).desc(), newest_id]
    return [col(Submission.submitted_at).desc(), newest_id]


def _version_join() -> ColumnElement[bool]:
    return and_(
        col(SubmissionVersion.submission_id) == col(Submission.id),
        col(SubmissionVersion.number) == col(Submission.version_count),
    )


def cover_url(challenge: Challenge, submission: Submission) -> str | None:
    if not submission.cover_sha256:
        return None
    return urls.concept(challenge.slug, submission.id, f"/cover/{submission.cover_sha256}")


def gallery(
    session: Session,
    *,
    challenge: Challenge,
    actor: Actor,
    now: datetime,
    query: GalleryQuery,
    options: Sequence[ExecutableOption] = (),
) -> Gallery:
    """One page of the concepts `actor` may see on the challenge, in three queries: the count, the page with each
    concept's newest version and comment count, and the teams (to tell who sees an anonymous team's name)."""
    size = pagination.page_size(query.size, cap=MAX_PAGE_SIZE)
    seed = (query.seed or new_seed()) if query.sort is Sort.RANDOM else None
    conditions = _conditions(session, challenge=challenge, actor=actor, now=now, query=query)
    comments = comment_count_column().label("comment_count")
    counted = select(func.count(col(Submission.id))).select_from(Submission)
    if query.q or query.with_files:
        counted = counted.outerjoin(SubmissionVersion, _version_join())
    total = int(session.exec(counted.where(*conditions)).one())
    rows = session.exec(
        select(Submission, SubmissionVersion, comments)
        .outerjoin(SubmissionVersion, _version_join())
        .where(*conditions)
        .options(*(options or (selectinload(Submission.members),)))  # type: ignore[arg-type]
        .order_by(*_order(query, seed, comments))
        .offset((query.page - 1) * size)
        .limit(size)
    ).all()
    insider = permissions.runs_challenge(actor, challenge)
    cards = []
    for submission, version, count in rows:
        mine = permissions.is_member(actor, submission)
        # The gallery shows what the public sees, the newest submitted version; a draft has only its working copy.
        text = version if version is not None else submission
        cards.append(
            Card(
                submission=submission,
                version=version,
                title=text.title,
                summary=text.summary,
                team_name=text.team_name if (not submission.anonymous or mine or insider) else None,
                comment_count=int(count or 0),
                hidden=submission.hidden_at is not None,
                cover_url=cover_url(challenge, submission),
                version_date=version.created_at if version is not None else None,
            )
        )
    return Gallery(cards=cards, total=total, page=query.page, size=size, seed=seed, sort=query.sort, query=query)


def sort_label(sort: Sort) -> str:
    return {
        Sort.NEWEST: _("Newest"),
        Sort.COMMENTS: _("Most commented"),
        Sort.RANDOM: _("Random"),
        Sort.UPDATED: _("Last changed"),
    }[sort]
