"""Demo juries: the challenge in review has a jury half-way through (a strict juror, a lenient one, a chair, a
conflict of interest flagged for the hosts, a pending invitation); the closed and announced challenges have every
review in, so their hosts' results show calibrated scores."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.actor import Actor
from app.challenges.models import Challenge, Criterion
from app.demo.base import challenge_by_slug, id_of, users_by_email
from app.errors import NotFound
from app.jury import awards, follow_up, service
from app.jury.models import (
    Announcement,
    FollowUpStatus,
    Juror,
    JurorRole,
    JuryAssignment,
    Review,
    ReviewScore,
    ReviewStatus,
)
from app.submissions.models import Submission, SubmissionStatus

# (email, role, leniency in scale points): the first chairs; the strict and the lenient juror show calibration.
JURORS: dict[str, tuple[tuple[str, JurorRole, float], ...]] = {
    "flere-unge-i-jobb": (
        ("tor.eriksen@stavanger.example", JurorRole.CHAIR, 0.0),
        ("maria.larsen@stavanger.example", JurorRole.MEMBER, -2.0),  # strict
        ("aino.virtanen@6aika.example", JurorRole.MEMBER, 1.5),  # lenient
        # Works in Smart Innovation Norway, as a member of "CV-verksted med næringslivet" does: flagged.
        ("camilla.holm@smartinnovation.example", JurorRole.MEMBER, 0.5),
    ),
    "biblioteket-som-moteplass": (
        ("ingrid.haugen@halden.example", JurorRole.CHAIR, 0.0),
        ("kari.bakken@baerum.example", JurorRole.MEMBER, -1.5),
        ("sofia.lindqvist@helsingborg.example", JurorRole.MEMBER, 1.0),
    ),
    "virtuell-korttidsavdeling": (
        ("kari.bakken@baerum.example", JurorRole.CHAIR, 0.0),
        ("tor.eriksen@stavanger.example", JurorRole.MEMBER, -1.0),
        ("sofia.lindqvist@helsingborg.example", JurorRole.MEMBER, 1.0),
        ("aino.virtanen@6aika.example", JurorRole.MEMBER, 0.5),
    ),
}
REVIEW_SLUG = "flere-unge-i-jobb"
PENDING_JUROR = "mikko.korhonen@6aika.example"
COMMENTS = (
    "Et tydelig behov, godt beskrevet.",
    "Spennende idé, men hvem skal drive den etter piloten?",
    "Realistisk å teste i løpet av et halvår.",
    "Mangler et budsjett, ellers solid.",
)


def jury_loaded(session: Session) -> bool:
    """True when the demo's juries are in the database."""
    return session.exec(select(Juror.id).limit(1)).first() is not None


def _concepts(session: Session, challenge: Challenge) -> list[Submission]:
    return list(
        session.exec(
            select(Submission)
            .where(Submission.challenge_id == challenge.id, Submission.status == SubmissionStatus.SUBMITTED)
            .order_by(col(Submission.id))
        ).all()
    )


def _criteria(session: Session, challenge: Challenge) -> list[Criterion]:
    return list(session.exec(select(Criterion).where(Criterion.challenge_id == challenge.id)).all())


def _score(quality: float, leniency: float, chooser: random.Random, top: int) -> int:
    return max(0, min(top, round(quality + leniency + chooser.gauss(0, 0.7))))


def _seat(session: Session, challenge: Challenge, *, now: datetime) -> list[tuple[Juror, str, float]]:
    """The challenge's jurors, seated as if they had accepted their invitations: (seat, email, leniency)."""
    users = users_by_email(session, (email for email, _role, _leniency in JURORS[challenge.slug]))
    seats = []
    for email, role, leniency in JURORS[challenge.slug]:
        juror = Juror(challenge_id=id_of(challenge), user_id=id_of(users[email]), role=role, joined_at=now)
        session.add(juror)
        seats.append((juror, email, leniency))
    session.flush()
    return seats


def _mid_review(session: Session, challenge: Challenge, *, now: datetime) -> None:
    """The jury in review: seated, assigned by the service (which flags the conflict), reviews half given."""
    seats = _seat(session, challenge, now=now - timedelta(days=12))
    host = Actor.system()
    service.invite(session, actor=host, challenge=challenge, email=PENDING_JUROR, role=JurorRole.MEMBER, now=now)
    service.run_assignment(session, actor=host, challenge=challenge, now=now - timedelta(days=1))
    chooser = random.Random(21)  # noqa: S311  (demo data, not security)
    qualities = {id_of(concept): chooser.uniform(3, 9) for concept in _concepts(session, challenge)}
    versions = {id_of(concept): concept.version_count for concept in _concepts(session, challenge)}
    criteria = _criteria(session, challenge)
    for seat_number, (juror, _email, leniency) in enumerate(seats):
        mine = session.exec(
            select(JuryAssignment.submission_id)
            .where(JuryAssignment.juror_id == juror.id)
            .order_by(col(JuryAssignment.submission_id))
        ).all()
        for index, submission_id in enumerate(mine):
            if (index + seat_number) % 3 == 2:
                continue  # not started yet
            submitted = (index + seat_number) % 3 == 0 or seat_number == 1
            _review(
                session,
                juror=juror,
                submission_id=submission_id,
                version=versions[submission_id],
                values=[
                    _score(qualities[submission_id], leniency, chooser, challenge.scoring_scale_max)
                    for _criterion in criteria
                ],
                criteria=criteria,
                submitted=submitted,
                comment=COMMENTS[(index + seat_number) % len(COMMENTS)],
                at=now - timedelta(hours=index + 1),
            )


