"""Only a confirmed email address answers an organisation invitation: anyone can sign up with any address, so an
unconfirmed account with the invited address proves nothing about who holds it."""

from __future__ import annotations

from sqlmodel import select

from app.organizations.models import Invitation, Membership
from tests.conftest import NOW, Client
from tests.factories import make_user
from tests.organizations.conftest import Cast
from tests.organizations.test_invitations import invite, memberships_of

EN = {"Accept-Language": "en"}
CONFIRM_FIRST = "Confirm your email address before you answer this invitation"


def test_an_invitee_with_an_unconfirmed_address_is_asked_to_confirm_it_and_cannot_join_on_the_page(
    client: Client, cast: Cast
) -> None:
    ola = make_user(client.db, email="ola@halden.no", verified=False)
    client.db.commit()
    token = invite(client, cast, "ola@halden.no", role="admin")
    client.sign_in(ola)

    page = client.get(f"/invitations/{token}", headers=EN)
    assert page.status_code == 200
    assert CONFIRM_FIRST in page.text
    assert "Accept invitation" not in page.text

    accepted = client.post_form(f"/invitations/{token}/accept", headers=EN)
    assert accepted.status_code == 403
    assert CONFIRM_FIRST in accepted.text
    declined = client.post_form(f"/invitations/{token}/decline", headers=EN)
    assert declined.status_code == 403
    assert memberships_of(client, ola.id) == []
    stored = client.db.exec(select(Invitation)).one()
    assert stored.accepted_at is None
    assert stored.revoked_at is None  # the link still works once the address is confirmed


def test_an_invitee_with_an_unconfirmed_address_is_refused_by_the_api(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no", verified=False)
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    client.sign_in(ola)

    refused = client.api("POST", f"/api/v1/invitations/{token}/accept", headers=EN)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert CONFIRM_FIRST in refused.json()["detail"]
    assert client.api("POST", f"/api/v1/invitations/{token}/decline").status_code == 403
    assert memberships_of(client, ola.id) == []


def test_once_the_address_is_confirmed_the_same_link_lets_the_invitee_join(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no", verified=False)
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    client.sign_in(ola)
    assert client.api("POST", f"/api/v1/invitations/{token}/accept").status_code == 403

    ola.email_verified_at = NOW
    client.db.add(ola)
    client.db.commit()
    page = client.get(f"/invitations/{token}", headers=EN)
    assert "Accept invitation" in page.text
    assert CONFIRM_FIRST not in page.text
    assert client.post_form(f"/invitations/{token}/accept").status_code == 303
    [membership] = memberships_of(client, ola.id)
    assert isinstance(membership, Membership)


def test_a_confirmed_invitee_joins_through_the_api(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no")
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    client.sign_in(ola)
    joined = client.api("POST", f"/api/v1/invitations/{token}/accept")
    assert joined.status_code == 200
    assert joined.json()["slug"] == "halden"
    assert len(memberships_of(client, ola.id)) == 1
