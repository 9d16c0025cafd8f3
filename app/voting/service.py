"""The public vote: ballots cast, changed and withdrawn under the ballot's row lock, the results, and the tally
sealed at the close into an export anyone can recount.

Limits are decided by the database, not by Python reading and then writing: a vote is one conditional upsert
whose WHERE clause sums the ballot's other counted points, run while the ballot's row is locked (by the upsert that
creates or touches it on PostgreSQL; SQLite's writers are serialised by `BEGIN IMMEDIATE`). Only concepts that
take votes count: a concept hidden during the vote keeps its votes, set aside, and its voters get them back.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Integer, delete, func, literal, or_, update
from sqlalchemy import select as sql_select
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app import ratelimit
from app.accounts import gdpr
from app.accounts import permissions as account_permissions
from app.accounts.models import User
from app.actor import Actor
from app.challenges.models import Challenge, VoterRule, VotingMethod
from app.config import get_settings
from app.db import UTCDateTime, upsert_dialect
from app.errors import NotFound, ValidationFailed
from app.i18n import gettext as _
from app.i18n import ngettext
from app.submissions.models import Submission, SubmissionMember, SubmissionStatus
from app.voting import permissions
from app.voting.models import Ballot, BallotItem, SealedTally
from app.voting.permissions import Ineligibility, SelfVoteNotAllowed, VoteLimitReached

EXPORT_FORMAT = "samskap-sealed-ballots/1"
# A network (/24 or /48) behind this many ballots is flagged in the integrity report: a school or an office is
# legitimate, a campaign of fake accounts looks the same; the host decides.
SHARED_NETWORK_BALLOTS = 20


def counted_condition() -> ColumnElement[bool]:
    """Concepts whose votes count: submitted, not withdrawn, not hidden by moderators."""
    return (
        (col(Submission.status) == SubmissionStatus.SUBMITTED)
        & (col(Submission.version_count) > 0)
        & col(Submission.hidden_at).is_(None)
    )


# --- the ballot as its voter sees it ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    """Points (1 with one vote each) for one concept."""

    submission_id: int
    points: int = 1


@dataclass
class BallotState:
    """A person's ballot in one challenge: their counted votes, what is left, and whether and why they may vote."""

    challenge: Challenge
    is_open: bool
    reason: Ineligibility | None
    votes: dict[int, int] = field(default_factory=dict)
    # Votes on concepts hidden during the vote: kept, not counted, and given back to the voter.
    set_aside: list[int] = field(default_factory=list)
    own: frozenset[int] = frozenset()
    receipt: str | None = None
    titles: dict[int, str] = field(default_factory=dict)  # of the concepts on the ballot

    @property
    def method(self) -> VotingMethod:
        return VotingMethod(self.challenge.voting_method)

    @property
    def total(self) -> int:
        """Votes (or points) each voter has."""
        return permissions.votes_per_voter(self.challenge)

    @property
    def per_concept(self) -> int:
        """The most one concept may get from one voter."""
        return permissions.most_per_concept(self.challenge)

    @property
    def used(self) -> int:
        return sum(self.votes.values())

    @property
    def remaining(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def may_vote(self) -> bool:
        return self.is_open and self.reason is None

    @property
    def reason_message(self) -> str:
        return permissions.ineligibility_message(self.reason) if self.reason else ""

    def is_own(self, submission_id: int) -> bool:
        return submission_id in self.own and not permissions.may_vote_for_own(self.challenge)

    def points_for(self, submission_id: int) -> int:
        return self.votes.get(submission_id, 0)

    def can_add(self, submission_id: int) -> bool:
        """One more vote (or point) for this concept fits the ballot."""
        if not self.may_vote or self.is_own(submission_id):
            return False
        if self.method == VotingMethod.SINGLE:
            return submission_id not in self.votes  # a single vote moves
        return self.remaining > 0 and self.points_for(submission_id) < self.per_concept


def ballot_state(
    session: Session, *, challenge: Challenge, actor: Actor, now: datetime, own: frozenset[int] | None = None
) -> BallotState:
    """The actor's ballot in `challenge` (empty when they have none), and whether and why they may vote."""
    user = account_permissions.user_of(actor)
    state = BallotState(
        challenge=challenge,
        is_open=permissions.voting_is_open(challenge, now),
        reason=permissions.ineligibility(user, challenge),
    )
    if user is None or user.id is None:
        return state
    rows = session.execute(
        sql_select(
            col(Ballot.receipt),
            col(BallotItem.submission_id),
            col(BallotItem.points),
            counted_condition(),
            col(Submission.title),
        )
        .select_from(Ballot)
        .outerjoin(BallotItem, col(BallotItem.ballot_id) == Ballot.id)
        .outerjoin(Submission, col(Submission.id) == BallotItem.submission_id)
        .where(col(Ballot.challenge_id) == challenge.id, col(Ballot.voter_id) == user.id)
        .order_by(col(BallotItem.id))
    ).all()
    for receipt, submission_id, points, counted, title in rows:
        state.receipt = receipt
        if submission_id is None:
            continue
        state.titles[submission_id] = title
        if counted:
            state.votes[submission_id] = points
        else:
            state.set_aside.append(submission_id)
    state.own = own if own is not None else _own_concepts(session, challenge=challenge, user_id=user.id)
    return state


def _own_concepts(session: Session, *, challenge: Challenge, user_id: int) -> frozenset[int]:
    ids = session.exec(
        select(SubmissionMember.submission_id)
        .join(Submission, col(Submission.id) == SubmissionMember.submission_id)
        .where(col(Submission.challenge_id) == challenge.id, col(SubmissionMember.user_id) == user_id)
    ).all()
    return frozenset(submission_id for submission_id in ids if submission_id is not None)


# --- casting, changing and withdrawing ---------------------------------------------------------------------------


def vote(
    session: Session, *, challenge: Challenge, actor: Actor, vote: Vote, now: datetime, address: str = ""
) -> BallotState:
    """Give `vote.points` to a concept (replacing what it had from this voter); with one vote, the vote moves."""
    user = _check_may_vote(challenge, actor, now, address)
    own = _own_concepts(session, challenge=challenge, user_id=user.id or 0)
    _check_concept(session, challenge=challenge, own=own, submission_id=vote.submission_id)
    points = _checked_points(challenge, vote.points)
    ballot_id = _locked_ballot(session, challenge=challenge, user=user, now=now, address=address)
    if challenge.voting_method == VotingMethod.SINGLE:
        _remove_counted(session, ballot_id=ballot_id, keep=vote.submission_id)
    _put(session, challenge=challenge, ballot_id=ballot_id, vote=Vote(vote.submission_id, points), now=now)
    return ballot_state(session, challenge=challenge, actor=actor, now=now, own=own)


def unvote(
    session: Session, *, challenge: Challenge, actor: Actor, submission_id: int, now: datetime, address: str = ""
) -> BallotState:
    """Take back the vote (or points) for one concept; taking back what was never given is no error."""
    user = _check_may_vote(challenge, actor, now, address)
    ballot = _ballot_of(session, challenge=challenge, user=user, lock=True)
    if ballot is not None:
        session.exec(
            delete(BallotItem).where(
                col(BallotItem.ballot_id) == ballot.id, col(BallotItem.submission_id) == submission_id
            )
        )
        _touch(session, ballot_id=ballot.id, now=now)  # type: ignore[arg-type]
    return ballot_state(session, challenge=challenge, actor=actor, now=now)


def replace(
    session: Session, *, challenge: Challenge, actor: Actor, votes: Sequence[Vote], now: datetime, address: str = ""
) -> BallotState:
    """Make the ballot's counted votes exactly `votes` (idempotent); votes set aside on hidden concepts stay."""
    user = _check_may_vote(challenge, actor, now, address)
    chosen = _checked_ballot(challenge, votes)
    own = _own_concepts(session, challenge=challenge, user_id=user.id or 0)
    for submission_id in chosen:
        _check_concept(session, challenge=challenge, own=own, submission_id=submission_id)
    ballot_id = _locked_ballot(session, challenge=challenge, user=user, now=now, address=address)
    _remove_counted(session, ballot_id=ballot_id, keep=None, only_missing_from=set(chosen))
    for submission_id, points in chosen.items():
        _put(session, challenge=challenge, ballot_id=ballot_id, vote=Vote(submission_id, points), now=now)
    return ballot_state(session, challenge=challenge, actor=actor, now=now)


def withdraw(session: Session, *, challenge: Challenge, actor: Actor, now: datetime, address: str = "") -> None:
    """Withdraw the whole ballot while voting is open (its receipt goes with it)."""
    user = _check_may_vote(challenge, actor, now, address)
    ballot = _ballot_of(session, challenge=challenge, user=user, lock=True)
    if ballot is not None:
        session.delete(ballot)
        session.flush()


def _check_may_vote(challenge: Challenge, actor: Actor, now: datetime, address: str) -> User:
    if not permissions.has_public_vote(challenge):
        raise NotFound(_("This challenge has no public vote."))
    permissions.check_voting_open(challenge, now)
    user = permissions.check_eligible(account_permissions.user_of(actor), challenge)
    ratelimit.hit(ratelimit.VOTE_PER_PERSON, "vote-user", str(user.id))
    ratelimit.hit(ratelimit.votes_per_address(), "vote-ip", address)
    return user


def _check_concept(session: Session, *, challenge: Challenge, own: frozenset[int], submission_id: int) -> None:
    """The concept takes votes in this challenge (else 404: it is not on the ballot); own ones only if allowed."""
    found = session.exec(
        select(Submission.id).where(
            col(Submission.id) == submission_id, col(Submission.challenge_id) == challenge.id, counted_condition()
        )
    ).first()
    if found is None:
        raise NotFound(_("No such concept in this vote."))
    if not permissions.may_vote_for_own(challenge) and submission_id in own:
        raise SelfVoteNotAllowed(_("You cannot vote for a concept your team made."))


def _checked_points(challenge: Challenge, points: int) -> int:
    if challenge.voting_method != VotingMethod.POINTS:
        if points != 1:
            raise ValidationFailed(_("Each concept gets one vote."), errors={"points": _("Give 1.")})
        return 1
    most = permissions.most_per_concept(challenge)
    if not 1 <= points <= most:
        message = _("Give a concept from 1 to %(most)s points.") % {"most": most}
        raise ValidationFailed(message, errors={"points": message})
    return points


def _checked_ballot(challenge: Challenge, votes: Sequence[Vote]) -> dict[int, int]:
    """A whole ballot as given, checked against the method's limits (it is the input, not the stored state)."""
    chosen: dict[int, int] = {}
    for item in votes:
        if item.submission_id in chosen:
            raise ValidationFailed(
                _("Each concept may appear once on the ballot."), errors={"votes": _("Each concept may appear once.")}
            )
        chosen[item.submission_id] = _checked_points(challenge, item.points)
    if sum(chosen.values()) > permissions.votes_per_voter(challenge):
        raise VoteLimitReached(_vote_limit_message(challenge))
    return chosen


def _vote_limit_message(challenge: Challenge) -> str:
    total = challenge.votes_per_voter
    if challenge.voting_method == VotingMethod.POINTS:
        message = ngettext(
            "You have shared out your %(num)d point. Take it back to give it to another concept.",
            "You have shared out all your %(num)d points. Take some back to give them to another concept.",
            total,
        )
    elif challenge.voting_method == VotingMethod.SINGLE or total == 1:
        message = _("You have used your vote. Take it back to vote for another concept.")
    else:
        message = ngettext(
            "You have used your %(num)d vote. Take it back to vote for another concept.",
            "You have used all your %(num)d votes. Take one back to vote for another concept.",
            total,
        )
    return message % {"num": total}


def _ballot_of(session: Session, *, challenge: Challenge, user: User, lock: bool) -> Ballot | None:
    statement = select(Ballot).where(col(Ballot.challenge_id) == challenge.id, col(Ballot.voter_id) == user.id)
    return session.exec(statement.with_for_update() if lock else statement).first()


def _locked_ballot(session: Session, *, challenge: Challenge, user: User, now: datetime, address: str) -> int:
    """The voter's ballot id, created if need be and touched, with its row locked until the transaction ends.

    One upsert: two first votes at once both insert; the database keeps one ballot, and the other request's
    `DO UPDATE` waits for that row's lock (PostgreSQL; SQLite's writers are serialised), then sees its work.
    """
    opens = challenge.voting_opens_at
    values = {
        "challenge_id": challenge.id,
        "voter_id": user.id,
        "receipt": new_receipt(),
        "new_account": opens is not None and user.created_at >= opens,
        "network_hash": network_hash(address),
        "created_at": now,
        "updated_at": now,
    }
    table = Ballot.__table__  # type: ignore[attr-defined]
    upsert = upsert_dialect(session).insert(table).values(**values)
    upsert = upsert.on_conflict_do_update(
        index_elements=["challenge_id", "voter_id"], set_={"updated_at": upsert.excluded.updated_at}
    )
    ballot_id: int = session.execute(upsert.returning(table.c.id)).scalar_one()
    return ballot_id


def new_receipt() -> str:
    """A ballot's receipt: random, so it says nothing about the voter or the vote."""
    return secrets.token_urlsafe(18)


def _others_counted(ballot_id: int, submission_id: int) -> Any:
    """The points this ballot gives other concepts that count, as a scalar subquery."""
    return (
        select(func.coalesce(func.sum(BallotItem.points), 0))
        .join(Submission, col(Submission.id) == BallotItem.submission_id)
        .where(col(BallotItem.ballot_id) == ballot_id, col(BallotItem.submission_id) != submission_id)
        .where(counted_condition())
        .scalar_subquery()
    )


def _put(session: Session, *, challenge: Challenge, ballot_id: int, vote: Vote, now: datetime) -> None:
    """Store the vote if it fits the limit, decided in the statement itself; else refuse.

    One statement: insert the item if the ballot's other counted points leave room, or, when the concept is on the
    ballot already, change its points under the same condition. RETURNING says whether a row was written.
    """
    fits = _others_counted(ballot_id, vote.submission_id) + vote.points <= permissions.votes_per_voter(challenge)
    items = BallotItem.__table__  # type: ignore[attr-defined]
    row = select(
        literal(ballot_id, Integer),
        literal(vote.submission_id, Integer),
        literal(vote.points, Integer),
        literal(now, UTCDateTime()),
    ).where(fits)
    upsert = (
        upsert_dialect(session).insert(items).from_select(["ballot_id", "submission_id", "points", "created_at"], row)
    )
    upsert = upsert.on_conflict_do_update(
        index_elements=["ballot_id", "submission_id"], set_={"points": upsert.excluded.points}, where=fits
    )
    if session.execute(upsert.returning(items.c.id)).first() is None:
        raise VoteLimitReached(_vote_limit_message(challenge))


def _remove_counted(
    session: Session, *, ballot_id: int, keep: int | None, only_missing_from: set[int] | None = None
) -> None:
    """Remove the ballot's counted votes (but `keep`'s, or those in `only_missing_from`); set-aside ones stay."""
    counted = select(Submission.id).where(counted_condition())
    statement = delete(BallotItem).where(
        col(BallotItem.ballot_id) == ballot_id, col(BallotItem.submission_id).in_(counted)
    )
    if keep is not None:
        statement = statement.where(col(BallotItem.submission_id) != keep)
    if only_missing_from:
        statement = statement.where(col(BallotItem.submission_id).not_in(sorted(only_missing_from)))
    session.exec(statement)


def _touch(session: Session, *, ballot_id: int, now: datetime) -> None:
    session.exec(update(Ballot).where(col(Ballot.id) == ballot_id).values(updated_at=now))


def network_hash(address: str) -> str | None:
    """A keyed hash of the address's /24 (IPv4) or /48 (IPv6) network: shared networks can be counted, no address
    can be read back."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    network = ipaddress.ip_network(f"{ip}/{24 if ip.version == 4 else 48}", strict=False)
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"ballot-network:{network}".encode(), hashlib.sha256).hexdigest()


# --- results and the sealed tally --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConceptResult:
    submission_id: int
    title: str
    points: int
    rank: int
    tied: bool
    share: float  # of all counted points, 0..1


@dataclass(frozen=True)
class Results:
    challenge: Challenge
    rows: list[ConceptResult]
    ballots_cast: int
    eligible_voters: int | None
    final: bool  # sealed at the close (else live counts while voting is open)
    tally: SealedTally | None

    @property
    def total_points(self) -> int:
        return sum(row.points for row in self.rows)

    @property
    def turnout(self) -> float | None:
        return self.ballots_cast / self.eligible_voters if self.eligible_voters else None

    @property
    def winners(self) -> list[ConceptResult]:
        """The people's choice: every concept ranked first (ties share it); none when no vote counted."""
        return [row for row in self.rows if row.rank == 1 and row.points > 0]


def results(session: Session, *, challenge: Challenge, now: datetime) -> Results:
    """The public vote's results: sealed at the close (sealing them first if need be), or live when the host
    chose live counts; refused (sealed) otherwise, for hosts and platform admins alike."""
    if not permissions.has_public_vote(challenge):
        raise NotFound(_("This challenge has no public vote."))
    permissions.check_results_visible(challenge, now)
    if permissions.voting_has_closed(challenge, now):
        return _sealed_results(session, challenge, seal(session, challenge=challenge, now=now))
    counts, cast = _live_counts(session, challenge=challenge)
    return _results(session, challenge, counts, cast, _eligible_voters(session, challenge), None)


def sealed_tally(session: Session, *, challenge: Challenge, now: datetime) -> SealedTally:
    """The sealed tally with its export, once the vote has closed (sealing it first if need be)."""
    if not permissions.has_public_vote(challenge):
        raise NotFound(_("This challenge has no public vote."))
    if not permissions.voting_has_closed(challenge, now):
        raise permissions.ResultsSealed(_("The ballots are sealed into an export when the public vote closes."))
    return seal(session, challenge=challenge, now=now)


def integrity_report(session: Session, *, challenge: Challenge, actor: Actor, now: datetime) -> dict[str, Any]:
    """Per concept, the share of its votes from new accounts and crowded networks: for the hosts, after the close
    (while the vote is open it would tell them the counts)."""
    permissions.check_sees_integrity(actor, challenge)
    return sealed_tally(session, challenge=challenge, now=now).integrity


def visible_results(session: Session, *, challenge: Challenge, now: datetime) -> Results | None:
    """The results when they may be shown now (else None: the page says they are sealed)."""
    return results(session, challenge=challenge, now=now) if permissions.results_visible(challenge, now) else None


def visible_integrity(session: Session, *, challenge: Challenge, actor: Actor, now: datetime) -> dict[str, Any] | None:
    """The integrity report when the actor is a host and the vote has closed (else None)."""
    shown = permissions.may_see_integrity(actor, challenge) and permissions.voting_has_closed(challenge, now)
    return integrity_report(session, challenge=challenge, actor=actor, now=now) if shown else None


def published_results(session: Session, *, challenge: Challenge) -> Results | None:
    """The results of a tally already sealed, if any (never seals: for the emails that only mention them)."""
    tally = _tally_of(session, challenge)
    return _sealed_results(session, challenge, tally) if tally else None


def _sealed_results(session: Session, challenge: Challenge, tally: SealedTally) -> Results:
    counts = {int(key): value for key, value in tally.counts.items()}
    return _results(session, challenge, counts, tally.ballots_cast, tally.eligible_voters, tally)


def _results(
    session: Session,
    challenge: Challenge,
    counts: Mapping[int, int],
    cast: int,
    eligible: int | None,
    tally: SealedTally | None,
) -> Results:
    ranked = _rank(counts, _titles(session, ids=list(counts)))
    return Results(challenge, ranked, cast, eligible, tally is not None, tally)


def _titles(session: Session, *, ids: Sequence[int]) -> dict[int | None, str]:
    """The concepts' titles by id."""
    rows = session.exec(select(Submission.id, Submission.title).where(col(Submission.id).in_(sorted(ids)))).all()
    return dict(rows)


def _rank(counts: Mapping[int, int], titles: Mapping[int | None, str]) -> list[ConceptResult]:
    """Concepts by points, most first; equal points share a rank (1, 1, 3) and are marked as ties."""
    total = sum(counts.values())
    frequency = Counter(counts.values())
    ordered = sorted(counts.items(), key=lambda item: (-item[1], titles.get(item[0], "").casefold(), item[0]))
    rows: list[ConceptResult] = []
    for position, (submission_id, points) in enumerate(ordered, start=1):
        shared_rank = rows[-1].rank if rows and rows[-1].points == points else position
        share = points / total if total else 0.0
        title = titles.get(submission_id, "")
        rows.append(ConceptResult(submission_id, title, points, shared_rank, frequency[points] > 1, share))
    return rows


def _counted_concepts(session: Session, challenge: Challenge) -> list[int]:
    ids = session.exec(
        select(Submission.id)
        .where(col(Submission.challenge_id) == challenge.id, counted_condition())
        .order_by(col(Submission.id))
    ).all()
    return [submission_id for submission_id in ids if submission_id is not None]


def _live_counts(session: Session, *, challenge: Challenge) -> tuple[dict[int, int], int]:
    """Points per counted concept (0 for those without votes) and ballots with a counted vote, from the items."""
    counts = dict.fromkeys(_counted_concepts(session, challenge), 0)
    rows = session.exec(
        select(BallotItem.submission_id, func.sum(BallotItem.points))
        .join(Ballot, col(Ballot.id) == BallotItem.ballot_id)
        .join(Submission, col(Submission.id) == BallotItem.submission_id)
        .where(col(Ballot.challenge_id) == challenge.id, counted_condition())
        .group_by(col(BallotItem.submission_id))
    ).all()
    counts |= {submission_id: int(points) for submission_id, points in rows}
    cast = session.exec(
        select(func.count(func.distinct(BallotItem.ballot_id)))
        .join(Ballot, col(Ballot.id) == BallotItem.ballot_id)
        .where(col(Ballot.challenge_id) == challenge.id)
    ).one()
    return counts, int(cast)


def live_points(session: Session, *, challenge: Challenge) -> dict[int, int]:
    """Points per counted concept so far (for live counts while voting is open)."""
    counts, _cast = _live_counts(session, challenge=challenge)
    return counts


def _eligible_voters(session: Session, challenge: Challenge) -> int | None:
    """How many accounts may vote, where the rule names a known group (listed domains, verified identities)."""
    rule = challenge.voter_rule
    if rule == VoterRule.VERIFIED_EMAIL:
        return None  # anyone may make an account: no known electorate
    people = select(func.count(col(User.id))).where(
        col(User.is_active), col(User.deleted_at).is_(None), col(User.email_verified_at).is_not(None)
    )
    if rule == VoterRule.VERIFIED_IDENTITY:
        return int(session.exec(people.where(col(User.identity_verified_at).is_not(None))).one())
    in_domains = or_(
        *(col(User.email).like(f"%@{domain}") for domain in challenge.voter_email_domains),
        *(col(User.email).like(f"%.{domain}") for domain in challenge.voter_email_domains),
    )
    return int(session.exec(people.where(in_domains)).one())


def seal(session: Session, *, challenge: Challenge, now: datetime) -> SealedTally:
    """The challenge's sealed tally, made once after the vote closes: written once, never changed.

    The export lists the ballots (their counted items) shuffled and without voters, and apart from them, shuffled
    again, the ballots' receipts: a voter finds their receipt, anyone recounts the ballots, no receipt leads to a
    ballot. The network hashes the integrity report needed are deleted once it is computed.
    """
    existing = _tally_of(session, challenge)
    if existing is not None:
        return existing
    if not permissions.voting_has_closed(challenge, now):
        raise permissions.ResultsSealed(_("The results are sealed until the public vote closes."))
    ballots = _ballots_for_export(session, challenge)
    counted = _counted_concepts(session, challenge)
    counts = dict.fromkeys(counted, 0) | recount_items(ballots.values())
    integrity = _integrity(session, challenge)
    eligible = _eligible_voters(session, challenge)
    export = _export_document(session, challenge, ballots, counted, now)
    values = {
        "challenge_id": challenge.id,
        "sealed_at": now,
        "export": export,
        "sha256": hashlib.sha256(export).hexdigest(),
        "counts": {str(key): value for key, value in sorted(counts.items())},
        "integrity": integrity,
        "ballots_cast": len(ballots),
        "eligible_voters": eligible,
    }
    table = SealedTally.__table__  # type: ignore[attr-defined]
    session.execute(
        upsert_dialect(session).insert(table).values(**values).on_conflict_do_nothing(index_elements=["challenge_id"])
    )
    session.exec(update(Ballot).where(col(Ballot.challenge_id) == challenge.id).values(network_hash=None))
    tally = _tally_of(session, challenge)
    assert tally is not None  # noqa: S101  (inserted just now, or by a concurrent request)
    return tally


def seal_closed(session: Session, *, now: datetime) -> int:
    """Seal every public vote that has closed and is not sealed yet (the worker's tick); returns how many."""
    sealed = select(SealedTally.challenge_id)
    closed = session.exec(
        select(Challenge).where(
            col(Challenge.voting_closes_at) <= now,
            col(Challenge.voting_method) != VotingMethod.NONE,
            col(Challenge.id).not_in(sealed),
        )
    ).all()
    count = 0
    for challenge in closed:
        if permissions.voting_has_closed(challenge, now):
            seal(session, challenge=challenge, now=now)
            count += 1
    return count


def _tally_of(session: Session, challenge: Challenge) -> SealedTally | None:
    """The challenge's tally; its export (all the ballots) is read only when something reads `export`."""
    statement = select(SealedTally).where(col(SealedTally.challenge_id) == challenge.id)
    return session.exec(statement.options(defer(SealedTally.export))).first()  # type: ignore[arg-type]


def _ballots_for_export(session: Session, challenge: Challenge) -> dict[str, list[dict[str, int]]]:
    """Every ballot that holds a vote, by receipt: its counted items (a ballot whose only votes were set aside
    was cast all the same, and is exported empty)."""
    rows = session.exec(
        select(Ballot.receipt, BallotItem.submission_id, BallotItem.points, counted_condition())
        .join(BallotItem, col(BallotItem.ballot_id) == Ballot.id)
        .join(Submission, col(Submission.id) == BallotItem.submission_id)
        .where(col(Ballot.challenge_id) == challenge.id)
        .order_by(col(BallotItem.submission_id))
    ).all()
    ballots: dict[str, list[dict[str, int]]] = defaultdict(list)
    for receipt, submission_id, points, counted in rows:
        items = ballots[receipt]
        if counted:
            items.append({"concept": submission_id, "points": points})
    return dict(ballots)


def recount_items(ballots: Iterable[Sequence[Mapping[str, int]]]) -> dict[int, int]:
    """Points per concept over `ballots` (each a list of {"concept", "points"})."""
    counts: Counter[int] = Counter()
    for items in ballots:
        for item in items:
            counts[int(item["concept"])] += int(item["points"])
    return dict(counts)


def recount(export: bytes) -> dict[int, int]:
    """Recount a sealed export: points per concept, every counted concept listed (0 when it got none)."""
    document = json.loads(export)
    counts = {int(concept["id"]): 0 for concept in document["concepts"]}
    return counts | recount_items(ballot["items"] for ballot in document["ballots"])


def _export_document(
    session: Session,
    challenge: Challenge,
    ballots: Mapping[str, list[dict[str, int]]],
    counted: list[int],
    now: datetime,
) -> bytes:
    shuffler = secrets.SystemRandom()
    items = [{"items": ballot} for ballot in ballots.values()]
    receipts = list(ballots)
    shuffler.shuffle(items)
    shuffler.shuffle(receipts)
    names = _titles(session, ids=counted)
    document = {
        "format": EXPORT_FORMAT,
        "challenge": {"slug": challenge.slug, "title": challenge.title},
        "method": str(challenge.voting_method),
        "votes_per_voter": permissions.votes_per_voter(challenge),
        "max_points_per_concept": challenge.max_points_per_concept,
        "voting_opens_at": _iso(challenge.voting_opens_at),
        "voting_closes_at": _iso(challenge.voting_closes_at),
        "sealed_at": _iso(now),
        "concepts": [{"id": concept, "title": names.get(concept, "")} for concept in counted],
        "ballots": items,
        "receipts": receipts,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1).encode()


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# --- integrity ---------------------------------------------------------------------------------------------------


def _integrity(session: Session, challenge: Challenge) -> dict[str, Any]:
    """Per concept, the share of its votes from accounts made during the vote and from crowded networks."""
    rows = session.execute(
        sql_select(
            col(Ballot.id),
            col(Ballot.new_account),
            col(Ballot.network_hash),
            col(BallotItem.submission_id),
            col(BallotItem.points),
        )
        .join(BallotItem, col(BallotItem.ballot_id) == Ballot.id)
        .join(Submission, col(Submission.id) == BallotItem.submission_id)
        .where(col(Ballot.challenge_id) == challenge.id, counted_condition())
    ).all()
    ballots = {ballot_id: (new, network) for ballot_id, new, network, _submission, _points in rows}
    per_network = Counter(network for _new, network in ballots.values() if network)
    crowded = {network for network, count in per_network.items() if count >= SHARED_NETWORK_BALLOTS}
    per_concept: dict[int, dict[str, int]] = defaultdict(lambda: {"points": 0, "new_accounts": 0, "shared": 0})
    for _ballot_id, new, network, submission_id, points in rows:
        figures = per_concept[submission_id]
        figures["points"] += points
        figures["new_accounts"] += points if new else 0
        figures["shared"] += points if network in crowded else 0
    return {
        "shared_network_ballots": SHARED_NETWORK_BALLOTS,
        "ballots": len(ballots),
        "ballots_from_new_accounts": sum(1 for new, _network in ballots.values() if new),
        "ballots_from_shared_networks": sum(1 for _new, network in ballots.values() if network in crowded),
        "concepts": {str(key): value for key, value in sorted(per_concept.items())},
    }


# --- checking, receipts and personal data ------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    challenge_slug: str
    problem: str


def verify(session: Session) -> tuple[list[Drift], int]:
    """Every sealed tally checked: its hash, its stored counts against a recount of its export, and its ballots
    against its receipts. Returns the differences found and the number of tallies checked."""
    drifts: list[Drift] = []
    rows = session.exec(select(SealedTally, Challenge.slug).join(Challenge)).all()
    for tally, slug in rows:
        if hashlib.sha256(tally.export).hexdigest() != tally.sha256:
            drifts.append(Drift(slug, "the export's SHA-256 differs from the published one"))
            continue
        stored = {int(key): value for key, value in tally.counts.items()}
        if recount(tally.export) != stored:
            drifts.append(Drift(slug, "the stored counts differ from a recount of the export"))
        document = json.loads(tally.export)
        if not len(document["ballots"]) == len(document["receipts"]) == tally.ballots_cast:
            drifts.append(Drift(slug, "the numbers of ballots, receipts and ballots cast differ"))
    return drifts, len(rows)


@dataclass(frozen=True)
class Receipt:
    challenge: Challenge
    receipt: str
    votes: int  # items on the ballot
    sealed: bool


def receipts_of(session: Session, *, user_id: int) -> list[Receipt]:
    """The user's ballots, newest first, with the receipt each sealed export lists."""
    rows = session.exec(
        select(Ballot, Challenge, func.count(col(BallotItem.id)), SealedTally.id)
        .join(Challenge, col(Challenge.id) == Ballot.challenge_id)
        .outerjoin(BallotItem, col(BallotItem.ballot_id) == Ballot.id)
        .outerjoin(SealedTally, col(SealedTally.challenge_id) == Ballot.challenge_id)
        .where(col(Ballot.voter_id) == user_id)
        .group_by(col(Ballot.id), col(Challenge.id), col(SealedTally.id))
        .order_by(col(Ballot.created_at).desc())
    ).all()
    return [
        Receipt(challenge, ballot.receipt, int(votes), tally is not None) for ballot, challenge, votes, tally in rows
    ]


def export_ballots(session: Session, user: User) -> list[dict[str, Any]]:
    """The user's ballots for "download my data": the challenge, the receipt and each vote."""
    ballots = session.exec(
        select(Ballot, Challenge.slug)
        .join(Challenge, col(Challenge.id) == Ballot.challenge_id)
        .where(col(Ballot.voter_id) == user.id)
        .order_by(col(Ballot.id))
    ).all()
    items = session.exec(
        select(BallotItem).where(col(BallotItem.ballot_id).in_([ballot.id for ballot, _slug in ballots]))
    ).all()
    by_ballot: dict[int, list[dict[str, int]]] = defaultdict(list)
    for item in items:
        by_ballot[item.ballot_id].append({"concept": item.submission_id, "points": item.points})
    return [
        {
            "challenge": slug,
            "receipt": ballot.receipt,
            "votes": by_ballot.get(ballot.id or 0, []),
            "created_at": ballot.created_at.isoformat(),
            "updated_at": ballot.updated_at.isoformat(),
        }
        for ballot, slug in ballots
    ]


def unlink_on_deletion(session: Session, user: User) -> None:
    """A deleted account's ballots still count, linked to no one."""
    session.exec(update(Ballot).where(col(Ballot.voter_id) == user.id).values(voter_id=None, network_hash=None))


gdpr.register_exporter("ballots", export_ballots)
gdpr.register_anonymiser(unlink_on_deletion)
