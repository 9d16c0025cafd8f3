"""Results: sealed until the close for everyone (hosts and admins included), live only when chosen beforehand;
after the close a ranking with ties, and an export anyone can recount to the published numbers."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import select

from app.voting import service
from app.voting.models import Ballot, SealedTally
from tests.challenges.conftest import Cast
from tests.challenges.follows.follows_helpers import follow_mail, tick
from tests.conftest import Client
from tests.factories import make_follow, make_user
from tests.voting.conftest import AFTER, VOTING, Vote, cast_votes, make_vote

DOCS = Path(__file__).parents[2] / "docs" / "recount.md"
EN = {"Accept-Language": "en"}


def results_url(vote: Vote, rest: str = "") -> str:
    return f"/api/v1/challenges/{vote.challenge.slug}/results{rest}"


@pytest.mark.parametrize("who", [None, "citizen", "halden_editor", "halden_admin", "platform_admin"])
def test_results_are_sealed_until_the_vote_closes_for_everyone(
    client: Client, cast: Cast, vote: Vote, who: str | None
) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    if who:
        client.sign_in(getattr(cast, who))
    for url in (results_url(vote), results_url(vote, ".csv"), results_url(vote, "/ballots")):
        refused = client.get(url, headers=EN)
        assert refused.status_code == 403, url
        assert refused.json()["type"] == "/problems/results-sealed"
    page = client.get(f"/challenges/{vote.challenge.slug}/results", headers=EN)
    assert page.status_code == 200
    assert "The results are sealed until the public vote closes" in page.text
    assert "Bysykler" not in page.text
    assert client.db.exec(select(SealedTally)).all() == []


def test_live_counts_show_while_voting_when_the_host_chose_them(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="multiple", votes_per_voter=2, live_counts=True)
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1], vote.concepts[2])
    cast_votes(client, vote, vote.voters[1], vote.concepts[1])
    live = client.get(results_url(vote)).json()
    assert live["final"] is False
    assert live["export_sha256"] is None
    assert [(row["title"], row["points"], row["rank"]) for row in live["concepts"][:2]] == [
        ("Bysykler", 2, 1),
        ("Regnbed", 1, 2),
    ]
    assert client.get(results_url(vote, "/ballots")).status_code == 403  # the export comes at the close
    gallery = client.get(f"/challenges/{vote.challenge.slug}/submissions", headers=EN).text
    assert "2 votes so far" in gallery


def test_after_the_close_ties_share_a_rank_and_the_peoples_choice_is_named(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    cast_votes(client, vote, vote.voters[1], vote.concepts[2])
    cast_votes(client, vote, vote.voters[2], vote.concepts[3])
    client.clock.at = AFTER
    results = client.get(results_url(vote)).json()
    assert results["final"] is True
    assert results["ballots_cast"] == 3
    assert results["eligible_voters"] is None  # anyone with a verified email: no known electorate
    assert [(row["points"], row["rank"], row["tied"]) for row in results["concepts"]] == [
        (1, 1, True),
        (1, 1, True),
        (1, 1, True),
        (0, 4, False),
    ]
    assert sorted(results["winners"]) == sorted(concept.id for concept in vote.concepts[1:])
    page = client.get(f"/challenges/{vote.challenge.slug}/results", headers=EN).text
    assert "The people's choice" in page
    assert results["export_sha256"] in page
    csv = client.get(results_url(vote, ".csv"))
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0].lstrip("\ufeff") == "rank,tied,concept,title,points,share,url"


def test_the_export_hides_who_voted_and_the_documented_recount_matches(client: Client, cast: Cast) -> None:
    vote = make_vote(client.db, cast, voting_method="points", votes_per_voter=5, max_points_per_concept=3)
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1], points=3)
    cast_votes(client, vote, vote.voters[1], vote.concepts[1], vote.concepts[2], points=2)
    receipts = {row.receipt for row in client.db.exec(select(Ballot)).all()}
    client.clock.at = AFTER
    export = client.get(results_url(vote, "/ballots"))
    assert export.status_code == 200
    document = json.loads(export.content)
    assert set(document["receipts"]) == receipts
    assert len(document["ballots"]) == len(document["receipts"]) == 2
    text = export.content.decode()
    for voter in vote.voters:
        assert voter.email not in text
        assert voter.display_name not in text
    assert '"voter' not in text
    assert '"receipt"' not in text
    results = client.get(results_url(vote)).json()
    assert export.headers["etag"] == f'"{results["export_sha256"]}"'
    assert hashlib.sha256(export.content).hexdigest() == results["export_sha256"]
    assert (
        client.get(results_url(vote, "/ballots"), headers={"If-None-Match": export.headers["etag"]}).status_code == 304
    )

    # The dozen lines in docs/recount.md, run against this server, recount to the published numbers.
    code = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.DOTALL)
    assert code is not None
    printed: list[str] = []
    namespace: dict[str, Any] = {"__name__": "recount", "print": lambda *args: printed.append(" ".join(map(str, args)))}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx, "get", client.get)
        patch.setattr("sys.argv", ["recount.py", "http://testserver", vote.challenge.slug])
        exec(compile(code.group(1), str(DOCS), "exec"), namespace)  # noqa: S102  (our own documentation)
    assert printed == ["recounted 7 points on 2 ballots: as published"]


def test_a_sealed_tally_never_changes_and_verify_reports_tampering(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    client.clock.at = AFTER
    first = client.get(results_url(vote)).json()
    # A moderator hides the winner after the close: the sealed result stays as published.
    vote.concepts[1].hidden_at = AFTER
    client.db.add(vote.concepts[1])
    client.db.commit()
    again = client.get(results_url(vote)).json()
    assert again == first
    assert service.verify(client.db) == ([], 1)

    tally = client.db.exec(select(SealedTally)).one()
    tally.counts = {**tally.counts, str(vote.concepts[2].id): 5}
    client.db.add(tally)
    client.db.flush()
    drifts, checked = service.verify(client.db)
    assert checked == 1
    assert [drift.problem for drift in drifts] == ["the stored counts differ from a recount of the export"]
    tally.export = tally.export.replace(b'"points": 1', b'"points": 9')
    client.db.add(tally)
    client.db.flush()
    assert service.verify(client.db)[0][0].problem == "the export's SHA-256 differs from the published one"


def test_a_concept_hidden_during_the_vote_gives_its_voters_their_votes_back(client: Client, vote: Vote) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    vote.concepts[1].hidden_at = VOTING
    client.db.add(vote.concepts[1])
    client.db.commit()
    client.sign_in(vote.voters[0])
    ballot = client.api("GET", f"/api/v1/challenges/{vote.challenge.slug}/ballot").json()
    assert (ballot["votes"], ballot["set_aside"], ballot["remaining"]) == ([], [vote.concepts[1].id], 1)
    gallery = client.get(f"/challenges/{vote.challenge.slug}/submissions", headers=EN).text
    assert "was hidden by the moderators" in gallery
    assert (
        client.api("PUT", f"/api/v1/challenges/{vote.challenge.slug}/ballot/votes/{vote.concepts[2].id}").status_code
        == 200
    )
    client.clock.at = AFTER
    results = client.get(results_url(vote)).json()
    assert {row["concept"]: row["points"] for row in results["concepts"]} == {
        vote.concepts[0].id: 0,
        vote.concepts[2].id: 1,
        vote.concepts[3].id: 0,
    }


def test_hosts_read_the_integrity_report_per_concept_after_the_close(client: Client, cast: Cast, vote: Vote) -> None:
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[1])
    ballot = client.db.exec(select(Ballot)).one()
    ballot.network_hash = service.network_hash("192.0.2.7")  # the test client has no IP address of its own
    assert ballot.network_hash == service.network_hash("192.0.2.200")  # one /24, one hash
    client.db.add(ballot)
    client.db.commit()
    url = results_url(vote, "/integrity")
    client.sign_in(cast.halden_editor)
    assert client.get(url).json()["type"] == "/problems/results-sealed"  # not even hosts, before the close
    client.clock.at = AFTER
    for who in (cast.halden_editor, cast.baerum_editor, cast.platform_admin):
        client.sign_in(who)
        report = client.get(url)
        assert report.status_code == 200, report.text
        assert report.json()["concepts"] == [
            {"concept": vote.concepts[1].id, "points": 1, "from_new_accounts": 0, "from_shared_networks": 0}
        ]
    for who in (cast.citizen, cast.stavanger_editor):
        client.sign_in(who)
        assert client.get(url).status_code == 403
    client.sign_out()
    assert client.get(url).status_code == 401
    # The addresses' hashes served their purpose at the close and are gone.
    client.db.refresh(ballot)
    assert ballot.network_hash is None


def test_the_results_email_names_the_peoples_choice_and_the_exports_hash(client: Client, vote: Vote) -> None:
    follower = make_user(client.db, language="en", display_name="Nora Dahl")
    make_follow(client.db, follower, vote.challenge, created_at=VOTING)
    client.clock.at = VOTING
    cast_votes(client, vote, vote.voters[0], vote.concepts[2])
    client.clock.at = vote.challenge.announce_at + timedelta(hours=2)  # the worker: seal, then the followers' news
    assert service.seal_closed(client.db, now=client.clock.now()) == 1
    assert tick(client.db, client.clock) == 1
    (email,) = follow_mail(client.db, follower)
    tally = client.db.exec(select(SealedTally)).one()
    assert "The people's choice: Regnbed." in email.body
    assert tally.sha256 in email.body
    assert f"http://testserver/challenges/{vote.challenge.slug}/results" in email.body
    assert service.seal_closed(client.db, now=client.clock.now()) == 0  # sealed once
