"""Scoring: a juror's assigned concepts, their review of one (scores per criterion on the challenge's scale, comments,
draft then submitted), the others' scores once their own is in, and the hosts' progress, reminders and reopening."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import selectinload
from sqlmodel import Session, col, select

from app.actor import Actor
from app.challenges.models import Challenge, Criterion
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.integrations import outbox
from app.jury import permissions
from app.jury import service as jury
from app.jury.models import Juror, JuryAssignment, JuryPanel, Review, ReviewScore, ReviewStatus
from app.kit import urls
from app.submissions import service as submissions
from app.submissions.models import Submission, SubmissionVersion

MAX_COMMENT = 5000
MAX_OVERALL_COMMENT = 10000


class NotAssigned(Forbidden):
    type, title = "not-assigned", "Not assigned to you"


class ReviewSubmitted(Conflict):
    type, title = "review-submitted", "Review already submitted"


@dataclass(frozen=True)
class ScoreIn:
    criterion_id: int
    value: int | None
    comment: str = ""


class Progress:
    """Where a review stands."""

    NOT_STARTED = "not-started"
    DRAFT = "draft"
    SUBMITTED = "submitted"


def _progress(review: Review | None) -> str:
    if review is None:
        return Progress.NOT_STARTED
    return Progress.SUBMITTED if review.status == ReviewStatus.SUBMITTED else Progress.DRAFT


@dataclass(frozen=True)
class AssignedConcept:
    submission_id: int
    title: str
    summary: str
    team_name: str | None  # None under blind review
    progress: str
    review: Review | None


@dataclass(frozen=True)
class JuryWork:
    """A juror's page: their seat, the settings, and their assigned concepts with progress."""

    juror: Juror
    panel: JuryPanel
    concepts: list[AssignedConcept]
    can_score: bool

    @property
    def submitted(self) -> int:
        return sum(1 for concept in self.concepts if concept.progress == Progress.SUBMITTED)


def _seated(session: Session, *, challenge: Challenge, actor: Actor) -> Juror:
    seat = jury.seat_of(session, challenge=challenge, actor=actor)
    if not permissions.sits(seat) or seat is None:
        raise NotFound(_("This challenge has no jury work for you."))
    return seat


def _reviews(
    session: Session, *, juror_ids: Sequence[int], with_scores: bool = True, round_: int | None = None
) -> list[Review]:
    if not juror_ids:
        return []
    statement = select(Review).where(col(Review.juror_id).in_(sorted(juror_ids)))
    if round_ is not None:
        statement = statement.where(Review.round == round_)
    if with_scores:
        statement = statement.options(selectinload(Review.scores))  # type: ignore[arg-type]
    return list(session.exec(statement).all())


