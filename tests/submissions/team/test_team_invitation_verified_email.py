"""A team invitation, like every invitation, is answered only from a confirmed email address (the rule lives once, in
the invitation mechanism)."""

from __future__ import annotations

from typing import Any

from app.clock import FrozenClock
from tests.conftest import NOW, Client
from tests.factories import make_user
from tests.mail import emails_to, link_in
from tests.submissions.conftest import Team
from tests.submissions.test_api import BASE, start

EN = {"Accept-Language": "en"}
CONFIRM_FIRST = "Confirm your email address before you answer this invitation"


def test_an_unconfirmed_invitee_is_refused_on_the_page_and_in_the_api_and_joins_once_confirmed(
    client: Client, db: Any, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    nora = make_user(db, email="nora@example.no", verified=False)
    db.commit()
    sid = start(client, team.lead)["id"]
    assert client.api("POST", f"{BASE}/{sid}/invitations", json={"email": nora.email}).status_code == 201
    token = link_in(emails_to(db, nora.email)[-1], "/team-invitations/").rsplit("/", 1)[1]
    client.sign_in(nora)

    page = client.get(f"/team-invitations/{token}", headers=EN)
    assert CONFIRM_FIRST in page.text
    refused_page = client.post_form(f"/team-invitations/{token}/accept", headers=EN)
    assert refused_page.status_code == 403
    assert CONFIRM_FIRST in refused_page.text
    refused_api = client.api("POST", f"/api/v1/team-invitations/{token}/accept", headers=EN)
    assert refused_api.status_code == 403
    assert CONFIRM_FIRST in refused_api.json()["detail"]
    client.sign_in(team.lead)
    members = client.api("GET", f"{BASE}/{sid}").json()["members"]
    assert nora.email not in str(members)
    assert len(members) == 1

    nora.email_verified_at = NOW
    db.add(nora)
    db.commit()
    client.sign_in(nora)
    assert client.post_form(f"/team-invitations/{token}/accept").status_code == 303
    client.sign_in(team.lead)
    assert len(client.api("GET", f"{BASE}/{sid}").json()["members"]) == 2
