"""A challenge's phase, derived from its status and dates (never stored), and what each phase allows."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import col

from app.challenges.models import Challenge, Status


class Phase(StrEnum):
    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    REVIEW = "review"
    VOTING = "voting"
    CLOSED = "closed"
    ANNOUNCED = "announced"
    CANCELLED = "cancelled"


class Action(StrEnum):
    EDIT = "edit"  # texts, prize, target groups, dates (dates have their own forward-only rule)
    EDIT_RULES = "edit-rules"  # criteria, scoring scale and submission rules
    EDIT_VOTING = "edit-voting"  # voting method, votes per voter, live counts, jury weight
    PUBLISH = "publish"
    CANCEL = "cancel"
    COPY = "copy"
    ASK = "ask"
    ANSWER = "answer"  # hosts answer questions while the challenge is public, after its deadline too
    SUBMIT = "submit"
    SCORE = "score"  # jurors score and submit reviews; hosts reopen them and send reminders
    MANAGE_JURY = "manage-jury"  # hosts invite and remove jurors and change the jury's settings
    ASSIGN = "assign"  # hosts assign jurors to the submitted concepts (run, re-run, by hand)
    DECLARE_CONFLICT = "declare-conflict"  # jurors declare conflicts of interest, hosts decide flagged ones
    AWARD = "award"  # hosts decide the awards and announce them, once the review and the public vote are over
    VOTE = "vote"
    COUNT_DOWN = "count-down"  # a card shows the days left until submissions close
    COMMENT = "comment"  # public comments on published concepts, after the deadline too
    FEEDBACK = "feedback"  # private feedback from the jury or the hosts to a team
    SHOW_CONCEPTS = "show-concepts"  # concepts the challenge makes public at submission are shown
    SHOW_REVIEWED_CONCEPTS = "show-reviewed-concepts"  # concepts made public after the review are shown
    SHOW_VOTE_RESULTS = "show-vote-results"  # the public vote's counts, once it has closed


# What every published phase allows until the challenge is cancelled.
_PUBLISHED = {Action.EDIT, Action.COPY, Action.ANSWER, Action.COMMENT, Action.FEEDBACK, Action.SHOW_CONCEPTS}

ALLOWED: dict[Phase, frozenset[Action]] = {
    Phase.DRAFT: frozenset({Action.EDIT, Action.EDIT_RULES, Action.EDIT_VOTING, Action.PUBLISH, Action.MANAGE_JURY}),
    Phase.UPCOMING: frozenset(
        {
            *_PUBLISHED,
            Action.CANCEL,
            Action.EDIT_RULES,
            Action.EDIT_VOTING,
            Action.ASK,
            Action.COUNT_DOWN,
            Action.MANAGE_JURY,
        }
    ),
    Phase.OPEN: frozenset(
        {
            *_PUBLISHED,
            Action.CANCEL,
            Action.EDIT_VOTING,
            Action.ASK,
            Action.SUBMIT,
            Action.COUNT_DOWN,
            Action.MANAGE_JURY,
            Action.DECLARE_CONFLICT,
        }
    ),
    Phase.REVIEW: frozenset(
        {
            *_PUBLISHED,
            Action.CANCEL,
            Action.EDIT_VOTING,
            Action.SCORE,
            Action.MANAGE_JURY,
            Action.ASSIGN,
            Action.DECLARE_CONFLICT,
        }
    ),
    Phase.VOTING: frozenset(
        {*_PUBLISHED, Action.CANCEL, Action.VOTE, Action.SHOW_REVIEWED_CONCEPTS, Action.MANAGE_JURY}
    ),
    # A closed challenge may still be waiting for its public vote (a gap after the jury); the voting predicate
    # also checks that voting has not opened yet.
    Phase.CLOSED: frozenset(
        {
            *_PUBLISHED,
            Action.CANCEL,
            Action.EDIT_VOTING,
            Action.SHOW_REVIEWED_CONCEPTS,
            Action.SHOW_VOTE_RESULTS,
            Action.MANAGE_JURY,
            Action.AWARD,
        }
    ),
    # The announcement date may pass before the hosts have announced: they still decide the awards and announce.
    Phase.ANNOUNCED: frozenset({*_PUBLISHED, Action.SHOW_REVIEWED_CONCEPTS, Action.SHOW_VOTE_RESULTS, Action.AWARD}),
    Phase.CANCELLED: frozenset(),
}

# Phases the public can filter lists by (drafts are for their hosts, who find them under /manage).
PUBLIC_PHASES = [phase for phase in Phase if phase != Phase.DRAFT]

assert set(ALLOWED) == set(Phase)  # noqa: S101  (every phase says what it allows)


def allows(challenge: Challenge, action: Action, now: datetime) -> bool:
    """True when the challenge's current phase allows `action`."""
    return action in ALLOWED[phase_of(challenge, now)]


def _before(moment: datetime | None, now: datetime) -> bool:
    """`now` is before `moment` (a date left out never comes)."""
    return moment is not None and now < moment


def phase_of(challenge: Challenge, now: datetime) -> Phase:
    """The phase a challenge is in at `now`, derived from its status and dates."""
    if challenge.status == Status.DRAFT:
        return Phase.DRAFT
    if challenge.status == Status.CANCELLED:
        return Phase.CANCELLED
    if challenge.opens_at is None or now < challenge.opens_at:
        return Phase.UPCOMING
    if challenge.submissions_close_at is None or now < challenge.submissions_close_at:
        return Phase.OPEN
    if _before(challenge.review_ends_at, now):  # no review date: no jury phase
        return Phase.REVIEW
    voting_opens = challenge.voting_opens_at
    if voting_opens is not None and voting_opens <= now and _before(challenge.voting_closes_at, now):
        return Phase.VOTING
    if challenge.announce_at is not None and challenge.announce_at <= now:
        return Phase.ANNOUNCED
    return Phase.CLOSED


def phase_condition(phase: Phase, now: datetime) -> ColumnElement[bool]:
    """The SQL condition for "in `phase` at `now`": `phase_of` written as a WHERE clause (kept in step by a test)."""
    status = col(Challenge.status)
    opens, closes = col(Challenge.opens_at), col(Challenge.submissions_close_at)
    review_ends, announce = col(Challenge.review_ends_at), col(Challenge.announce_at)
    voting_opens, voting_closes = col(Challenge.voting_opens_at), col(Challenge.voting_closes_at)

    published = status == Status.PUBLISHED
    upcoming = or_(opens.is_(None), opens > now)
    open_ = and_(~upcoming, or_(closes.is_(None), closes > now))
    after_open = and_(~upcoming, closes.is_not(None), closes <= now)
    reviewing = and_(review_ends.is_not(None), review_ends > now)
    voting = and_(voting_opens.is_not(None), voting_opens <= now, voting_closes.is_not(None), voting_closes > now)
    announced = and_(announce.is_not(None), announce <= now)
    conditions: dict[Phase, ColumnElement[bool]] = {
        Phase.DRAFT: status == Status.DRAFT,
        Phase.CANCELLED: status == Status.CANCELLED,
        Phase.UPCOMING: and_(published, upcoming),
        Phase.OPEN: and_(published, open_),
        Phase.REVIEW: and_(published, after_open, reviewing),
        Phase.VOTING: and_(published, after_open, ~reviewing, voting),
        Phase.ANNOUNCED: and_(published, after_open, ~reviewing, ~voting, announced),
        Phase.CLOSED: and_(published, after_open, ~reviewing, ~voting, ~announced),
    }
    return conditions.get(phase, false())