def my_work(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> JuryWork:
    """The signed-in juror's assigned concepts, as the team submitted them (without the team under blind review)."""
    seat = _seated(session, challenge=challenge, actor=actor)
    panel = jury.panel_or_default(session, challenge)
    round_ = jury.current_round(panel)
    assigned = session.exec(
        select(JuryAssignment.submission_id)
        .where(JuryAssignment.juror_id == seat.id, JuryAssignment.round == round_)
        .order_by(col(JuryAssignment.id))
    ).all()
    versions = submissions.newest_versions(session, submission_ids=list(assigned))
    hidden = panel.blind_review and not jury.results_announced(session, challenge)
    reviews = {review.submission_id: review for review in _reviews(session, juror_ids=[seat.id or 0], round_=round_)}
    concepts = [
        AssignedConcept(
            submission_id=submission_id,
            title=versions[submission_id].title,
            summary=versions[submission_id].summary,
            team_name=None if hidden else versions[submission_id].team_name,
            progress=_progress(reviews.get(submission_id)),
            review=reviews.get(submission_id),
        )
        for submission_id in assigned
        if submission_id in versions
    ]
    return JuryWork(juror=seat, panel=panel, concepts=concepts, can_score=permissions.can_score(challenge, seat, now))


@dataclass(frozen=True)
class OtherReview:
    """Another juror's review of the same concept, shown without their name."""

    label: str
    scores: dict[int, int | None]
    comments: dict[int, str]
    overall_comment: str


@dataclass(frozen=True)
class ReviewSheet:
    """What a juror sees when scoring one concept."""

    juror: Juror
    panel: JuryPanel
    challenge: Challenge
    version: SubmissionVersion
    criteria: list[Criterion]
    review: Review | None
    can_edit: bool
    others: list[OtherReview] | None  # None: not (yet) theirs to see
    values: dict[str, str] = field(default_factory=dict)  # the form's values (scores and comments) by field name
    revealed: bool = False  # blind review is over: the results are announced

    @property
    def team_name(self) -> str | None:
        return None if self.panel.blind_review and not self.revealed else self.version.team_name


def _criteria(session: Session, challenge: Challenge) -> list[Criterion]:
    return list(
        session.exec(
            select(Criterion)
            .where(Criterion.challenge_id == challenge.id)
            .order_by(col(Criterion.position), col(Criterion.id))
        ).all()
    )


def _assignment(session: Session, *, seat: Juror, submission_id: int, round_: int) -> JuryAssignment:
    """The seat's assignment to the concept in the round; a conflict of interest refuses it even if an assignment
    is left over (a second line of defence: conflicts take the juror off the concept)."""
    if jury.has_conflict(session, juror=seat, submission_id=submission_id):
        raise NotAssigned(_("You have a conflict of interest with this concept."))
    found = session.exec(
        select(JuryAssignment).where(
            JuryAssignment.juror_id == seat.id,
            JuryAssignment.submission_id == submission_id,
            JuryAssignment.round == round_,
        )
    ).first()
    if found is None:
        raise NotAssigned(_("This concept is not assigned to you."))
    return found


def _review(session: Session, *, seat: Juror, submission_id: int, round_: int) -> Review | None:
    return session.exec(
        select(Review)
        .where(Review.juror_id == seat.id, Review.submission_id == submission_id, Review.round == round_)
        .options(selectinload(Review.scores))  # type: ignore[arg-type]
    ).first()


def form_values(review: Review | None) -> dict[str, str]:
    """A review as the scoring form's fields: `score-<criterion>`, `comment-<criterion>`, `overall_comment`."""
    if review is None:
        return {}
    values = {"overall_comment": review.overall_comment}
    for score in review.scores:
        values[f"score-{score.criterion_id}"] = "" if score.value is None else str(score.value)
        values[f"comment-{score.criterion_id}"] = score.comment
    return values


def sheet(session: Session, *, actor: Actor, challenge: Challenge, submission_id: int, now: datetime) -> ReviewSheet:
    """A juror's scoring sheet for an assigned concept, with the others' reviews once theirs is submitted (and the
    chair allows)."""
    seat = _seated(session, challenge=challenge, actor=actor)
    panel = jury.panel_or_default(session, challenge)
    round_ = jury.current_round(panel)
    _assignment(session, seat=seat, submission_id=submission_id, round_=round_)
    version = submissions.newest_versions(session, submission_ids=[submission_id]).get(submission_id)
    if version is None:
        raise NotFound(_("No such concept."))
    review = _review(session, seat=seat, submission_id=submission_id, round_=round_)
    others = (
        _others(session, challenge=challenge, seat=seat, submission_id=submission_id, round_=round_)
        if permissions.can_see_others_scores(panel, review)
        else None
    )
    editable = permissions.can_score(challenge, seat, now) and (review is None or review.status == ReviewStatus.DRAFT)
    return ReviewSheet(
        juror=seat,
        panel=panel,
        challenge=challenge,
        version=version,
        criteria=_criteria(session, challenge),
        review=review,
        can_edit=editable,
        others=others,
        values=form_values(review),
        revealed=jury.results_announced(session, challenge),
    )


def _others(
    session: Session, *, challenge: Challenge, seat: Juror, submission_id: int, round_: int
) -> list[OtherReview]:
    rows = session.exec(
        select(Review)
        .join(Juror, col(Juror.id) == col(Review.juror_id))
        .where(
            Review.submission_id == submission_id,
            Review.round == round_,
            Review.status == ReviewStatus.SUBMITTED,
            Juror.challenge_id == challenge.id,
            col(Review.juror_id) != seat.id,
        )
        .options(selectinload(Review.scores))  # type: ignore[arg-type]
        .order_by(col(Review.id))
    ).all()
    concept = session.exec(
        select(Submission).where(Submission.id == submission_id).options(selectinload(Submission.members))  # type: ignore[arg-type]
    ).one()
    authors = jury.jurors(session, challenge=challenge, include_left=True)
    blocked = jury.conflicts(session, challenge=challenge, seated=authors, concepts=[concept])
    rows = [review for review in rows if not blocked.blocks(review.juror_id, submission_id)]
    return [
        OtherReview(
            label=_("Juror %(number)d") % {"number": number},
            scores={score.criterion_id: score.value for score in review.scores},
            comments={score.criterion_id: score.comment for score in review.scores if score.comment},
            overall_comment=review.overall_comment,
        )
        for number, review in enumerate(rows, start=1)
    ]


def _checked(challenge: Challenge, criteria: Sequence[Criterion], scores: Sequence[ScoreIn], submit: bool) -> None:
    errors = score_errors(challenge, criteria, scores, submit)
    if errors:
        raise ValidationFailed(_("Some scores need another look."), errors=errors)


def score_errors(
    challenge: Challenge, criteria: Sequence[Criterion], scores: Sequence[ScoreIn], submit: bool
) -> dict[str, str]:
    """What is wrong with a review's scores, by field: outside the scale, unknown or twice, missing on submit."""
    known = {criterion.id for criterion in criteria}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    for score in scores:
        name = f"score-{score.criterion_id}"
        if score.criterion_id not in known:
            errors[name] = _("This challenge has no such criterion.")
        elif score.criterion_id in seen:
            errors[name] = _("Score each criterion once.")
        elif score.value is not None and not 0 <= score.value <= challenge.scoring_scale_max:
            errors[name] = _("Give a whole number from 0 to %(max)d.") % {"max": challenge.scoring_scale_max}
        if len(score.comment) > MAX_COMMENT:
            errors[f"comment-{score.criterion_id}"] = _("At most %(max)d characters.") % {"max": MAX_COMMENT}
        seen.add(score.criterion_id)
    if submit:
        given = {score.criterion_id for score in scores if score.value is not None}
        for criterion in criteria:
            if criterion.id not in given:
                errors.setdefault(f"score-{criterion.id}", _("Give a score before you submit."))
    return errors


def save(
    session: Session,
    *,
    actor: Actor,
    challenge: Challenge,
    submission_id: int,
    scores: Sequence[ScoreIn],
    overall_comment: str,
    submit: bool,
    now: datetime,
) -> Review:
    """Save a juror's review as a draft, or submit it (every criterion scored); a submitted review changes only
    after a host reopens it. Scores are on the challenge's scale, from 0 to its highest score."""
    seat = jury.seat_of(session, challenge=challenge, actor=actor)
    permissions.check_score(challenge, seat, now)
    assert seat is not None  # noqa: S101  (check_score refuses anyone without a seat)
    # The seat's row lock serialises one juror's saves (two tabs): the review row is made once.
    session.get(Juror, seat.id, with_for_update=True)
    round_ = jury.current_round(jury.panel_or_default(session, challenge))
    _assignment(session, seat=seat, submission_id=submission_id, round_=round_)
    criteria = _criteria(session, challenge)
    _checked(challenge, criteria, scores, submit)
    if len(overall_comment) > MAX_OVERALL_COMMENT:
        raise ValidationFailed(
            _("Some scores need another look."),
            errors={"overall_comment": _("At most %(max)d characters.") % {"max": MAX_OVERALL_COMMENT}},
        )
    review = _review(session, seat=seat, submission_id=submission_id, round_=round_)
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ReviewSubmitted(_("You have submitted this review. Ask the challenge's hosts to reopen it."))
    version = submissions.newest_versions(session, submission_ids=[submission_id]).get(submission_id)
    if review is None:
        review = Review(juror_id=seat.id or 0, submission_id=submission_id, round=round_, created_at=now)
        session.add(review)
        session.flush()
    else:
        session.exec(delete(ReviewScore).where(col(ReviewScore.review_id) == review.id))
        session.expire(review, ["scores"])
    for score in scores:
        if score.value is not None or score.comment.strip():
            session.add(
                ReviewScore(
                    review_id=review.id,  # type: ignore[arg-type]
                    criterion_id=score.criterion_id,
                    value=score.value,
                    comment=score.comment.strip(),
                )
            )
    review.overall_comment = overall_comment.strip()
    review.version_number = version.number if version is not None else 0
    review.updated_at = now
    if submit:
        review.status, review.submitted_at = ReviewStatus.SUBMITTED, now
    session.add(review)
    session.flush()
    session.refresh(review, ["scores"])
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.review.submit" if submit else "jury.review.save",
        target="review",
        target_id=review.id,
        now=now,
        after=_snapshot(review),
    )
    return review


