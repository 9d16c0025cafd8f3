"""The demo's juries: the challenge in review is half-way (drafts, submitted and unstarted reviews, a strict and a
lenient juror, a flagged conflict, an open invitation); the finished juries have every review in."""

from __future__ import annotations

from collections import Counter

from sqlmodel import Session, select

from app import demo
from app.challenges.models import Challenge
from app.jury import awards, calibration, follow_up, reviews, service
from app.jury.models import Juror, JuryAssignment, JuryConflict, JuryInvitation, Review
from tests.conftest import NOW


def test_the_demo_shows_a_jury_at_work_and_juries_that_have_finished(db: Session) -> None:
    demo.load(db, now=NOW)
    by_slug = {c.slug: c for c in db.exec(select(Challenge)).all()}
    working = by_slug["flere-unge-i-jobb"]
    seats = db.exec(select(Juror).where(Juror.challenge_id == working.id)).all()
    assert Counter(seat.role for seat in seats) == {"chair": 1, "member": 3}
    seat_ids = [seat.id for seat in seats]
    placed = db.exec(select(JuryAssignment).where(JuryAssignment.juror_id.in_(seat_ids))).all()  # type: ignore[union-attr]
    given = db.exec(select(Review).where(Review.juror_id.in_(seat_ids))).all()  # type: ignore[union-attr]
    assert Counter(review.status for review in given).keys() == {"draft", "submitted"}
    assert len(given) < len(placed)  # some not started yet
    [flag] = db.exec(select(JuryConflict)).all()
    assert (flag.source, flag.status) == ("organisation", "flagged")
    assert db.exec(select(JuryInvitation).where(JuryInvitation.challenge_id == working.id)).one()

    for slug in ("biblioteket-som-moteplass", "virtuell-korttidsavdeling"):
        scores = reviews.submitted_scores(db, challenge=by_slug[slug])
        assert scores, slug
        ratings = [calibration.Rating(*row) for row in scores]
        results = calibration.jury_results(ratings, weights=reviews.weights(db, challenge=by_slug[slug]), scale_max=10)
        leniency = {report.juror_id: report.leniency for report in results.jurors}
        assert max(leniency.values()) - min(leniency.values()) > 1  # a strict and a lenient juror to calibrate

    announced = by_slug["virtuell-korttidsavdeling"]
    given = awards.awards_of(db, announced)
    assert [str(award.kind) for award in given][:3] == ["first", "second", "third"]
    assert all(award.motivation for award in given[:3])
    assert service.announcement_of(db, announced).feedback_to_entrants  # type: ignore[union-attr]
    updates = follow_up.of_challenge(db, challenge=announced)
    assert [str(shown.update.status) for shown in updates] == ["started", "planned"]
    assert {shown.update.submission_id for shown in updates} == {given[0].submission_id}
