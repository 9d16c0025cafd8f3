"""Awards and the announcement: hosts decide the awards (proposed from the ranking, with the prize split's amounts
and the jury's motivation), then announce: the results become public and every team is emailed its outcome, with
its scores beside the field's and the jurors' comments (anonymised) when the hosts choose."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app import i18n
from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.follows import service as follows
from app.challenges.models import Challenge, Criterion, NoticeKind
from app.errors import Conflict, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.jury import calibration, permissions, reviews
from app.jury import service as jury
from app.jury.models import Announcement, Award, AwardKind, Juror, Review, ReviewStatus
from app.jury.results import service as results
from app.kit import urls
from app.submissions import service as submissions
from app.submissions.models import Submission
from app.voting import service as voting

MAX_AWARDS = 50
MAX_MOTIVATION = 5000
# The order awards are listed in, on the page and in the emails.
KIND_ORDER = list(AwardKind)
PLACES = (AwardKind.FIRST, AwardKind.SECOND, AwardKind.THIRD)


class AlreadyAnnounced(Conflict):
    type, title = "already-announced", "Results already announced"


class AwardsMissing(Conflict):
    type, title = "awards-missing", "No awards to announce"


@dataclass(frozen=True)
class AwardIn:
    submission_id: int
    kind: AwardKind
    name: str = ""
    prize_amount: int | None = None  # minor units
    motivation: str = ""


def announced_challenges(session: Session, *, challenge_ids: Sequence[int]) -> set[int]:
    """Which of these challenges have announced their results."""
    if not challenge_ids:
        return set()
    rows = session.exec(
        select(Announcement.challenge_id).where(col(Announcement.challenge_id).in_(sorted(set(challenge_ids))))
    ).all()
    return set(rows)


def awards_for(session: Session, *, submission_ids: Sequence[int]) -> dict[int, list[Award]]:
    """The awards of these concepts, by concept id."""
    found: dict[int, list[Award]] = defaultdict(list)
    if submission_ids:
        for award in session.exec(select(Award).where(col(Award.submission_id).in_(sorted(set(submission_ids))))).all():
            found[award.submission_id].append(award)
    return found


def awards_of(session: Session, challenge: Challenge) -> list[Award]:
    """The challenge's awards: 1st, 2nd, 3rd, people's choice, honourable mentions, then custom ones."""
    found = session.exec(select(Award).where(Award.challenge_id == challenge.id)).all()
    return sorted(found, key=lambda a: (KIND_ORDER.index(AwardKind(a.kind)), a.position, a.id or 0))


def can_award(actor: Actor, challenge: Challenge, now: datetime) -> bool:
    """Hosts decide the awards once the review and the public vote are over, until they announce."""
    return permissions.runs(actor, challenge) and permissions.awarding_is_open(challenge, now)


def _check_award(session: Session, actor: Actor, challenge: Challenge, now: datetime) -> None:
    """Refuse unless the actor may award now; call it holding the panel's lock, so an announcement in another
    transaction is seen (a second announcement, or awards changed while announcing, wait and are refused)."""
    permissions.check_runs(actor, challenge)
    if not permissions.awarding_is_open(challenge, now):
        raise Conflict(_("Awards are decided once the review and the public vote are over."))
    if jury.announcement_of(session, challenge) is not None:
        raise AlreadyAnnounced(_("The results have been announced: the awards are final."))


def place_prizes(challenge: Challenge) -> list[int | None]:
    """The prize of each prize place from the challenge's prize split (minor units): each fixed amount, or the
    shared total split evenly among the best; no amounts for the three places of a challenge without a split."""
    split = challenge.prize_split or {}
    if split.get("kind") == "fixed":
        return [int(amount) for amount in split.get("amounts", [])] or [None] * len(PLACES)
    best = int(split.get("best", 0)) if split.get("kind") == "shared" else 0
    if best:
        return [challenge.prize_amount // best if challenge.prize_amount else None] * best
    return [None] * len(PLACES)


def kind_for_place(place: int) -> AwardKind:
    """1st, 2nd and 3rd place; a prize place after those is an honourable mention."""
    return PLACES[place - 1] if place <= len(PLACES) else AwardKind.HONOURABLE_MENTION


def _pooled(prizes: Sequence[int | None], first: int, count: int) -> int | None:
    """The prizes of `count` places from place `first`, shared evenly by the concepts tied there."""
    spanned = prizes[first - 1 : first - 1 + count]
    if not any(prize is not None for prize in spanned):
        return None
    return sum(prize or 0 for prize in spanned) // count


def proposal(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> list[AwardIn]:
    """Awards proposed from the hosts' ranking (calibrated jury scores with the public vote by the jury weight):
    one per prize place, concepts tied at a place sharing it and the prizes of the places they span; and the
    people's choice for the public vote's leader (each of them, when tied)."""
    ranking = results.host_results(
        session, actor=actor, challenge=challenge, method=calibration.Method.CALIBRATED, now=now
    ).ranking
    prizes = place_prizes(challenge)
    places = max(len(prizes), results.prize_places(challenge))
    proposed: list[AwardIn] = []
    for rank in sorted({entry.rank for entry in ranking}):
        if rank > places:
            break
        tied = [entry for entry in ranking if entry.rank == rank]
        prize = _pooled(prizes, rank, len(tied))
        proposed += [AwardIn(entry.concept.concept_id, kind_for_place(rank), prize_amount=prize) for entry in tied]
    public = voting.visible_results(session, challenge=challenge, now=now)
    if public is not None and public.winners:
        proposed += [AwardIn(row.submission_id, AwardKind.PEOPLES_CHOICE) for row in public.winners]
    return proposed


def _validated(session: Session, challenge: Challenge, awards: Sequence[AwardIn]) -> None:
    under_review = {concept.id for concept in jury.concepts_under_review(session, challenge=challenge)}
    errors: dict[str, str] = {}
    given: set[tuple[int, AwardKind]] = set()
    if len(awards) > MAX_AWARDS:
        errors["awards"] = _("At most %(max)d awards.") % {"max": MAX_AWARDS}
    # A place may be shared (concepts that tie share 1st place); a concept gets each kind of award once.
    for n, award in enumerate(awards):
        if award.submission_id not in under_review:
            errors[f"awards.{n}.concept"] = _("Choose a concept submitted to this challenge.")
        if award.kind != AwardKind.CUSTOM and (award.submission_id, award.kind) in given:
            errors[f"awards.{n}.kind"] = _("This concept has this award already.")
        if award.kind == AwardKind.CUSTOM and not award.name.strip():
            errors[f"awards.{n}.name"] = _("Give the award a name.")
        if len(award.name) > 120:
            errors[f"awards.{n}.name"] = _("At most %(max)d characters.") % {"max": 120}
        if award.prize_amount is not None and award.prize_amount < 0:
            errors[f"awards.{n}.prize"] = _("A prize cannot be negative.")
        if len(award.motivation) > MAX_MOTIVATION:
            errors[f"awards.{n}.motivation"] = _("At most %(max)d characters.") % {"max": MAX_MOTIVATION}
        given.add((award.submission_id, award.kind))
    if errors:
        raise ValidationFailed(_("Some awards need another look."), errors=errors)


def replace_awards(
    session: Session, *, actor: Actor, challenge: Challenge, awards: Sequence[AwardIn], now: datetime
) -> list[Award]:
    """The hosts set the whole list of awards (idempotent), until they announce."""
    permissions.check_runs(actor, challenge)
    jury.panel_of(session, challenge, lock=True)  # one writer at a time, the announcement included
    _check_award(session, actor, challenge, now)
    _validated(session, challenge, awards)
    before = [_snapshot(award) for award in awards_of(session, challenge)]
    session.exec(delete(Award).where(col(Award.challenge_id) == challenge.id))
    for position, award in enumerate(awards):
        session.add(
            Award(
                challenge_id=challenge.id or 0,
                submission_id=award.submission_id,
                kind=award.kind,
                name=award.name.strip() if award.kind == AwardKind.CUSTOM else "",
                prize_amount=award.prize_amount,
                motivation=award.motivation.strip(),
                position=position,
                created_at=now,
                updated_at=now,
            )
        )
    session.flush()
    saved = awards_of(session, challenge)
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.awards",
        target="challenge",
        target_id=challenge.id,
        now=now,
        before={"awards": before},
        after={"awards": [_snapshot(award) for award in saved]},
    )
    return saved


def _snapshot(award: Award | AwardIn) -> dict[str, Any]:
    return {"concept": award.submission_id, "kind": str(award.kind), "prize": award.prize_amount}


def kind_label(kind: AwardKind) -> str:
    """An award kind's name, in the reader's language."""
    labels = {
        AwardKind.FIRST: _("1st place"),
        AwardKind.SECOND: _("2nd place"),
        AwardKind.THIRD: _("3rd place"),
        AwardKind.PEOPLES_CHOICE: _("People's choice"),
        AwardKind.HONOURABLE_MENTION: _("Honourable mention"),
        AwardKind.CUSTOM: _("Your own award (give it a name)"),
    }
    return labels[kind]


def award_label(award: Award) -> str:
    """What the award is called, in the reader's language."""
    return award.name if award.kind == AwardKind.CUSTOM else kind_label(AwardKind(award.kind))