def _snapshot(review: Review) -> dict[str, Any]:
    return {
        "submission_id": review.submission_id,
        "round": review.round,
        "status": str(review.status),
        "scores": {str(score.criterion_id): score.value for score in review.scores},
    }


# --- the hosts' side ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JurorProgress:
    juror: Juror
    assigned: int
    submitted: int
    drafts: int


@dataclass(frozen=True)
class ConceptProgress:
    submission: Submission
    title: str  # as submitted (the team's working copy may have changed since)
    jurors: list[tuple[JuryAssignment, Juror, str]]  # assignment, juror, progress
    conflicted: int


@dataclass(frozen=True)
class JuryProgress:
    panel: JuryPanel
    jurors: list[JurorProgress]
    concepts: list[ConceptProgress]
    reviews: int  # submitted ones
    round_: int = 1  # 2 in the final round: the finalists and the final panel's reviews

    @property
    def assigned(self) -> int:
        return sum(row.assigned for row in self.jurors)


def progress(session: Session, *, actor: Actor, challenge: Challenge) -> JuryProgress:
    """For the hosts: each juror's and each concept's progress (a fixed number of queries, whatever the size)."""
    permissions.check_runs(actor, challenge)
    panel = jury.panel_or_default(session, challenge)
    round_ = jury.current_round(panel)
    seated = jury.jurors(session, challenge=challenge)
    concepts = jury.round_pool(session, challenge=challenge, panel=panel).concepts
    placed = jury.assignments(session, challenge=challenge, round_=round_)
    reviews = {
        (r.juror_id, r.submission_id): r
        for r in _reviews(session, juror_ids=[j.id or 0 for j in seated], with_scores=False, round_=round_)
    }
    blocked = jury.conflicts(session, challenge=challenge, seated=seated, concepts=concepts)
    by_id = {juror.id: juror for juror in seated}
    juror_rows = []
    for juror in seated:
        mine = [a for a in placed if a.juror_id == juror.id]
        states = [_progress(reviews.get((a.juror_id, a.submission_id))) for a in mine]
        juror_rows.append(
            JurorProgress(juror, len(mine), states.count(Progress.SUBMITTED), states.count(Progress.DRAFT))
        )
    titles = jury.submitted_titles(session, submission_ids=[concept.id or 0 for concept in concepts])
    concept_rows = [
        ConceptProgress(
            submission=concept,
            title=titles.get(concept.id or 0, ""),
            jurors=[
                (a, by_id[a.juror_id], _progress(reviews.get((a.juror_id, a.submission_id))))
                for a in placed
                if a.submission_id == concept.id and a.juror_id in by_id
            ],
            conflicted=sum(1 for juror in seated if blocked.blocks(juror.id or 0, concept.id or 0)),
        )
        for concept in concepts
    ]
    # Submitted reviews of what is assigned: one given before a declared conflict no longer counts here.
    submitted = sum(row.submitted for row in juror_rows)
    return JuryProgress(panel=panel, jurors=juror_rows, concepts=concept_rows, reviews=submitted, round_=round_)


