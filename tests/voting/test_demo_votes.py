"""The demo shows a living vote: ballots on the open vote, a sealed tally awaiting announcement with a campaign in
its integrity report, and announced people's-choice results with their export and hash."""

from __future__ import annotations

from sqlmodel import col, func, select

from app import demo
from app.challenges.phases import Phase, phase_of
from app.demo.base import challenge_by_slug
from app.voting import service
from app.voting.models import Ballot, SealedTally
from tests.conftest import NOW, Client

EN = {"Accept-Language": "en"}


def test_the_demo_votes_are_there_in_every_state(client: Client) -> None:
    demo.load(client.db, now=NOW)
    client.db.commit()
    phases = {slug: phase_of(challenge_by_slug(client.db, slug), NOW) for slug, _share, _seed in demo.voting.VOTES}
    assert phases == {
        "energismarte-hjem": Phase.VOTING,
        "biblioteket-som-moteplass": Phase.CLOSED,
        "virtuell-korttidsavdeling": Phase.ANNOUNCED,
    }
    ballots = dict(client.db.exec(select(Ballot.challenge_id, func.count()).group_by(col(Ballot.challenge_id))).all())
    assert all(count >= 150 for count in ballots.values()), ballots

    open_vote = client.get("/api/v1/challenges/energismarte-hjem/results").json()  # live counts were chosen
    assert open_vote["final"] is False
    assert open_vote["total_points"] > 200

    closed = client.get("/api/v1/challenges/biblioteket-som-moteplass/results").json()
    assert closed["final"] is True
    assert closed["integrity"]["ballots_from_new_accounts"] == demo.CAMPAIGN_COUNT
    assert closed["integrity"]["ballots_from_shared_networks"] >= demo.CAMPAIGN_COUNT

    announced = client.get("/challenges/virtuell-korttidsavdeling/results", headers=EN).text
    assert len(client.db.exec(select(SealedTally)).all()) == 2  # the closed vote and the announced one
    sha = client.get("/api/v1/challenges/virtuell-korttidsavdeling/results").json()["export_sha256"]
    assert sha in announced
    assert "The people's choice" in announced
    assert service.verify(client.db) == ([], 2)
    assert demo.load(client.db, now=NOW) is False
