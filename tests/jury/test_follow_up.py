"""Follow-up: after the announcement the hosts post what became of an awarded concept; the update shows on the
challenge, the concept and the host's page, and in the API; it is refused before the announcement, for a concept
without an award, with a date still to come, and for anyone but the hosts."""

from __future__ import annotations

from sqlmodel import Session, select

from app.jury.models import FollowUpUpdate
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.jury.conftest import Jury, jury_url
from tests.jury.test_awards_api import CLOSED, award, scored


def announced(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    body = {"awards": [award(jury, 2, "first")]}
    assert client.api("PUT", jury_url(jury, "/awards"), json=body).status_code == 200
    assert client.api("POST", jury_url(jury, "/announce"), json={}).status_code == 200


def update(jury: Jury, concept: int = 2, **fields: str) -> dict[str, object]:
    return {
        "concept": jury.concepts[concept].id,
        "status": "piloted",
        "text": "Pilot i to bydeler.",
        "happened_on": CLOSED.date().isoformat(),
        **fields,
    }


def test_the_hosts_tell_what_became_of_the_winner_and_everyone_sees_it(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    announced(client, jury, cast)
    posted = client.api("POST", f"/api/v1/challenges/{jury.challenge.slug}/follow-up", json=update(jury))
    assert posted.status_code == 201, posted.text
    assert posted.json() | {"title": "Regnbed", "status": "piloted", "label": "Piloted"} == posted.json()

    client.sign_out()
    public = client.api("GET", f"/api/v1/challenges/{jury.challenge.slug}/follow-up").json()
    assert [(u["title"], u["status"]) for u in public] == [("Regnbed", "piloted")]
    for page in (
        f"/challenges/{jury.challenge.slug}",
        f"/challenges/{jury.challenge.slug}/submissions/{jury.concepts[2].id}",
        "/organisations/halden",
    ):
        shown = client.get(page)
        assert shown.status_code == 200, page
        assert "What became of" in shown.text, page
        assert "Pilot i to bydeler." in shown.text, page


def test_follow_up_is_refused_when_it_breaks_a_rule(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    url = f"/api/v1/challenges/{jury.challenge.slug}/follow-up"
    assert client.api("POST", url, json=update(jury)).status_code == 409  # not announced yet
    announced(client, jury, cast)
    assert client.api("POST", url, json=update(jury, concept=4)).status_code == 422  # no award
    assert client.api("POST", url, json=update(jury, happened_on="2999-01-01")).status_code == 422
    assert client.api("POST", url, json=update(jury, happened_on="2020-01-01")).status_code == 422  # before announcing
    assert client.api("POST", url, json=update(jury, status="finished")).status_code == 422
    client.sign_in(jury.people[0])
    assert client.api("POST", url, json=update(jury)).status_code == 403
    assert client.db.exec(select(FollowUpUpdate)).all() == []


def test_a_host_posts_and_takes_back_an_update_on_the_awards_page(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    announced(client, jury, cast)
    page = f"/manage/challenges/{jury.challenge.slug}/jury/awards"
    form = {
        "concept": str(jury.concepts[2].id),
        "status": "started",
        "happened_on": "ikke en dato",
        "text": "Oppstart.",
    }
    refused = client.post_form(f"/manage/challenges/{jury.challenge.slug}/jury/follow-up", form)
    assert refused.status_code == 422
    assert "Give the date as day, month and year." in refused.text
    assert "Oppstart.</textarea>" in refused.text
    form["happened_on"] = CLOSED.date().isoformat()
    posted = client.post_form(f"/manage/challenges/{jury.challenge.slug}/jury/follow-up", form, follow_redirects=True)
    assert "The update is posted" in posted.text
    [stored] = client.db.exec(select(FollowUpUpdate)).all()
    assert (stored.status, stored.text) == ("started", "Oppstart.")
    removed = client.post_form(f"{page.rsplit('/', 1)[0]}/follow-up/{stored.id}/remove", follow_redirects=True)
    assert "The update was taken back." in removed.text
    assert client.db.exec(select(FollowUpUpdate)).all() == []
