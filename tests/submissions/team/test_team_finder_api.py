"""The team finder through the API: people say they look for a team, draft teams look for members, and nobody
sees an email address or a draft's content."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.submissions.models import TeammateSearch
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_submission, make_user
from tests.submissions.conftest import Team

FINDER = "/api/v1/challenges/gronne-tak/team-finder"
SKILLS = "Tjenestedesign og brukerintervjuer; jeg kan Figma."


def post_entry(client: Client, user: Any, note: str = SKILLS) -> Any:
    client.sign_in(user)
    return client.api("PUT", f"{FINDER}/me", json={"note": note})


def test_a_citizen_looks_for_a_team_and_others_see_the_note_but_no_email(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    saved = post_entry(client, cast.citizen)
    assert saved.status_code == 200, saved.text
    assert saved.json()["note"] == SKILLS
    assert saved.json()["team"] is None

    client.sign_in(team.invitee)
    listing = client.api("GET", FINDER).json()
    assert listing["total"] == 1
    assert [(e["display_name"], e["note"], e["mine"]) for e in listing["items"]] == [("Kari Innbygger", SKILLS, False)]
    assert "kari@example.no" not in str(listing)

    changed = post_entry(client, cast.citizen, "Landskapsarkitekt.")
    assert changed.json()["note"] == "Landskapsarkitekt."
    assert len(client.db.exec(select(TeammateSearch)).all()) == 1
    in_order = select(AuditEvent.action).where(col(AuditEvent.action).startswith("team-finder"))
    actions = client.db.exec(in_order.order_by(col(AuditEvent.id))).all()
    assert actions == ["team-finder.create", "team-finder.update"]


def test_a_visitor_sees_only_how_many_are_looking(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    post_entry(client, cast.citizen)
    client.sign_out()
    listing = client.api("GET", FINDER)
    assert listing.status_code == 200
    assert listing.json()["total"] == 1
    assert listing.json()["items"] == []
    assert "Kari" not in listing.text


def test_the_list_is_paginated_with_next_links(
    client: Client, cast: Cast, challenge: Any, open_now: FrozenClock
) -> None:
    for number in range(3):
        post_entry(client, make_user(client.db, email=f"p{number}@example.no", display_name=f"Person {number}"))
    first = client.api("GET", FINDER, params={"size": 2}).json()
    assert len(first["items"]) == 2
    assert first["total"] == 3
    second = client.api("GET", first["next"]).json()
    assert len(second["items"]) == 1
    assert second["next"] is None


def test_joining_a_team_takes_the_entry_away(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    post_entry(client, cast.citizen)
    client.sign_in(cast.citizen)
    started = client.api("POST", "/api/v1/challenges/gronne-tak/submissions", json={"title": "Tak"})
    assert started.status_code == 201
    assert client.db.exec(select(TeammateSearch)).all() == []
    assert client.api("GET", FINDER).json()["total"] == 0


def test_a_draft_teams_lead_looks_for_members_without_revealing_the_draft(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    make_submission(client.db, challenge, team.lead, title="Hemmelig tittel", team_name="Takfolk",
                    body="Hemmelig innhold")  # fmt: skip
    saved = post_entry(client, team.lead, "Vi trenger en økonom.")
    assert saved.json()["team"]["team_name"] == "Takfolk"
    post_entry(client, team.member, "Kan programmere.")
    client.sign_in(cast.citizen)
    listing = client.api("GET", FINDER)
    teams = [e["team"] for e in listing.json()["items"] if e["team"]]
    assert [(t["team_name"], t["members"], t["team_size_max"], t["full"]) for t in teams] == [("Takfolk", 1, 3, False)]
    assert "Hemmelig" not in listing.text


def test_someone_on_a_team_who_does_not_lead_a_draft_cannot_post(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    make_submission(client.db, challenge, team.lead, members=[team.member])
    refused = post_entry(client, team.member)
    assert refused.status_code == 409
    assert client.db.exec(select(TeammateSearch)).all() == []


@pytest.mark.parametrize(
    ("who", "phase", "status"),
    [
        ("citizen", Phase.OPEN, 200),
        ("unverified", Phase.OPEN, 403),
        ("host_editor", Phase.OPEN, 200),
        ("platform_admin", Phase.OPEN, 200),
        ("citizen", Phase.UPCOMING, 409),
        ("citizen", Phase.REVIEW, 409),
    ],
)
def test_who_may_post_an_entry_and_when(
    client: Client, cast: Cast, challenge: Any, clock: FrozenClock, who: str, phase: Phase, status: int
) -> None:
    people = {
        "citizen": cast.citizen,
        "unverified": make_user(client.db, email="ny@example.no", verified=False),
        "host_editor": cast.halden_editor,
        "platform_admin": cast.platform_admin,
    }
    clock.at = at(phase)
    response = post_entry(client, people[who])
    assert response.status_code == status, response.text
    if status != 200:
        assert client.db.exec(select(TeammateSearch)).all() == []
    if status == 409:
        assert response.json()["type"] == "/problems/phase-closed"


def test_anonymous_callers_cannot_post_or_remove(client: Client, challenge: Any, open_now: FrozenClock) -> None:
    assert client.api("PUT", f"{FINDER}/me", json={"note": "x"}).status_code == 401
    assert client.api("DELETE", f"{FINDER}/me").status_code == 401


@pytest.mark.parametrize("body", [{"note": "x" * 501}, {"note": "ok", "email": "kari@example.no"}, {"note": 5}])
def test_bad_input_is_refused_and_nothing_is_stored(
    client: Client, cast: Cast, challenge: Any, open_now: FrozenClock, body: dict[str, Any]
) -> None:
    client.sign_in(cast.citizen)
    response = client.api("PUT", f"{FINDER}/me", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert client.db.exec(select(TeammateSearch)).all() == []


def test_a_person_removes_their_own_entry(client: Client, cast: Cast, challenge: Any, open_now: FrozenClock) -> None:
    post_entry(client, cast.citizen)
    assert client.api("DELETE", f"{FINDER}/me").status_code == 204
    assert client.api("DELETE", f"{FINDER}/me").status_code == 404
    assert client.db.exec(select(TeammateSearch)).all() == []


def test_an_unknown_challenge_is_not_found(client: Client, cast: Cast, open_now: FrozenClock) -> None:
    client.sign_in(cast.citizen)
    assert client.api("GET", "/api/v1/challenges/finnes-ikke/team-finder").status_code == 404


def test_my_data_lists_my_entry_and_requests_and_deleting_my_account_removes_them(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    from app.submissions.models import JoinRequest
    from tests.factories import PASSWORD

    draft = make_submission(client.db, challenge, team.lead, team_name="Takfolk")
    post_entry(client, team.lead, "Vi trenger en økonom.")
    post_entry(client, cast.citizen)
    client.api("POST", f"/api/v1/challenges/gronne-tak/submissions/{draft.id}/join-requests", json={"note": "Hei"})
    export = client.api("GET", "/api/v1/me/export").json()["team_finder"]
    assert export["entries"][0]["note"] == SKILLS
    assert [(r["team_name"], r["note"], r["status"]) for r in export["join_requests"]] == [
        ("Takfolk", "Hei", "pending")
    ]

    assert client.api("POST", "/api/v1/me/delete", json={"password": PASSWORD}).status_code == 204
    assert client.db.exec(select(TeammateSearch.user_id)).all() == [team.lead.id]
    assert client.db.exec(select(JoinRequest)).all() == []
