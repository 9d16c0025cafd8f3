"""A member who deleted their account stays on the team as "Deleted user", but can never be made its lead."""

from __future__ import annotations

from typing import Any

from app.clock import FrozenClock
from tests.conftest import Client
from tests.factories import PASSWORD, make_submission
from tests.submissions.conftest import Team
from tests.submissions.test_api import BASE

EN = {"Accept-Language": "en"}


def delete_account(client: Client, person: Any) -> None:
    client.sign_in(person)
    assert client.post_form("/account/delete", {"password": PASSWORD}).status_code == 303


def roles(client: Client, submission_id: int) -> dict[str, str]:
    members = client.api("GET", f"{BASE}/{submission_id}").json()["members"]
    return {member["display_name"]: member["role"] for member in members}


def test_the_lead_cannot_hand_over_to_a_deleted_member_through_the_api(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, members=[team.member])
    db.commit()
    delete_account(client, team.member)

    client.sign_in(team.lead)
    refused = client.api("POST", f"{BASE}/{sub.id}/lead", json={"user_id": team.member.id}, headers=EN)
    assert refused.status_code == 409
    assert refused.json()["detail"] == "A deleted account cannot lead the team. Choose another member."
    assert roles(client, sub.id) == {"Liv Leder": "lead", "Deleted user": "member"}


def test_the_team_page_offers_no_deleted_member_as_lead_and_refuses_the_form(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, members=[team.member, team.invitee])
    db.commit()
    delete_account(client, team.member)

    client.sign_in(team.lead)
    url = f"/challenges/gronne-tak/submissions/{sub.id}"
    page = client.get(url, headers=EN)
    assert page.status_code == 200
    assert "Make Ida Invitert the lead" in page.text
    assert "Make Deleted user the lead" not in page.text
    assert "Remove Deleted user" in page.text  # the team may still take them off

    refused = client.post_form(f"{url}/lead", {"user_id": str(team.member.id)}, headers=EN)
    assert refused.status_code == 409
    assert "A deleted account cannot lead the team." in refused.text
    assert roles(client, sub.id) == {"Liv Leder": "lead", "Deleted user": "member", "Ida Invitert": "member"}


def test_when_the_lead_deletes_their_account_the_lead_passes_to_a_member_with_an_account(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, members=[team.member, team.invitee])
    db.commit()
    delete_account(client, team.member)  # the longest-standing member after the lead
    delete_account(client, team.lead)

    client.sign_in(team.invitee)
    assert roles(client, sub.id) == {"Deleted user": "member", "Ida Invitert": "lead"}
    assert client.api("PATCH", f"{BASE}/{sub.id}", json={"summary": "Vi går videre."}).status_code == 200
