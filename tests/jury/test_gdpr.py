"""A juror's data: "download my data" holds their seats, reviews and declared conflicts; deleting the account takes
them off the jury while the reviews they gave still count, linked to no one."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts import gdpr
from app.jury import reviews
from app.jury.models import Juror
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import PASSWORD, make_assignment, make_jury_conflict, make_review
from tests.jury.conftest import Jury


def test_a_juror_downloads_their_jury_work(db: Session, jury: Jury) -> None:
    make_review(db, jury.jurors[1], jury.concepts[2], dict.fromkeys(jury.criteria, 7), overall_comment="Solid.")
    make_jury_conflict(db, jury.jurors[1], jury.concepts[3], reason="Naboen min.")
    exported = gdpr.export_sections(db, jury.people[1])["jury"]
    assert exported == [
        {
            "challenge": "gronn-by",
            "role": "member",
            "joined_at": jury.jurors[1].joined_at.isoformat(),
            "left_at": None,
            "reviews": [
                {
                    "concept": jury.concepts[2].id,
                    "status": "submitted",
                    "overall_comment": "Solid.",
                    "scores": [{"criterion": c, "value": 7, "comment": ""} for c in jury.criteria],
                }
            ],
            "conflicts": [
                {"concept": jury.concepts[3].id, "source": "declared", "status": "confirmed", "reason": "Naboen min."}
            ],
        }
    ]


def test_a_deleted_juror_leaves_the_jury_and_their_scores_still_count(client: Client, jury: Jury, cast: Cast) -> None:
    make_assignment(client.db, jury.jurors[1], jury.concepts[2])
    make_review(client.db, jury.jurors[1], jury.concepts[2], dict.fromkeys(jury.criteria, 7))
    client.db.commit()
    client.sign_in(jury.people[1])
    deleted = client.post_form("/account/delete", {"password": PASSWORD})
    assert deleted.status_code == 303
    client.db.expire_all()
    seat = client.db.get(Juror, jury.jurors[1].id)
    assert seat is not None
    assert (seat.user_id, seat.left_at is not None) == (None, True)
    assert len(reviews.submitted_scores(client.db, challenge=jury.challenge)) == 2
