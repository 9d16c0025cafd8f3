"""Join requests through the API: a person asks to join a draft team found in the team finder, the lead accepts
or declines, the person may withdraw; everyone is told by email in their language."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import JoinRequest, SubmissionMember, TeammateSearch
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_submission, make_teammate_search, make_user
from tests.mail import emails_to
from tests.submissions.conftest import Team

API = "/api/v1/challenges/gronne-tak"


def advertise(client: Client, challenge: Any, lead: Any, **fields: Any) -> Any:
    """A draft led by `lead` whose lead looks for members in the team finder."""
    draft = make_submission(client.db, challenge, lead, team_name="Takfolk", **fields)
    make_teammate_search(client.db, challenge, lead, note="Vi trenger en økonom.")
    client.db.commit()
    return draft


def ask(client: Client, user: Any, submission_id: int, note: str = "Jeg er økonom.") -> Any:
    client.sign_in(user)
    return client.api("POST", f"{API}/submissions/{submission_id}/join-requests", json={"note": note})


def test_a_citizen_asks_to_join_and_the_lead_accepts(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = advertise(client, challenge, team.lead)
    make_teammate_search(client.db, challenge, team.member, note="Økonom")
    client.db.commit()
    asked = ask(client, team.member, draft.id)
    assert asked.status_code == 201, asked.text
    assert asked.json()["status"] == "pending"
    assert asked.json()["team_name"] == "Takfolk"
    to_lead = emails_to(client.db, team.lead.email)
    assert "Mats Medlem" in to_lead[-1].subject
    assert "Jeg er økonom." in to_lead[-1].body
    assert f"/challenges/gronne-tak/submissions/{draft.id}" in to_lead[-1].body

    client.sign_in(team.lead)
    listed = client.api("GET", f"{API}/submissions/{draft.id}/join-requests").json()
    assert [(r["requester"], r["status"]) for r in listed] == [("Mats Medlem", "pending")]
    accepted = client.api("POST", f"{API}/join-requests/{asked.json()['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    members = client.db.exec(select(SubmissionMember.user_id).where(SubmissionMember.submission_id == draft.id)).all()
    assert sorted(members) == sorted([team.lead.id, team.member.id])
    # The new member no longer looks for a team.
    assert client.db.exec(select(TeammateSearch.user_id)).all() == [team.lead.id]
    told = emails_to(client.db, team.member.email)[-1]
    assert "Takfolk" in told.subject
    assert told.payload["language"] == "sv"
    assert client.api("POST", f"{API}/join-requests/{asked.json()['id']}/accept").status_code == 409


def test_the_lead_declines_and_the_person_is_told(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = advertise(client, challenge, team.lead)
    request_id = ask(client, cast.citizen, draft.id).json()["id"]
    client.sign_in(team.lead)
    declined = client.api("POST", f"{API}/join-requests/{request_id}/decline")
    assert declined.json()["status"] == "declined"
    assert "/challenges/gronne-tak/team-finder" in emails_to(client.db, cast.citizen.email)[-1].body
    stored = client.db.exec(select(JoinRequest)).one()
    assert stored.decided_by_id == team.lead.id
    # A declined person may ask again.
    assert ask(client, cast.citizen, draft.id).status_code == 201


def test_the_person_withdraws_a_pending_request(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = advertise(client, challenge, team.lead)
    request_id = ask(client, cast.citizen, draft.id).json()["id"]
    assert ask(client, cast.citizen, draft.id).status_code == 409  # one pending request per person and team
    mine = client.api("GET", f"{API}/join-requests").json()
    assert [(r["team_name"], r["status"]) for r in mine] == [("Takfolk", "pending")]
    withdrawn = client.api("POST", f"{API}/join-requests/{request_id}/withdraw")
    assert withdrawn.json()["status"] == "withdrawn"
    client.sign_in(team.lead)
    assert client.api("POST", f"{API}/join-requests/{request_id}/accept").status_code == 409


def test_a_draft_not_in_the_team_finder_cannot_be_asked(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    hidden = make_submission(client.db, challenge, team.lead)
    submitted = advertise(client, challenge, team.member, versions=1)
    for submission in (hidden, submitted):
        refused = ask(client, cast.citizen, submission.id)
        assert refused.status_code == 404
        assert "Grønne tak" not in refused.text
    assert ask(client, cast.citizen, 999_999).status_code == 404
    assert client.db.exec(select(JoinRequest)).all() == []


def test_a_full_team_and_the_per_person_limit_refuse(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    full = advertise(client, challenge, team.lead, members=[team.member, team.invitee])
    assert ask(client, cast.citizen, full.id).json()["type"] == "/problems/limit-reached"
    other = make_user(client.db, email="annen@example.no")
    make_submission(client.db, challenge, other, title="Eget konsept")
    open_team = advertise(client, challenge, cast.halden_editor)
    assert ask(client, other, open_team.id).json()["type"] == "/problems/limit-reached"
    assert client.db.exec(select(JoinRequest)).all() == []


def test_accepting_keeps_the_limits_that_changed_since_the_request(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = advertise(client, challenge, team.lead)
    request_id = ask(client, cast.citizen, draft.id).json()["id"]
    make_submission(client.db, challenge, cast.citizen, title="Eget konsept")  # now at the per-person limit
    client.db.commit()
    client.sign_in(team.lead)
    refused = client.api("POST", f"{API}/join-requests/{request_id}/accept")
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/limit-reached"
    assert client.db.exec(select(JoinRequest.status)).one() == "pending"


@pytest.mark.parametrize(
    ("who", "status"),
    [("lead", 200), ("member", 403), ("requester", 404), ("host_editor", 404), ("other_editor", 404),
     ("platform_admin", 404), ("citizen", 404)],
)  # fmt: skip
def test_who_may_accept(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock, who: str, status: int
) -> None:
    draft = advertise(client, challenge, team.lead, members=[team.member])
    requester = make_user(client.db, email="spor@example.no", display_name="Sara Spør")
    request_id = ask(client, requester, draft.id).json()["id"]
    people = {
        "lead": team.lead,
        "member": team.member,
        "requester": requester,
        "host_editor": cast.halden_editor,
        "other_editor": cast.stavanger_editor,
        "platform_admin": cast.platform_admin,
        "citizen": cast.citizen,
    }
    client.sign_in(people[who])
    assert client.api("POST", f"{API}/join-requests/{request_id}/accept").status_code == status
    client.sign_in(people[who])
    withdrawn = client.api("POST", f"{API}/join-requests/{request_id}/withdraw")
    assert withdrawn.status_code == (200 if who == "requester" else 404)


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("unverified", 403), ("citizen", 201), ("host_editor", 201), ("platform_admin", 201),
     ("member", 409)],
)  # fmt: skip
def test_who_may_ask(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock, who: str, status: int
) -> None:
    draft = advertise(client, challenge, team.lead, members=[team.member])
    people = {
        "unverified": make_user(client.db, email="ny@example.no", verified=False),
        "citizen": cast.citizen,
        "host_editor": cast.halden_editor,
        "platform_admin": cast.platform_admin,
        "member": team.member,
    }
    if who == "anonymous":
        response = client.api("POST", f"{API}/submissions/{draft.id}/join-requests", json={"note": ""})
    else:
        response = ask(client, people[who], draft.id)
    assert response.status_code == status, response.text
    assert len(client.db.exec(select(JoinRequest)).all()) == (1 if status == 201 else 0)


def test_after_the_deadline_nothing_changes(
    client: Client, cast: Cast, team: Team, challenge: Any, clock: FrozenClock
) -> None:
    clock.at = at(Phase.OPEN)
    draft = advertise(client, challenge, team.lead)
    request_id = ask(client, cast.citizen, draft.id).json()["id"]
    clock.at = at(Phase.REVIEW)
    late = ask(client, make_user(client.db, email="sen@example.no"), draft.id)
    assert late.status_code == 409
    assert late.json()["type"] == "/problems/phase-closed"
    client.sign_in(team.lead)
    assert client.api("POST", f"{API}/join-requests/{request_id}/accept").json()["type"] == "/problems/phase-closed"
    client.sign_in(cast.citizen)
    assert client.api("POST", f"{API}/join-requests/{request_id}/withdraw").status_code == 409


@pytest.mark.parametrize("body", [{"note": "x" * 501}, {"note": "hei", "status": "accepted"}])
def test_bad_input_stores_nothing(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock, body: dict[str, Any]
) -> None:
    draft = advertise(client, challenge, team.lead)
    client.sign_in(cast.citizen)
    response = client.api("POST", f"{API}/submissions/{draft.id}/join-requests", json=body)
    assert response.status_code == 422
    assert client.db.exec(select(JoinRequest)).all() == []
