"""A concept's team through the API: the per-person limit, invitations and the team size, the lead hands over."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.clock import FrozenClock
from tests.conftest import Client
from tests.factories import make_submission, make_user
from tests.mail import emails_to, link_in
from tests.submissions.conftest import Team
from tests.submissions.test_api import BASE, start


def test_the_per_person_limit_holds_on_create_and_on_accept(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    start(client, team.lead)
    second = client.api("POST", BASE, json={"title": "En til"})
    assert second.status_code == 409
    assert second.json()["type"] == "/problems/limit-reached"
    other = start(client, team.member)
    client.sign_in(team.member)
    client.api("POST", f"{BASE}/{other['id']}/invitations", json={"email": team.lead.email})
    token = link_in(emails_to(db, team.lead.email)[-1], "/team-invitations/").rsplit("/", 1)[1]
    client.sign_in(team.lead)
    refused = client.api("POST", f"/api/v1/team-invitations/{token}/accept")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/limit-reached"


def test_a_withdrawn_concept_frees_the_place(client: Client, team: Team, challenge: Any, open_now: Any) -> None:
    sid = start(client, team.lead)["id"]
    client.api("POST", f"{BASE}/{sid}/terms")
    client.api("POST", f"{BASE}/{sid}/submit")
    client.api("POST", f"{BASE}/{sid}/withdraw")
    assert client.api("POST", BASE, json={"title": "En ny idé"}).status_code == 201


def test_team_size_counts_open_invitations_and_is_checked_on_accept(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = start(client, team.lead)["id"]
    for email in ("en@example.no", "to@example.no"):
        assert client.api("POST", f"{BASE}/{sid}/invitations", json={"email": email}).status_code == 201
    full = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "tre@example.no"})
    assert full.status_code == 409
    assert full.json()["type"] == "/problems/limit-reached"
    again = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "en@example.no"})
    assert again.status_code == 409
    # An invitation that expired no longer holds a place.
    open_now.advance(timedelta(days=8))
    assert client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "tre@example.no"}).status_code == 201


def test_expired_reused_revoked_and_declined_links_are_refused(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = start(client, team.lead)["id"]
    client.api("POST", f"{BASE}/{sid}/invitations", json={"email": team.member.email})
    token = link_in(emails_to(db, team.member.email)[-1], "/team-invitations/").rsplit("/", 1)[1]

    client.sign_in(team.invitee)  # the wrong person
    assert client.api("POST", f"/api/v1/team-invitations/{token}/accept").status_code == 403
    client.sign_in(team.member)
    assert client.api("POST", f"/api/v1/team-invitations/{token}/accept").status_code == 200
    reused = client.api("POST", f"/api/v1/team-invitations/{token}/accept")
    assert reused.status_code == 409
    assert reused.json()["type"] == "/problems/invitation-unusable"
    assert "brukt" in reused.json()["detail"]  # in the member's language
    assert client.api("POST", "/api/v1/team-invitations/not-a-token/accept").status_code == 404

    client.sign_in(team.lead)
    invitation = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": team.invitee.email}).json()
    token = link_in(emails_to(db, team.invitee.email)[-1], "/team-invitations/").rsplit("/", 1)[1]
    assert client.api("DELETE", f"{BASE}/{sid}/invitations/{invitation['id']}").status_code == 200
    client.sign_in(team.invitee)
    revoked = client.api("POST", f"/api/v1/team-invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert revoked.status_code == 409
    assert "withdrawn" in revoked.json()["detail"]

    client.sign_in(team.lead)
    client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "sen@example.no"})
    token = link_in(emails_to(db, "sen@example.no")[-1], "/team-invitations/").rsplit("/", 1)[1]
    late = make_user(db, email="sen@example.no")
    db.commit()
    open_now.advance(timedelta(days=7, seconds=1))
    client.sign_in(late)
    expired = client.api("POST", f"/api/v1/team-invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert expired.status_code == 409
    assert "expired" in expired.json()["detail"]

    client.sign_in(team.lead)
    client.api("POST", f"{BASE}/{sid}/invitations", json={"email": "nei@example.no"})
    token = link_in(emails_to(db, "nei@example.no")[-1], "/team-invitations/").rsplit("/", 1)[1]
    client.sign_in(make_user(db, email="nei@example.no"))
    db.commit()
    assert client.api("POST", f"/api/v1/team-invitations/{token}/decline").status_code == 204
    assert client.api("POST", f"/api/v1/team-invitations/{token}/accept").status_code == 409


def test_the_lead_hands_over_removes_and_members_leave(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sub = make_submission(db, challenge, team.lead, members=[team.member, team.invitee])
    db.commit()
    url = f"{BASE}/{sub.id}"
    client.sign_in(team.member)
    assert client.api("DELETE", f"{url}/members/{team.invitee.id}").status_code == 403
    assert client.api("POST", f"{url}/lead", json={"user_id": team.member.id}).status_code == 403
    client.sign_in(team.lead)
    cannot_leave = client.api("DELETE", f"{url}/members/{team.lead.id}", headers={"Accept-Language": "en"})
    assert cannot_leave.status_code == 409
    assert "Hand over" in cannot_leave.json()["detail"]
    assert client.api("DELETE", f"{url}/members/{team.invitee.id}").status_code == 204
    handed = client.api("POST", f"{url}/lead", json={"user_id": team.member.id}).json()
    assert {m["display_name"]: m["role"] for m in handed["members"]} == {"Liv Leder": "member", "Mats Medlem": "lead"}
    assert client.api("DELETE", f"{url}/members/{team.lead.id}").status_code == 204  # now they may leave
    assert client.api("GET", url).status_code == 404  # and no longer see the draft
