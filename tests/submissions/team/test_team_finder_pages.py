"""The team finder's page without JavaScript: a visitor sees how many are looking, a citizen adds a note, asks to
join a draft team, and the lead answers on the concept's page."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import JoinRequest, SubmissionMember, TeammateSearch
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_submission, make_teammate_search, make_user
from tests.mail import emails_to
from tests.submissions.conftest import Team

FINDER = "/challenges/gronne-tak/team-finder"
EN = {"Accept-Language": "en"}
XSS = '<script>alert("x")</script>'


def test_the_challenge_page_links_the_team_finder_while_open(
    client: Client, challenge: Any, clock: FrozenClock
) -> None:
    clock.at = at(Phase.OPEN)
    assert f'href="{FINDER}"' in client.get("/challenges/gronne-tak").text
    clock.at = at(Phase.REVIEW)
    assert f'href="{FINDER}"' not in client.get("/challenges/gronne-tak").text


def test_a_visitor_sees_how_many_are_looking_and_a_sign_in_prompt(
    client: Client, cast: Cast, challenge: Any, open_now: FrozenClock
) -> None:
    make_teammate_search(client.db, challenge, cast.citizen, note="Kan tegne")
    client.db.commit()
    page = client.get(FINDER, headers=EN)
    assert page.status_code == 200
    assert "1 person or team is looking right now." in page.text
    assert "/account/sign-in?next=" in page.text
    assert "Kari" not in page.text
    assert "Kan tegne" not in page.text


def test_a_citizen_adds_a_note_changes_it_and_takes_it_off(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    client.sign_in(cast.citizen)
    page = client.get(FINDER, headers=EN)
    assert "What can you bring to a team?" in page.text
    too_long = client.post_form(FINDER, {"note": "x" * 501}, headers=EN)
    assert too_long.status_code == 422
    assert 'id="field-note-error"' in too_long.text
    assert 'href="#field-note"' in too_long.text
    assert "x" * 501 + "</textarea>" in too_long.text
    assert client.db.exec(select(TeammateSearch)).all() == []

    saved = client.post_form(FINDER, {"note": f"Landskapsarkitekt {XSS}\nKan Figma"}, headers=EN)
    assert saved.status_code == 303
    client.sign_in(team.invitee)
    seen = client.get(FINDER, headers=EN).text
    assert "Kari Innbygger" in seen
    assert "Landskapsarkitekt &lt;script&gt;" in seen
    assert XSS not in seen
    assert "kari@example.no" not in seen

    client.sign_in(cast.citizen)
    assert client.post_form(f"{FINDER}/remove").status_code == 303
    assert client.db.exec(select(TeammateSearch)).all() == []
    assert "Nobody is looking yet." in client.get(FINDER, headers=EN).text


def test_an_unverified_person_is_told_to_confirm_and_after_the_deadline_it_is_closed(
    client: Client, challenge: Any, clock: FrozenClock
) -> None:
    clock.at = at(Phase.OPEN)
    client.sign_in(make_user(client.db, email="ny@example.no", verified=False))
    page = client.get(FINDER, headers=EN).text
    assert "Confirm your email address before you use the team finder." in page
    assert 'name="note"' not in page
    assert client.post_form(FINDER, {"note": "Hei"}, headers=EN).status_code == 403
    clock.at = at(Phase.REVIEW)
    assert "The team finder is closed" in client.get(FINDER, headers=EN).text
    assert client.post_form(FINDER, {"note": "Hei"}, headers=EN).status_code == 409
    assert client.db.exec(select(TeammateSearch)).all() == []


def test_a_citizen_asks_to_join_and_the_lead_accepts_on_the_concept_page(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = make_submission(client.db, challenge, team.lead, title="Hemmelig tittel", team_name="Takfolk",
                            body="Hemmelig innhold")  # fmt: skip
    client.sign_in(team.lead)
    lead_page = client.get(FINDER, headers=EN).text
    assert "Whom does your team look for?" in lead_page
    client.post_form(FINDER, {"note": "Vi trenger en økonom."})

    client.sign_in(cast.citizen)
    page = client.get(FINDER, headers=EN).text
    assert "Takfolk" in page
    assert "Team looking for members" in page
    assert "Hemmelig" not in page
    too_long = client.post_form(f"/challenges/gronne-tak/submissions/{draft.id}/join-requests", {"note": "y" * 501},
                                headers=EN)  # fmt: skip
    assert too_long.status_code == 422
    assert f'id="field-join-note-{draft.id}-error"' in too_long.text
    asked = client.post_form(f"/challenges/gronne-tak/submissions/{draft.id}/join-requests", {"note": "Jeg er økonom."})
    assert asked.status_code == 303
    mine = client.get(FINDER, headers=EN).text
    assert "You have asked to join this team." in mine
    assert "Waiting for the lead" in mine

    client.sign_in(team.lead)
    concept = client.get(f"/challenges/gronne-tak/submissions/{draft.id}", headers=EN).text
    assert "Requests to join the team" in concept
    assert "Jeg er økonom." in concept
    request_id = client.db.exec(select(JoinRequest.id)).one()
    accepted = client.post_form(f"/challenges/gronne-tak/join-requests/{request_id}/accept")
    assert accepted.status_code == 303
    assert accepted.headers["location"] == f"/challenges/gronne-tak/submissions/{draft.id}#join-requests"
    members = client.db.exec(select(SubmissionMember.user_id).where(SubmissionMember.submission_id == draft.id)).all()
    assert cast.citizen.id in members
    assert len(emails_to(client.db, cast.citizen.email)) == 1
    again = client.post_form(f"/challenges/gronne-tak/join-requests/{request_id}/accept")
    assert again.status_code == 303  # answered already: back to the page with a warning


def test_a_member_sees_requests_but_cannot_answer_and_others_get_404(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = make_submission(client.db, challenge, team.lead, members=[team.member], team_name="Takfolk")
    make_teammate_search(client.db, challenge, team.lead, note="Trenger flere")
    client.db.commit()
    client.sign_in(cast.citizen)
    client.post_form(f"/challenges/gronne-tak/submissions/{draft.id}/join-requests", {"note": ""})
    request_id = client.db.exec(select(JoinRequest.id)).one()

    client.sign_in(team.member)
    concept = client.get(f"/challenges/gronne-tak/submissions/{draft.id}", headers=EN).text
    assert "Kari Innbygger" in concept
    assert f"/join-requests/{request_id}/accept" not in concept
    assert client.post_form(f"/challenges/gronne-tak/join-requests/{request_id}/accept").status_code == 303
    assert client.db.exec(select(JoinRequest.status)).one() == "pending"
    for outsider in (cast.halden_editor, cast.platform_admin, cast.stavanger_editor):
        client.sign_in(outsider)
        assert client.post_form(f"/challenges/gronne-tak/join-requests/{request_id}/decline").status_code == 404
        assert client.post_form(f"/challenges/gronne-tak/join-requests/{request_id}/withdraw").status_code == 404

    client.sign_in(cast.citizen)
    withdrawn = client.post_form(f"/challenges/gronne-tak/join-requests/{request_id}/withdraw")
    assert withdrawn.status_code == 303
    assert client.db.exec(select(JoinRequest.status)).one() == "withdrawn"


def test_the_list_pages_through_many_entries(client: Client, cast: Cast, challenge: Any, open_now: FrozenClock) -> None:
    for number in range(21):
        person = make_user(client.db, email=f"p{number}@example.no", display_name=f"Person {number:02d}")
        make_teammate_search(client.db, challenge, person, note=f"Note {number}")
    client.db.commit()
    client.sign_in(cast.citizen)
    first = client.get(FINDER, headers=EN).text
    assert "21 people and teams are looking" in first
    assert f'href="{FINDER}?page=2"' in first
    second = client.get(f"{FINDER}?page=2", headers=EN).text
    assert second.count("finder-entry") == 1