def reopen(
    session: Session, *, actor: Actor, challenge: Challenge, juror_id: int, submission_id: int, now: datetime
) -> Review:
    """A host reopens a submitted review, so the juror can change it (they are emailed)."""
    permissions.check_runs(actor, challenge)
    if not permissions.can_reopen(actor, challenge, now):
        raise Conflict(_("Reviews are reopened during the review phase only."))
    round_ = jury.current_round(jury.panel_or_default(session, challenge))
    review = session.exec(
        select(Review)
        .join(Juror, col(Juror.id) == col(Review.juror_id))
        .where(
            Review.juror_id == juror_id,
            Review.submission_id == submission_id,
            Review.round == round_,
            Juror.challenge_id == challenge.id,
        )
    ).first()
    if review is None or review.status != ReviewStatus.SUBMITTED:
        raise NotFound(_("No submitted review to reopen."))
    review.status, review.reopened_at, review.updated_at = ReviewStatus.DRAFT, now, now
    session.add(review)
    session.flush()
    session.refresh(review, ["scores"])
    juror = session.exec(
        select(Juror).where(Juror.id == juror_id).options(selectinload(Juror.user))  # type: ignore[arg-type]
    ).one()
    if juror.user is not None:
        outbox.enqueue_email(
            session,
            to=juror.user.email,
            template="jury_review_reopened",
            language=juror.user.language,
            context={
                "challenge": challenge,
                "link": urls.absolute(urls.jury(challenge.slug, f"/reviews/{submission_id}")),
            },
            now=now,
        )
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.review.reopen",
        target="review",
        target_id=review.id,
        now=now,
        after={"juror_id": juror_id, "submission_id": submission_id},
    )
    return review


