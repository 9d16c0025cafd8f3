"""The demo shows the team finder at work: Norwegian and Swedish notes, a draft team looking for members with one
pending request, and challenges with different submission settings and terms."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app import demo
from app.accounts.models import User
from app.audit.models import AuditEvent
from app.challenges.models import Challenge
from app.submissions.models import JoinRequest, TeammateSearch
from tests.conftest import NOW, Client


def test_the_demo_fills_the_team_finder_once(db: Session) -> None:
    assert demo.load(db, now=NOW) is True
    settings = dict(db.exec(select(Challenge.slug, Challenge.submissions_public)).all())
    assert {settings[slug] for slug in demo.SUBMISSION_SETTINGS} == {"at-submission", "after-review", "never"}
    terms = db.exec(select(Challenge.terms_text).where(col(Challenge.slug).in_(demo.SUBMISSION_SETTINGS))).all()
    assert all(terms)
    notes = db.exec(select(TeammateSearch.note)).all()
    assert len(notes) == len(demo.TEAM_FINDER)
    assert any("Økonom" in note for note in notes)
    assert any("Tjänstedesigner" in note for note in notes)
    assert db.exec(select(JoinRequest.status)).all() == ["pending"]
    assert set(db.exec(select(AuditEvent.actor_label).distinct()).all()) == {"system"}

    assert demo.load(db, now=NOW) is False
    assert len(db.exec(select(TeammateSearch)).all()) == len(demo.TEAM_FINDER)
    assert len(db.exec(select(JoinRequest)).all()) == 1


def test_the_demo_team_finder_page_shows_a_team_and_people(client: Client) -> None:
    demo.load(client.db, now=NOW)
    client.db.commit()
    client.clock.at = NOW
    sander = client.db.exec(select(User).where(User.email == "sander.kristiansen@example.org")).one()
    client.sign_in(sander)
    page = client.get("/challenges/smartere-mobilitet/team-finder", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Team looking for members" in page.text
    assert "Nora Dahl" in page.text
    assert "Mohammed Ali" in page.text
    assert "Gåvennlige snarveier" not in page.text  # the draft's title stays with its team (its name is shown)
    assert "@example.org" not in page.text
    swedish = client.get("/challenges/open-data-for-everyday-services/team-finder").text
    assert "Tjänstedesigner" in swedish