def _review(
    session: Session,
    *,
    juror: Juror,
    submission_id: int,
    version: int,
    values: list[int],
    criteria: list[Criterion],
    submitted: bool,
    comment: str,
    at: datetime,
) -> None:
    """A juror's review with a score per criterion, as the juror saved or submitted it then."""
    review = Review(
        juror_id=id_of(juror),
        submission_id=submission_id,
        version_number=version,
        status=ReviewStatus.SUBMITTED if submitted else ReviewStatus.DRAFT,
        overall_comment=comment,
        submitted_at=at if submitted else None,
        created_at=at,
        updated_at=at,
    )
    session.add(review)
    session.flush()
    session.add_all(
        ReviewScore(
            review_id=id_of(review),
            criterion_id=id_of(criterion),
            value=value,
            comment=COMMENTS[position] if position == 0 and submitted else "",
        )
        for position, (criterion, value) in enumerate(zip(criteria, values, strict=True))
    )


def _all_in(session: Session, challenge: Challenge, *, now: datetime) -> None:
    """A jury that has finished: three jurors per concept, every review submitted (written as they were then)."""
    seats = _seat(session, challenge, now=now)
    concepts = _concepts(session, challenge)
    criteria = _criteria(session, challenge)
    chooser = random.Random(len(concepts) * 7 + len(seats))  # noqa: S311  (demo data, not security)
    reviewed = (challenge.review_ends_at or now) - timedelta(days=2)
    for number, concept in enumerate(concepts):
        quality = chooser.uniform(3.5, 8.5)
        for offset in range(min(3, len(seats))):
            juror, _email, leniency = seats[(number + offset) % len(seats)]
            session.add(JuryAssignment(juror_id=id_of(juror), submission_id=id_of(concept), created_at=reviewed))
            _review(
                session,
                juror=juror,
                submission_id=id_of(concept),
                version=concept.version_count,
                values=[_score(quality, leniency, chooser, challenge.scoring_scale_max) for _criterion in criteria],
                criteria=criteria,
                submitted=True,
                comment=COMMENTS[(number + offset) % len(COMMENTS)],
                at=reviewed,
            )
    session.flush()


ANNOUNCED_SLUG = "virtuell-korttidsavdeling"
MOTIVATIONS = (
    "Løsningen tar pårørende på alvor og kan prøves ut i to bydeler allerede i vår.",
    "En enkel idé som gjør den første natten hjemme tryggere.",
    "Godt gjennomarbeidet, med en realistisk plan for drift.",
)
FOLLOW_UP = (
    (
        FollowUpStatus.PLANNED,
        5,
        "Kommunen har gitt vinnerlaget oppdraget: et pilotprosjekt med to hjemmetjenestesoner.",
    ),
    (FollowUpStatus.STARTED, 30, "Piloten er i gang med tolv brukere og deres pårørende."),
)


def _announce(session: Session, challenge: Challenge, *, now: datetime) -> None:
    """The announced challenge's awards as proposed by its ranking, with motivations; the announcement on its date
    (the teams' emails belong to that day, so none are queued now); the winner's follow-up project under way."""
    system = Actor.system()
    announced_at = challenge.announce_at or now
    proposed = awards.proposal(session, actor=system, challenge=challenge, now=now)
    given = [
        awards.AwardIn(a.submission_id, a.kind, a.name, a.prize_amount, MOTIVATIONS[n] if n < len(MOTIVATIONS) else "")
        for n, a in enumerate(proposed)
    ]
    awards.replace_awards(session, actor=system, challenge=challenge, awards=given, now=announced_at)
    concepts = _concepts(session, challenge)
    session.add(
        Announcement(
            challenge_id=id_of(challenge),
            announced_at=announced_at,
            feedback_to_entrants=True,
            teams_emailed=len(concepts),
        )
    )
    session.flush()
    if not given:
        return
    for status, days, text in FOLLOW_UP:
        happened = min(now, announced_at + timedelta(days=days))
        follow_up.post_update(
            session,
            actor=system,
            challenge=challenge,
            submission_id=given[0].submission_id,
            status=status,
            text=text,
            happened_on=happened.date(),
            now=now,
        )


def load_jury(session: Session, *, now: datetime) -> None:
    """The juries of the challenges in review, closed and announced."""
    for slug in JURORS:
        try:
            challenge = challenge_by_slug(session, slug)
        except NotFound:
            continue
        if not _concepts(session, challenge):
            continue
        if slug == REVIEW_SLUG:
            _mid_review(session, challenge, now=now)
        else:
            _all_in(session, challenge, now=now)
        if slug == ANNOUNCED_SLUG:
            _announce(session, challenge, now=now)