def remind(session: Session, *, actor: Actor, challenge: Challenge, now: datetime, juror_id: int | None = None) -> int:
    """A host emails every juror with reviews still to submit (or one of them); returns how many were emailed."""
    permissions.check_runs(actor, challenge)
    if not permissions.can_reopen(actor, challenge, now):
        raise Conflict(_("Reminders are sent during the review phase only."))
    state = progress(session, actor=actor, challenge=challenge)
    emailed = 0
    for row in state.jurors:
        if juror_id is not None and row.juror.id != juror_id:
            continue
        left = row.assigned - row.submitted
        if left <= 0 or row.juror.user is None:
            continue
        outbox.enqueue_email(
            session,
            to=row.juror.user.email,
            template="jury_reminder",
            language=row.juror.user.language,
            context={
                "challenge": challenge,
                "left": left,
                "assigned": row.assigned,
                "link": urls.absolute(urls.jury(challenge.slug)),
            },
            now=now,
        )
        emailed += 1
    if juror_id is not None and emailed == 0 and not any(row.juror.id == juror_id for row in state.jurors):
        raise NotFound(_("No such juror."))
    jury.record(
        session,
        actor=actor,
        challenge=challenge,
        action="jury.remind",
        target="jury_panel",
        target_id=state.panel.id,
        now=now,
        after={"emailed": emailed},
    )
    return emailed


@dataclass(frozen=True)
class Seat:
    """A seat of the actor's on some challenge's jury, with their progress there."""

    challenge: Challenge
    juror: Juror
    assigned: int
    submitted: int


def seats(session: Session, *, actor: Actor) -> list[Seat]:
    """Every jury the actor sits on, newest challenge first, with their progress (three queries)."""
    if actor.user_id is None:
        return []
    found = session.exec(
        select(Juror, Challenge)
        .join(Challenge, col(Challenge.id) == col(Juror.challenge_id))
        .where(Juror.user_id == actor.user_id, col(Juror.left_at).is_(None))
        .order_by(col(Challenge.submissions_close_at).desc(), col(Challenge.id).desc())
    ).all()
    juror_ids = [juror.id or 0 for juror, _challenge in found]
    assigned = Counter(
        session.exec(select(JuryAssignment.juror_id).where(col(JuryAssignment.juror_id).in_(juror_ids))).all()
    )
    submitted = Counter(
        review.juror_id
        for review in _reviews(session, juror_ids=juror_ids, with_scores=False)
        if review.status == ReviewStatus.SUBMITTED
    )
    return [Seat(challenge, juror, assigned[juror.id or 0], submitted[juror.id or 0]) for juror, challenge in found]


def submitted_scores(
    session: Session, *, challenge: Challenge, round_: int = jury.FIRST_ROUND
) -> list[tuple[int, int, int, int]]:
    """(juror, concept, criterion, value) of every submitted review of a round that counts: not by a conflicted
    juror."""
    seated = jury.jurors(session, challenge=challenge, include_left=True)
    concepts = jury.concepts_under_review(session, challenge=challenge)
    blocked = jury.conflicts(session, challenge=challenge, seated=seated, concepts=concepts)
    under_review = {concept.id for concept in concepts}
    rows = session.exec(
        select(Review.juror_id, Review.submission_id, ReviewScore.criterion_id, ReviewScore.value)
        .join(ReviewScore, col(ReviewScore.review_id) == col(Review.id))
        .join(Juror, col(Juror.id) == col(Review.juror_id))
        .where(Juror.challenge_id == challenge.id, Review.status == ReviewStatus.SUBMITTED, Review.round == round_)
        .order_by(col(Review.juror_id), col(Review.submission_id), col(ReviewScore.criterion_id))
    ).all()
    return [
        (juror_id, submission_id, criterion_id, value)
        for juror_id, submission_id, criterion_id, value in rows
        if value is not None and submission_id in under_review and not blocked.blocks(juror_id, submission_id)
    ]


def weights(session: Session, *, challenge: Challenge) -> Mapping[int, int]:
    return {criterion.id or 0: criterion.weight for criterion in _criteria(session, challenge)}
