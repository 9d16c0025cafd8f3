"""The role × phase matrix for every submission action, on the predicates and through the API."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from app.actor import Actor
from app.challenges import service as challenges
from app.challenges.phases import Phase
from app.organizations.models import Role
from app.submissions import permissions, service
from app.submissions.models import Submission
from tests.challenges.conftest import Cast, at, status_for
from tests.conftest import Client
from tests.factories import make_challenge, make_submission
from tests.submissions.conftest import Team

ROLES = ["anonymous", "citizen", "lead", "member", "invitee", "host-editor", "other-editor", "platform-admin"]
TEAM = {"lead", "member"}
HOSTS = {"host-editor", "platform-admin"}


def actor_for(role: str, cast: Cast, team: Team) -> Actor:
    users = {
        "citizen": cast.citizen, "lead": team.lead, "member": team.member, "invitee": team.invitee,
        "host-editor": cast.halden_editor, "other-editor": cast.stavanger_editor, "platform-admin": cast.platform_admin,
    }  # fmt: skip
    if role == "anonymous":
        return Actor.anonymous()
    roles = {"host-editor": {cast.halden.id: Role.EDITOR}, "other-editor": {cast.stavanger.id: Role.EDITOR}}
    return Actor(user=users[role], roles=roles.get(role, {}), via="session")  # type: ignore[arg-type]


def arrange(db: Session, cast: Cast, team: Team, phase: Phase, *, versions: int, **fields: Any) -> tuple[Any, Any]:
    challenge = make_challenge(db, cast.halden, status=status_for(phase), **fields)
    challenge = challenges.get_for(db, slug=challenge.slug, actor=Actor.system())  # with its co-hosts loaded
    submission = make_submission(db, challenge, team.lead, members=[team.member], versions=versions)
    loaded = db.exec(select(Submission).where(Submission.id == submission.id).options(*service.LOAD)).one()
    return challenge, loaded


PHASES = [Phase.UPCOMING, Phase.OPEN, Phase.REVIEW, Phase.VOTING, Phase.CANCELLED]


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_a_draft_and_change_it(db: Session, cast: Cast, team: Team, role: str, phase: Phase) -> None:
    challenge, draft = arrange(db, cast, team, phase, versions=0)
    actor, now = actor_for(role, cast, team), at(phase)
    assert permissions.can_view(actor, draft, challenge, now) is (role in TEAM)
    writable = role in TEAM and phase == Phase.OPEN
    assert permissions.can_edit(actor, draft, challenge, now) is writable
    assert permissions.can_submit(actor, draft, challenge, now) is writable
    assert permissions.can_manage_team(actor, draft, challenge, now) is (writable and role == "lead")
    assert permissions.can_leave(actor, draft, challenge, now) is (writable and role == "member")
    assert permissions.can_withdraw(actor, draft, challenge, now) is False
    assert permissions.can_see_history(actor, draft, challenge) is (role in TEAM)


@pytest.mark.parametrize("visibility", ["at-submission", "after-review", "never"])
@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_see_a_submitted_concept(
    db: Session, cast: Cast, team: Team, role: str, phase: Phase, visibility: str
) -> None:
    challenge, submitted = arrange(db, cast, team, phase, versions=1, submissions_public=visibility)
    actor, now = actor_for(role, cast, team), at(phase)
    public = phase != Phase.CANCELLED and (
        visibility == "at-submission" or (visibility == "after-review" and phase == Phase.VOTING)
    )
    assert permissions.can_view(actor, submitted, challenge, now) is (role in TEAM | HOSTS or public)
    assert permissions.can_see_history(actor, submitted, challenge) is (role in TEAM | HOSTS)
    assert permissions.can_see_working_copy(actor, submitted) is (role in TEAM)
    assert permissions.can_withdraw(actor, submitted, challenge, now) is (role in TEAM and phase == Phase.OPEN)


@pytest.mark.parametrize("role", ROLES)
def test_the_api_keeps_to_the_matrix_for_a_draft(client: Client, cast: Cast, team: Team, role: str) -> None:
    """Each role's calls on a draft while open: the team reads and writes, the lead runs the team, others get 404."""
    challenge = make_challenge(client.db, cast.halden, slug="gronne-tak")
    draft = make_submission(client.db, challenge, team.lead, members=[team.member])
    client.db.commit()
    client.clock.at = at(Phase.OPEN)
    users = {
        "citizen": cast.citizen, "lead": team.lead, "member": team.member, "invitee": team.invitee,
        "host-editor": cast.halden_editor, "other-editor": cast.stavanger_editor, "platform-admin": cast.platform_admin,
    }  # fmt: skip
    if role != "anonymous":
        client.sign_in(users[role])
    url = f"/api/v1/challenges/gronne-tak/submissions/{draft.id}"
    seen = 200 if role in TEAM else 404
    write = 200 if role in TEAM else (401 if role == "anonymous" else 404)
    lead_only = 201 if role == "lead" else {"member": 403}.get(role, write)
    assert client.api("GET", url).status_code == seen
    assert client.api("PATCH", url, json={"summary": "Ny"}).status_code == write
    assert client.api("POST", url + "/terms").status_code == write
    assert client.api("POST", url + "/invitations", json={"email": "ny@example.no"}).status_code == lead_only
    assert client.api("GET", url + "/versions").status_code == seen
    assert client.api("POST", url + "/withdraw").status_code == {200: 409}.get(write, write)


def test_an_invitee_sees_nothing_before_accepting(client: Client, cast: Cast, team: Team) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="gronne-tak")
    draft = make_submission(client.db, challenge, team.lead)
    client.db.commit()
    client.clock.at = at(Phase.OPEN)
    client.sign_in(team.lead)
    client.api(
        "POST", f"/api/v1/challenges/gronne-tak/submissions/{draft.id}/invitations", json={"email": team.invitee.email}
    )
    client.sign_in(team.invitee)
    assert client.api("GET", f"/api/v1/challenges/gronne-tak/submissions/{draft.id}").status_code == 404
    assert client.api("GET", "/api/v1/challenges/gronne-tak/submissions").json()["total"] == 0