# --- feedback to entrants ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CriterionFeedback:
    name: str
    score: float | None  # the concept's mean over its jurors
    field_low: float | None  # the lowest, median and highest concept mean in the challenge
    field_median: float | None
    field_high: float | None
    comments: list[str]


@dataclass(frozen=True)
class Feedback:
    criteria: list[CriterionFeedback]
    comments: list[str]  # the jurors' overall comments, without their names


def feedback(session: Session, *, challenge: Challenge) -> dict[int, Feedback]:
    """Each concept's structured feedback: its mean per criterion beside the field's spread, and the jurors'
    comments, anonymised (only reviews that count: submitted, by jurors without a conflict)."""
    counted = reviews.submitted_scores(session, challenge=challenge)
    criteria = list(
        session.exec(
            select(Criterion).where(Criterion.challenge_id == challenge.id).order_by(col(Criterion.position))
        ).all()
    )
    values: dict[tuple[int, int], list[int]] = defaultdict(list)
    for _juror, concept_id, criterion_id, value in counted:
        values[(concept_id, criterion_id)].append(value)
    means = {key: statistics.fmean(found) for key, found in values.items()}
    pairs = {(juror, concept) for juror, concept, _criterion, _value in counted}
    comments = _comments(session, challenge, pairs)
    result: dict[int, Feedback] = {}
    for concept in {concept for _juror, concept, _c, _v in counted}:
        rows = []
        for criterion in criteria:
            field_means = sorted(m for (_c, crit), m in means.items() if crit == criterion.id)
            rows.append(
                CriterionFeedback(
                    name=criterion.name,
                    score=means.get((concept, criterion.id or 0)),
                    field_low=field_means[0] if field_means else None,
                    field_median=statistics.median(field_means) if field_means else None,
                    field_high=field_means[-1] if field_means else None,
                    comments=comments.by_criterion.get((concept, criterion.id or 0), []),
                )
            )
        result[concept] = Feedback(criteria=rows, comments=comments.overall.get(concept, []))
    return result


