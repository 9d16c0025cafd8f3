"""Voting through the API: one vote, several, points; changing one's mind; the limits; a whole ballot put twice."""

from __future__ import annotations

from sqlmodel import col, select

from app.voting.models import Ballot, BallotItem
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.voting.conftest import AFTER, BEFORE, VOTING, Vote, ballot_url, make_vote, vote_url


def stored_items(client: Client, vote: Vote) -> dict[int, int]:
    rows = client.db.exec(
        select(BallotItem.submission_id, BallotItem.points)
        .join(Ballot, col(Ballot.id) == BallotItem.ballot_id)
        .where(col(Ballot.challenge_id) == vote.challenge.id)
    ).all()
    return dict(rows)


def test_a_voter_votes_moves_their_one_vote_and_withdraws(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    empty = client.api("GET", ballot_url(vote))
    assert empty.status_code == 200
    assert empty.json() | {"votes": [], "remaining": 1, "total": 1, "ineligible": None, "receipt": None} == empty.json()

    first = client.api("PUT", vote_url(vote, vote.concepts[1]))
    assert first.status_code == 200, first.text
    assert first.json()["votes"] == [{"concept": vote.concepts[1].id, "points": 1}]
    assert first.json()["remaining"] == 0
    assert first.json()["receipt"]

    moved = client.api("PUT", vote_url(vote, vote.concepts[2]))
    assert moved.json()["votes"] == [{"concept": vote.concepts[2].id, "points": 1}]
    assert stored_items(client, vote) == {vote.concepts[2].id: 1}

    assert client.api("DELETE", ballot_url(vote)).status_code == 204
    assert stored_items(client, vote) == {}
    assert client.db.exec(select(Ballot)).all() == []
    assert client.api("DELETE", ballot_url(vote)).status_code == 204  # withdrawing nothing is no error


def test_several_votes_stop_at_the_limit_with_a_problem_that_says_so(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="multiple", votes_per_voter=2)
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    for concept in vote.concepts[1:3]:
        assert client.api("PUT", vote_url(vote, concept)).status_code == 200
    again = client.api("PUT", vote_url(vote, vote.concepts[1]))  # the same vote twice changes nothing
    assert again.status_code == 200
    assert again.json()["used"] == 2

    over = client.api("PUT", vote_url(vote, vote.concepts[3]), headers={"Accept-Language": "en"})
    assert over.status_code == 409
    assert over.headers["content-type"].startswith("application/problem+json")
    assert over.json()["type"] == "/problems/vote-limit-reached"
    assert "You have used all your 2 votes" in over.json()["detail"]
    assert stored_items(client, vote) == {vote.concepts[1].id: 1, vote.concepts[2].id: 1}

    # Taking one back frees it for another concept.
    assert client.api("DELETE", vote_url(vote, vote.concepts[1])).json()["remaining"] == 1
    assert client.api("PUT", vote_url(vote, vote.concepts[3])).status_code == 200
    assert stored_items(client, vote) == {vote.concepts[2].id: 1, vote.concepts[3].id: 1}
    assert client.api("PUT", vote_url(vote, vote.concepts[2]), json={"points": 2}).status_code == 422


def test_points_are_shared_out_within_the_total_and_the_most_on_one_concept(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="points", votes_per_voter=5, max_points_per_concept=3)
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    assert client.api("PUT", vote_url(vote, vote.concepts[1]), json={"points": 3}).json()["remaining"] == 2
    too_many_on_one = client.api("PUT", vote_url(vote, vote.concepts[2]), json={"points": 4})
    assert too_many_on_one.status_code == 422
    assert too_many_on_one.json()["errors"][0]["field"] == "points"
    over_total = client.api("PUT", vote_url(vote, vote.concepts[2]), json={"points": 3})
    assert over_total.status_code == 409
    assert over_total.json()["type"] == "/problems/vote-limit-reached"
    # Changing a concept's points counts only the change: 3 → 1 frees two points.
    assert client.api("PUT", vote_url(vote, vote.concepts[1]), json={"points": 1}).json()["remaining"] == 4
    assert client.api("PUT", vote_url(vote, vote.concepts[2]), json={"points": 3}).status_code == 200
    assert stored_items(client, vote) == {vote.concepts[1].id: 1, vote.concepts[2].id: 3}


def test_putting_a_whole_ballot_is_idempotent_and_checked_as_a_whole(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="points", votes_per_voter=5, max_points_per_concept=3)
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    body = {"votes": [{"concept": vote.concepts[1].id, "points": 3}, {"concept": vote.concepts[2].id, "points": 2}]}
    first = client.api("PUT", ballot_url(vote), json=body)
    assert first.status_code == 200, first.text
    second = client.api("PUT", ballot_url(vote), json=body)
    assert second.json()["votes"] == first.json()["votes"]
    assert second.json()["receipt"] == first.json()["receipt"]
    assert stored_items(client, vote) == {vote.concepts[1].id: 3, vote.concepts[2].id: 2}

    replaced = client.api("PUT", ballot_url(vote), json={"votes": [{"concept": vote.concepts[3].id, "points": 1}]})
    assert replaced.json()["votes"] == [{"concept": vote.concepts[3].id, "points": 1}]
    assert stored_items(client, vote) == {vote.concepts[3].id: 1}

    over = {"votes": [{"concept": concept.id, "points": 2} for concept in vote.concepts[1:]]}
    assert client.api("PUT", ballot_url(vote), json=over).json()["type"] == "/problems/vote-limit-reached"
    twice = {"votes": [{"concept": vote.concepts[1].id}, {"concept": vote.concepts[1].id}]}
    assert client.api("PUT", ballot_url(vote), json=twice).status_code == 422
    unknown = client.api("PUT", ballot_url(vote), json={"votes": [], "extra": 1})
    assert unknown.status_code == 422
    assert stored_items(client, vote) == {vote.concepts[3].id: 1}  # the refused ballots changed nothing
    assert client.api("PUT", ballot_url(vote), json={"votes": []}).json()["votes"] == []


def test_votes_are_refused_before_the_vote_opens_and_after_it_closes(client: Client, vote: Vote) -> None:
    for moment, detail in ((BEFORE, "not open yet"), (AFTER, "has closed")):
        client.clock.at = moment
        client.sign_in(vote.voters[0])
        refused = client.api("PUT", vote_url(vote, vote.concepts[1]), headers={"Accept-Language": "en"})
        assert refused.status_code == 409
        assert refused.json()["type"] == "/problems/voting-closed"
        assert detail in refused.json()["detail"]
        assert client.api("DELETE", ballot_url(vote)).json()["type"] == "/problems/voting-closed"
    assert stored_items(client, vote) == {}


def test_only_concepts_in_the_vote_take_votes(client: Client, cast: Cast, vote: Vote) -> None:
    other = make_vote(client.db, cast, slug="annen-avstemning")
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    elsewhere = client.api("PUT", vote_url(vote, other.concepts[1]))
    assert elsewhere.status_code == 404
    assert client.api("PUT", ballot_url(vote, "/votes/999999")).status_code == 404
    vote.concepts[2].hidden_at = VOTING
    client.db.add(vote.concepts[2])
    client.db.commit()
    assert client.api("PUT", vote_url(vote, vote.concepts[2])).status_code == 404
    no_vote = make_vote(
        client.db, cast, slug="uten-avstemning", voting_method="none", voting_opens_at=None, voting_closes_at=None
    )
    assert client.api("GET", f"/api/v1/challenges/{no_vote.challenge.slug}/results").status_code == 404


def test_a_script_voting_faster_than_a_person_clicks_is_slowed_down(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="multiple", votes_per_voter=2)
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    answers = [client.api("PUT", vote_url(vote, vote.concepts[n % 2])).status_code for n in range(61)]
    assert answers[:60] == [200] * 60  # a minute of changing one's mind
    assert answers[60] == 429
    refused = client.api("DELETE", vote_url(vote, vote.concepts[0]))
    assert refused.status_code == 429
    assert refused.json()["type"] == "/problems/too-many-requests"
    assert int(refused.headers["retry-after"]) > 0
