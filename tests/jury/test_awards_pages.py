"""Awards on the pages: the form starts from the ranking, keeps what was typed when something is wrong, saves, and
the announcement sends the hosts to the public results."""

from __future__ import annotations

from sqlmodel import Session, select

from app.accounts.models import User
from app.jury.models import Announcement, Award
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.jury.conftest import REVIEW
from tests.jury.test_awards_api import CLOSED, scored


def test_a_host_saves_the_proposed_awards_and_announces(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    url = f"/manage/challenges/{jury.challenge.slug}/jury/awards"
    form = client.get(url)
    assert form.status_code == 200
    assert f'<option value="{jury.concepts[2].id}" selected>Regnbed</option>' in form.text  # 1st from the ranking

    typed = {"concept-0": str(jury.concepts[2].id), "kind-0": "first", "prize-0": "tjue", "motivation-0": "Modig."}
    refused = client.post_form(url, typed)
    assert refused.status_code == 422
    assert "Give the prize as an amount, such as 25000 or 16666.67" in refused.text
    assert "Modig.</textarea>" in refused.text  # nothing typed is lost
    assert client.db.exec(select(Award)).all() == []

    saved = client.post_form(url, typed | {"prize-0": "20000"}, follow_redirects=True)
    assert "The awards were saved." in saved.text
    [award] = client.db.exec(select(Award)).all()
    assert (award.kind, award.prize_amount, award.motivation) == ("first", 2_000_000, "Modig.")

    announced = client.post_form(
        f"/manage/challenges/{jury.challenge.slug}/jury/announce", {"feedback_to_entrants": "on"}, follow_redirects=True
    )
    assert announced.url.path == f"/challenges/{jury.challenge.slug}/results"
    assert "The results are announced. 5 teams were emailed their outcome." in announced.text
    assert client.db.exec(select(Announcement)).one().feedback_to_entrants is True
    assert "The awards are final." in client.get(url).text


def test_announcing_without_awards_tells_the_host_why(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    answered = client.post_form(f"/manage/challenges/{jury.challenge.slug}/jury/announce", {}, follow_redirects=True)
    assert "Decide the awards before you announce the results." in answered.text
    assert client.db.exec(select(Announcement)).all() == []


def test_the_awards_page_is_for_the_hosts(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    for outsider in (cast.citizen, jury.people[0]):
        client.sign_in(outsider)
        assert client.get(f"/manage/challenges/{jury.challenge.slug}/jury/awards").status_code == 403


def test_my_concepts_tells_a_team_where_it_stands(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    winner_lead = client.db.exec(select(User).where(User.email == "lag2@lag.no")).one()
    client.clock.at = REVIEW
    client.sign_in(winner_lead)
    assert "Under review" in client.get("/account/submissions").text

    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    body = {"awards": [{"concept": jury.concepts[2].id, "kind": "first"}]}
    assert client.api("PUT", f"/api/v1/challenges/{jury.challenge.slug}/jury/awards", json=body).status_code == 200
    assert client.api("POST", f"/api/v1/challenges/{jury.challenge.slug}/jury/announce", json={}).status_code == 200
    client.sign_in(winner_lead)
    assert "Awarded: 1st place" in client.get("/account/submissions").text
    client.sign_in(jury.people[3])  # on the team of Grønne tak
    assert "Not awarded" in client.get("/account/submissions").text