@dataclass
class _Comments:
    by_criterion: dict[tuple[int, int], list[str]] = field(default_factory=dict)
    overall: dict[int, list[str]] = field(default_factory=dict)


def _comments(session: Session, challenge: Challenge, pairs: set[tuple[int, int]]) -> _Comments:
    found = _Comments()
    rows = session.exec(
        select(Review)
        .join(Juror, col(Juror.id) == col(Review.juror_id))
        .where(Juror.challenge_id == challenge.id, Review.status == ReviewStatus.SUBMITTED)
        .options(selectinload(Review.scores))  # type: ignore[arg-type]
        .order_by(col(Review.id))
    ).all()
    for review in rows:
        if (review.juror_id, review.submission_id) not in pairs:
            continue
        if review.overall_comment:
            found.overall.setdefault(review.submission_id, []).append(review.overall_comment)
        for score in review.scores:
            if score.comment:
                found.by_criterion.setdefault((review.submission_id, score.criterion_id), []).append(score.comment)
    return found


# --- the announcement -------------------------------------------------------------------------------------------


def announce(
    session: Session, *, actor: Actor, challenge: Challenge, feedback_to_entrants: bool, now: datetime
) -> Announcement:
    """The hosts announce: the awards become final and public (the challenge is announced from now on, if its date
    had not come), and every team is emailed its outcome; with `feedback_to_entrants`, its feedback too."""
    permissions.check_runs(actor, challenge)
    jury.panel_of(session, challenge, lock=True)
    _check_award(session, actor, challenge, now)
    given = awards_of(session, challenge)
    if not given:
        raise AwardsMissing(_("Decide the awards before you announce the results."))
    planned = challenge.announce_at
    challenges.announce_now(session, challenge=challenge, now=now)
    announcement = Announcement(
        challenge_id=challenge.id or 0,
        announced_at=now,
        announced_by_id=actor.user_id,
        feedback_to_entrants=feedback_to_entrants,
    )
    session.add(announcement)
    session.flush()
    announcement.teams_emailed = _email_teams(session, challenge, given, feedback_to_entrants, now)
    # The followers' results notice, now (its date may have passed while the hosts were deciding).
    follows.record_notice(session, challenge=challenge, kind=NoticeKind.RESULTS, now=now)
    session.add(announcement)
    session.flush()
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.announce",
        target="challenge",
        target_id=challenge.id,
        now=now,
        after={
            "awards": len(given),
            "feedback": feedback_to_entrants,
            "teams": announcement.teams_emailed,
            "announce_at": {"planned": planned.isoformat() if planned else None, "now": now.isoformat()},
        },
    )
    return announcement


