"""Followers hear about the results once the hosts have announced the awards: a challenge with a jury holds its
results notice back when its announcement date comes first, and the announcement records it."""

from __future__ import annotations

from sqlmodel import Session, select

from app.challenges.follows import service as follows
from app.challenges.models import ChallengeNotice, NoticeKind
from app.challenges.phases import Phase
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.jury.conftest import jury_url
from tests.jury.test_awards_api import award, scored

ANNOUNCE_DAY = at(Phase.ANNOUNCED)


def results_notices(db: Session, challenge_id: int) -> list[ChallengeNotice]:
    db.expire_all()
    return list(
        db.exec(
            select(ChallengeNotice).where(
                ChallengeNotice.challenge_id == challenge_id, ChallengeNotice.kind == NoticeKind.RESULTS
            )
        ).all()
    )


def test_the_results_notice_waits_for_the_announcement(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    follows.record_due_notices(db, now=ANNOUNCE_DAY)  # the date has come; the awards are not decided
    assert results_notices(db, jury.challenge.id) == []

    client.clock.at = ANNOUNCE_DAY
    client.sign_in(cast.halden_editor)
    assert client.api("PUT", jury_url(jury, "/awards"), json={"awards": [award(jury, 2, "first")]}).status_code == 200
    assert client.api("POST", jury_url(jury, "/announce"), json={}).status_code == 200
    assert len(results_notices(db, jury.challenge.id)) == 1
    follows.record_due_notices(db, now=ANNOUNCE_DAY)  # the worker's next tick adds none
    assert len(results_notices(db, jury.challenge.id)) == 1
