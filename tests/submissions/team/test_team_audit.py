"""What a team writes before it submits is the team's alone, in the audit log as everywhere (DESIGN.md §5).

The host organisation's owners and admins read their organisation's audit log; a team's drafting, invitations
(with the invitees' emails), members and team-finder entries are not in it. They see the submission once it is
made, and a withdrawal, naming the member as the concept page does. Platform admins see every event.
"""

from __future__ import annotations

from typing import Any

from app.clock import FrozenClock
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.submissions.conftest import Team
from tests.submissions.test_api import BASE, start

EN = {"Accept-Language": "en"}
SECRETS = ("Hemmelig arbeidstittel", "Takfolket", "invitert@example.no", "lead@example.no", "Kan tegne og male")


def team_drafts_a_concept(client: Client, team: Team) -> int:
    """The lead starts an anonymous draft under a working title, names the team, invites someone and looks for more
    members in the team finder."""
    draft = start(client, team.lead, title="Hemmelig arbeidstittel", team_name="Takfolket", anonymous=True)
    sid = int(draft["id"])
    assert client.api("PATCH", f"{BASE}/{sid}", json={"summary": "Tak som samler regnvann."}).status_code == 200
    invited = client.api("POST", f"{BASE}/{sid}/invitations", json={"email": team.invitee.email})
    assert invited.status_code == 201, invited.text
    entry = client.api("PUT", "/api/v1/challenges/gronne-tak/team-finder/me", json={"note": "Kan tegne og male"})
    assert entry.status_code == 200, entry.text
    return sid


def audit_as(client: Client, person: Any) -> tuple[list[dict[str, Any]], str, str]:
    """The events `person` reads through the API, the raw response and the audit page."""
    client.sign_in(person)
    response = client.api("GET", "/api/v1/audit-events", params={"size": 100})
    assert response.status_code == 200, response.text
    page = client.get("/manage/audit", headers=EN)
    assert page.status_code == 200
    return response.json()["items"], response.text, page.text


def test_the_hosts_do_not_see_a_drafts_events_or_the_invitees_email(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = team_drafts_a_concept(client, team)
    client.sign_in(cast.halden_admin)
    assert client.api("GET", f"{BASE}/{sid}").status_code == 404  # the draft itself is not theirs to see

    items, text, page = audit_as(client, cast.halden_admin)
    assert [item for item in items if item["target_type"] in ("submission", "teammate-search")] == []
    for secret in SECRETS:
        assert secret not in text
        assert secret not in page
    assert "submission." not in page


def test_the_hosts_see_the_submission_once_it_is_made_without_emails_or_the_working_copy(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    sid = team_drafts_a_concept(client, team)
    assert client.api("PATCH", f"{BASE}/{sid}", json={"title": "Grønne tak"}).status_code == 200
    assert client.api("POST", f"{BASE}/{sid}/terms").status_code == 200
    assert client.api("POST", f"{BASE}/{sid}/submit").status_code == 201
    # After submitting, the team works on a new working copy and takes the concept back.
    assert client.api("PATCH", f"{BASE}/{sid}", json={"title": "Ny hemmelig tittel"}).status_code == 200
    assert client.api("POST", f"{BASE}/{sid}/withdraw").status_code == 200

    items, text, page = audit_as(client, cast.halden_admin)
    seen = [(i["action"], i["target_id"], i["actor_label"]) for i in items if i["target_type"] == "submission"]
    assert seen == [("submission.withdraw", str(sid), "Liv Leder"), ("submission.submit", str(sid), "Liv Leder")]
    submitted = next(item for item in items if item["action"] == "submission.submit")
    assert submitted["after"]["title"] == "Grønne tak"  # what the hosts now read in version 1
    assert submitted["after"]["version"] == 1
    withdrawn = next(item for item in items if item["action"] == "submission.withdraw")
    assert withdrawn["after"] == {"status": "withdrawn", "version_count": 1}
    # The hosts know an anonymous team's name once it submits (as on the concept page), nothing the team drafted.
    assert submitted["after"]["team_name"] == "Takfolket"
    for secret in ("Hemmelig arbeidstittel", "invitert@example.no", "lead@example.no", "Ny hemmelig tittel"):
        assert secret not in text
        assert secret not in page
    assert "submission.submit" in page


def test_platform_admins_see_every_team_event_with_the_invitees_email(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    team_drafts_a_concept(client, team)
    items, _text, page = audit_as(client, cast.platform_admin)
    actions = [item["action"] for item in items if item["target_type"] == "submission"]
    assert actions == ["submission.invite", "submission.update", "submission.create"]
    invite = next(item for item in items if item["action"] == "submission.invite")
    assert invite["after"]["email"] == "invitert@example.no"
    assert invite["actor_label"] == "Liv Leder <lead@example.no>"
    assert "team-finder.create" in [item["action"] for item in items]
    halden = client.api("GET", "/api/v1/audit-events", params={"organisation": "halden", "action": "submission"})
    assert halden.json()["total"] == 3  # filed under the host organisation, readable by platform admins
    assert "Hemmelig arbeidstittel" in page