def _email_teams(
    session: Session, challenge: Challenge, given: Sequence[Award], with_feedback: bool, now: datetime
) -> int:
    concepts = jury.concepts_under_review(session, challenge=challenge)  # with their teams' accounts
    notes = feedback(session, challenge=challenge) if with_feedback else {}
    by_concept: dict[int, list[Award]] = defaultdict(list)
    for award in given:
        by_concept[award.submission_id].append(award)
    for concept in concepts:
        for member in concept.members:
            outbox.enqueue_email(
                session,
                to=member.user.email,
                template="results_outcome",
                language=member.user.language,
                context={
                    "challenge": challenge,
                    "concept": concept,
                    "awards": _labelled(by_concept.get(concept.id or 0, []), member.user.language),
                    "feedback": notes.get(concept.id or 0),
                    "link": urls.absolute(urls.challenge(challenge.slug, "/results")),
                },
                now=now,
            )
    return len(concepts)


def _labelled(given: Sequence[Award], language: str) -> list[tuple[Award, str]]:
    """The awards with their names in `language` (an email's reader's)."""
    with i18n.language(language):
        return [(award, award_label(award)) for award in given]


@dataclass(frozen=True)
class PublicAward:
    label: str
    award: Award
    title: str
    team_name: str


def results_ready(session: Session, challenge: Challenge) -> bool:
    """A challenge with a jury tells its followers the results once its hosts have announced the awards."""
    seated = session.exec(select(Juror.id).where(Juror.challenge_id == challenge.id).limit(1)).first()
    return seated is None or jury.announcement_of(session, challenge) is not None


follows.register_results_gate(results_ready)


def _shown(session: Session, given: Sequence[Award]) -> list[PublicAward]:
    """The awards with their concepts as submitted (title and team of the newest version; an anonymous team
    unnamed), never the team's working copy."""
    ids = [award.submission_id for award in given]
    versions = submissions.newest_versions(session, submission_ids=ids)
    anonymous = set(
        session.exec(select(Submission.id).where(col(Submission.id).in_(ids), col(Submission.anonymous))).all()
    )
    return [
        PublicAward(
            label=award_label(award),
            award=award,
            title=versions[award.submission_id].title,
            team_name="" if award.submission_id in anonymous else versions[award.submission_id].team_name,
        )
        for award in given
        if award.submission_id in versions
    ]


def public_awards(session: Session, *, challenge: Challenge) -> list[PublicAward] | None:
    """The awards as the public sees them, once announced (else None)."""
    if jury.announcement_of(session, challenge) is None:
        return None
    return _shown(session, awards_of(session, challenge))


@dataclass(frozen=True)
class AwardsState:
    """The awards as one reader may see them: the hosts also before the announcement, with a proposal."""

    announcement: Announcement | None
    awards: list[PublicAward]
    proposal: list[AwardIn] | None
    can_award: bool


def hosts_state(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> AwardsState:
    """For the hosts: the awards so far, the announcement if made, and what the ranking proposes."""
    permissions.check_runs(actor, challenge)
    announcement = jury.announcement_of(session, challenge)
    may = can_award(actor, challenge, now) and announcement is None
    return AwardsState(
        announcement=announcement,
        awards=_shown(session, awards_of(session, challenge)),
        proposal=proposal(session, actor=actor, challenge=challenge, now=now) if may else None,
        can_award=may,
    )


def public_state(session: Session, *, challenge: Challenge) -> AwardsState:
    """For everyone: the announced awards (a 404 before the announcement)."""
    announcement = jury.announcement_of(session, challenge)
    if announcement is None:
        raise NotFound(_("The results have not been announced yet."))
    return AwardsState(announcement, _shown(session, awards_of(session, challenge)), None, False)
