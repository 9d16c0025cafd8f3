"""Voting on the pages, without JavaScript: the ballot panel beside the gallery and a concept, plain forms that vote,
move, take back and withdraw, the results page, and "My votes" with the receipts; personal data kept and forgotten."""

from __future__ import annotations

import json

from sqlmodel import select

from app.voting.models import Ballot
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import PASSWORD
from tests.voting.conftest import AFTER, VOTING, Vote, cast_votes, make_vote

EN = {"Accept-Language": "en"}


def gallery(vote: Vote) -> str:
    return f"/challenges/{vote.challenge.slug}/submissions"


def test_a_voter_votes_from_the_gallery_sees_it_and_takes_it_back(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="multiple", votes_per_voter=2)
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    page = client.get(gallery(vote), headers=EN).text
    assert "My ballot" in page
    assert "You have 2 of 2 votes left, one per concept." in page
    assert page.count(f'action="{gallery(vote).removesuffix("/submissions")}/ballot/votes/') == 4
    assert '<script src="/static/vendor/htmx/htmx.min.js" defer></script>' in page

    target = vote.concepts[1]
    voted = client.post_form(
        f"/challenges/{vote.challenge.slug}/ballot/votes/{target.id}", {"next": gallery(vote)}, headers=EN
    )
    assert voted.status_code == 303
    assert voted.headers["location"] == gallery(vote)
    after = client.get(gallery(vote), headers=EN).text
    assert "Your vote for Bysykler is saved. You have 1 of 2 votes left." in after
    assert "You voted for this" in after
    assert 'Take back<span class="ds-sr-only"> your vote for Bysykler</span>' in after
    assert "Your receipt:" in after

    for other in vote.concepts[2:]:
        client.post_form(
            f"/challenges/{vote.challenge.slug}/ballot/votes/{other.id}", {"next": gallery(vote)}, headers=EN
        )
    full = client.get(gallery(vote), headers=EN).text
    assert "You have used all your 2 votes. Take one back to vote for another concept." in full  # the refusal
    assert "You have used all your votes. Take one back to vote for this concept." in full  # and on the card

    taken = client.post_form(
        f"/challenges/{vote.challenge.slug}/ballot/votes/{target.id}/remove", {"next": gallery(vote)}, headers=EN
    )
    assert taken.status_code == 303
    assert "You took back your vote for Bysykler." in client.get(gallery(vote), headers=EN).text

    withdrawn = client.post_form(
        f"/challenges/{vote.challenge.slug}/ballot/withdraw", {"next": gallery(vote)}, headers=EN
    )
    assert withdrawn.status_code == 303
    assert client.db.exec(select(Ballot)).all() == []
    assert "Your ballot is withdrawn." in client.get(gallery(vote), headers=EN).text


def test_points_are_chosen_per_concept_and_a_refusal_is_said_on_the_page(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="points", votes_per_voter=4, max_points_per_concept=3)
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    url = f"/challenges/{vote.challenge.slug}/submissions/{vote.concepts[1].id}"
    page = client.get(url, headers=EN).text
    assert (
        f'<label class="ds-label" data-weight="regular" for="points-{vote.concepts[1].id}">Points for Bysykler' in page
    )
    assert '<option value="3">3</option>' in page
    assert '<option value="4">' not in page  # at most 3 on one concept
    given = client.post_form(
        f"/challenges/{vote.challenge.slug}/ballot/votes/{vote.concepts[1].id}", {"points": "3"}, headers=EN
    )
    assert given.headers["location"] == url  # back to the concept by default
    shown = client.get(url, headers=EN).text
    assert "You gave Bysykler 3 points. You have 1 of 4 points left." in shown
    too_many = client.post_form(
        f"/challenges/{vote.challenge.slug}/ballot/votes/{vote.concepts[2].id}", {"points": "2"}, headers=EN
    )
    assert too_many.status_code == 303
    assert "You have shared out all your 4 points." in client.get(url, headers=EN).text
    nonsense = client.post_form(
        f"/challenges/{vote.challenge.slug}/ballot/votes/{vote.concepts[2].id}", {"points": "x"}, headers=EN
    )
    assert nonsense.status_code == 303
    assert "Give a concept from 1 to 3 points." in client.get(url, headers=EN).text


def test_the_results_page_shows_the_count_and_hosts_see_the_integrity_report(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast)
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[2])
    cast_votes(client, vote, vote.voters[1], vote.concepts[2])
    cast_votes(client, vote, vote.voters[2], vote.concepts[1])
    client.clock.at = AFTER
    public = client.get(f"/challenges/{vote.challenge.slug}/results", headers=EN).text
    assert "The people's choice" in public
    assert "Regnbed" in public.split("The people's choice")[1].split("</ul>")[0]
    assert "Ballots cast" in public
    assert "Integrity report for hosts" not in public
    assert "Of 3 ballots, 0 came from accounts made after the vote opened" in public
    detail = client.get(f"/challenges/{vote.challenge.slug}", headers=EN).text
    assert f'href="/challenges/{vote.challenge.slug}/results"' in detail

    client.sign_in(cast.halden_editor)
    hosts = client.get(f"/challenges/{vote.challenge.slug}/results", headers=EN).text
    assert "Integrity report for hosts" in hosts


def test_my_votes_lists_each_receipt_and_the_data_export_includes_the_ballot(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    receipt = client.db.exec(select(Ballot)).one().receipt
    client.sign_in(vote.voters[0])
    mine = client.get("/account/votes", headers=EN).text
    assert receipt in mine
    assert "Not yet: the vote is open" in mine
    export = json.loads(client.get("/account/export").content)
    assert export["ballots"] == [
        {
            "challenge": vote.challenge.slug,
            "receipt": receipt,
            "votes": [{"concept": vote.concepts[1].id, "points": 1}],
            "created_at": VOTING.isoformat(),
            "updated_at": VOTING.isoformat(),
        }
    ]
    client.sign_in(vote.voters[1])
    assert receipt not in client.get("/account/votes").text


def test_a_deleted_account_s_ballot_still_counts_but_names_no_one(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    client.sign_in(vote.voters[0])
    assert client.post_form("/account/delete", {"password": PASSWORD}).status_code == 303
    ballot = client.db.exec(select(Ballot)).one()
    client.db.refresh(ballot)
    assert ballot.voter_id is None
    client.clock.at = AFTER
    results = client.get(f"/api/v1/challenges/{vote.challenge.slug}/results").json()
    assert results["ballots_cast"] == 1
    assert results["winners"] == [vote.concepts[1].id]
