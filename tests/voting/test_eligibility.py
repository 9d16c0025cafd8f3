"""Who may vote, asked of everyone who might try: the ballot says why not before they click, and the vote is
refused with the same reason (problem types `not-eligible` and `self-vote-not-allowed`)."""

from __future__ import annotations

from typing import Any

import pytest

from app.challenges.phases import Phase
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_user
from tests.voting.conftest import VOTING, Vote, ballot_url, make_vote, vote_url

EN = {"Accept-Language": "en"}


def test_a_signed_out_visitor_is_asked_to_sign_in(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    assert client.api("PUT", vote_url(vote, vote.concepts[1])).status_code == 401
    gallery = client.get(f"/challenges/{vote.challenge.slug}/submissions", headers=EN).text
    assert "Sign in to vote." in gallery
    assert f'href="/account/sign-in?next=/challenges/{vote.challenge.slug}/submissions"' in gallery


def test_an_unverified_email_may_not_vote_and_is_told_so_first(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    client.sign_in(vote.unverified)
    ballot = client.api("GET", ballot_url(vote), headers=EN).json()
    assert ballot["ineligible"]["reason"] == "email-not-verified"
    gallery = client.get(f"/challenges/{vote.challenge.slug}/submissions", headers=EN).text
    assert "Verify your email address to vote" in gallery
    assert f'action="/challenges/{vote.challenge.slug}/ballot/votes/' not in gallery  # no button to click
    refused = client.api("PUT", vote_url(vote, vote.concepts[1]), headers=EN)
    assert refused.status_code == 403
    assert refused.json()["type"] == "/problems/not-eligible"
    assert "Verify your email address" in refused.json()["detail"]


@pytest.mark.parametrize(
    ("email", "allowed"),
    [("elev@skole.no", True), ("larer@vgs.skole.no", True), ("per@example.no", False), ("x@fakeskole.no", False)],
)
def test_only_listed_email_domains_vote_when_the_host_says_so(
    client: Client, cast: Cast, email: str, allowed: bool
) -> None:
    vote = make_vote(client.db, cast, voter_rule="email-domain", voter_email_domains=["skole.no"])
    person = make_user(client.db, email=email)
    client.db.commit()
    client.clock.at = VOTING
    client.sign_in(person)
    response = client.api("PUT", vote_url(vote, vote.concepts[1]), headers=EN)
    if allowed:
        assert response.status_code == 200, response.text
    else:
        assert response.status_code == 403
        assert response.json()["detail"] == "Only people with an email address in the listed domains may vote."


def test_only_verified_identities_vote_when_the_host_says_so(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voter_rule="verified-identity")
    verified = make_user(client.db, email="bankid@example.no", identity_verified_at=at(Phase.OPEN))
    client.db.commit()
    client.clock.at = VOTING
    client.sign_in(vote.voters[0])
    refused = client.api("PUT", vote_url(vote, vote.concepts[1]), headers=EN)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only people who signed in with a national e-ID may vote."
    client.sign_in(verified)
    assert client.api("PUT", vote_url(vote, vote.concepts[1])).status_code == 200


def test_a_team_member_may_not_vote_for_their_own_concept_unless_allowed(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast)
    client.clock.at = VOTING
    client.sign_in(vote.member)
    own = client.api("PUT", vote_url(vote, vote.concepts[0]), headers=EN)
    assert own.status_code == 403
    assert own.json()["type"] == "/problems/self-vote-not-allowed"
    whole = client.api("PUT", ballot_url(vote), json={"votes": [{"concept": vote.concepts[0].id}]})
    assert whole.json()["type"] == "/problems/self-vote-not-allowed"
    assert client.api("GET", ballot_url(vote)).json()["own_concepts"] == [vote.concepts[0].id]
    assert client.api("PUT", vote_url(vote, vote.concepts[1])).status_code == 200  # others' concepts are fine
    page = client.get(f"/challenges/{vote.challenge.slug}/submissions/{vote.concepts[0].id}", headers=EN).text
    assert "Your team's concept: you cannot vote for it." in page

    allowed = make_vote(client.db, cast, slug="egne-stemmer", self_vote_allowed=True)
    client.sign_in(allowed.member)
    assert client.api("PUT", vote_url(allowed, allowed.concepts[0])).status_code == 200


@pytest.mark.parametrize("who", ["halden_editor", "baerum_editor", "platform_admin", "citizen"])
def test_hosts_and_admins_vote_as_any_verified_person_does(client: Client, cast: Cast, who: str) -> None:
    vote = make_vote(client.db, cast)
    client.clock.at = VOTING
    person: Any = getattr(cast, who)
    client.sign_in(person)
    assert client.api("PUT", vote_url(vote, vote.concepts[1])).status_code == 200


@pytest.mark.parametrize("phase", [Phase.UPCOMING, Phase.OPEN, Phase.REVIEW, Phase.ANNOUNCED])
def test_no_one_votes_outside_the_voting_phase(client: Client, vote: Vote, phase: Phase) -> None:
    client.clock.at = at(phase)
    client.sign_in(vote.voters[0])
    refused = client.api("PUT", vote_url(vote, vote.concepts[1]))
    assert refused.status_code in (404, 409)  # before the concepts are public they are not found at all
    page = client.get(f"/challenges/{vote.challenge.slug}/submissions", headers=EN).text
    assert "My ballot" not in page
