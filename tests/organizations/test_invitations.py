"""Invitations: from the admin's form, through the email, to the invitee accepting (or being refused)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.organizations.models import Invitation, Membership, Role
from app.security import token_hash
from tests.conftest import Client
from tests.factories import make_user
from tests.organizations.conftest import Cast, emails_to, invitation_token


def invite(client: Client, cast: Cast, email: str, role: str = "editor") -> str:
    """The owner invites `email` on the members page; returns the token from the email."""
    client.sign_in(cast.owner)
    response = client.post_form("/manage/organisations/halden/invitations", {"email": email, "role": role})
    assert response.status_code == 303, response.text
    return invitation_token(emails_to(client.db, email.lower())[-1])


def memberships_of(client: Client, user_id: int | None) -> list[Membership]:
    return list(client.db.exec(select(Membership).where(Membership.user_id == user_id)).all())


def test_an_invitee_accepts_with_the_invited_email_and_becomes_a_member(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no", display_name="Ola Nordmann", language="en")
    client.db.commit()
    token = invite(client, cast, "Ola@Halden.no", role="admin")

    email = emails_to(client.db, "ola@halden.no")[0]
    assert email.subject == "Invitation to join Halden kommune on Samskap"  # in Ola's language (English)
    assert f"http://testserver/invitations/{token}" in email.body
    stored = client.db.exec(select(Invitation).where(Invitation.email == "ola@halden.no")).one()
    assert stored.token_hash == token_hash(token)  # only the hash is kept
    assert token not in stored.token_hash

    client.sign_in(ola)
    page = client.get(f"/invitations/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "Halden kommune" in page.text
    assert "Accept invitation" in page.text

    accepted = client.post_form(f"/invitations/{token}/accept")
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/manage/organisations/halden/members"
    [membership] = memberships_of(client, ola.id)
    assert membership.role == Role.ADMIN
    assert "Ola Nordmann" in client.get("/manage/organisations/halden/members").text

    actions = client.db.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions == ["invitation.create", "invitation.accept", "membership.create"]
    creating, accepting, joining = client.db.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    assert creating.actor_user_id == cast.owner.id
    assert accepting.actor_user_id == joining.actor_user_id == ola.id
    assert joining.after == {"user_id": ola.id, "role": "admin"}


def test_an_invitation_to_someone_without_an_account_uses_the_organisations_language(
    client: Client, cast: Cast
) -> None:
    invite(client, cast, "ny@example.no")
    email = emails_to(client.db, "ny@example.no")[0]
    assert email.payload == {"template": "invitation", "language": "nb"}


def test_an_anonymous_visitor_is_asked_to_sign_in_with_the_invited_address(client: Client, cast: Cast) -> None:
    token = invite(client, cast, "ny@example.no")
    client.sign_out()
    page = client.get(f"/invitations/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "ny@example.no" in page.text
    assert f"/account/sign-in?next=/invitations/{token}" in page.text
    assert "Accept invitation" not in page.text
    refused = client.post_form(f"/invitations/{token}/accept")
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/account/sign-in")


def test_someone_signed_in_with_another_email_is_refused(client: Client, cast: Cast) -> None:
    token = invite(client, cast, "ola@halden.no")
    client.sign_in(cast.citizen)
    page = client.get(f"/invitations/{token}", headers={"Accept-Language": "en"})
    assert "sent to another email address" in page.text
    assert "Accept invitation" not in page.text
    response = client.post_form(f"/invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "sent to another email address" in response.text
    api = client.api("POST", f"/api/v1/invitations/{token}/accept")
    assert api.status_code == 403
    assert memberships_of(client, cast.citizen.id) == []


def test_a_used_link_is_refused_the_second_time(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no")
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    client.sign_in(ola)
    assert client.api("POST", f"/api/v1/invitations/{token}/accept").status_code == 200
    again = client.api("POST", f"/api/v1/invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert again.status_code == 409
    assert again.json()["type"] == "/problems/invitation-unusable"
    assert "already been used" in again.json()["detail"]
    page = client.get(f"/invitations/{token}", headers={"Accept-Language": "en"})
    assert page.status_code == 409
    assert "already been used" in page.text


def test_an_expired_link_is_refused(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no")
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    client.clock.advance(timedelta(days=15))
    client.sign_in(ola)
    response = client.post_form(f"/invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert "has expired" in response.text
    assert memberships_of(client, ola.id) == []


def test_a_revoked_link_is_refused(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no")
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    invitation = client.db.exec(select(Invitation)).one()
    revoked = client.post_form(f"/manage/organisations/halden/invitations/{invitation.id}/revoke")
    assert revoked.status_code == 303
    client.sign_in(ola)
    response = client.api("POST", f"/api/v1/invitations/{token}/accept", headers={"Accept-Language": "en"})
    assert response.status_code == 409
    assert "withdrawn" in response.json()["detail"]
    assert client.db.exec(select(AuditEvent).where(AuditEvent.action == "invitation.revoke")).one()


def test_an_unknown_link_is_not_found(client: Client, cast: Cast) -> None:
    client.sign_in(cast.citizen)
    assert client.get("/invitations/not-a-real-token").status_code == 404
    assert client.api("POST", "/api/v1/invitations/not-a-real-token/accept").status_code == 404


def test_the_invitee_declines(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no")
    client.db.commit()
    token = invite(client, cast, "ola@halden.no")
    client.sign_in(ola)
    assert client.post_form(f"/invitations/{token}/decline").status_code == 303
    assert memberships_of(client, ola.id) == []
    assert client.api("POST", f"/api/v1/invitations/{token}/accept").status_code == 409
    assert client.db.exec(select(AuditEvent).where(AuditEvent.action == "invitation.decline")).one()


def test_inviting_an_existing_member_is_a_conflict(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    api = client.api("POST", "/api/v1/organisations/halden/invitations", json={"email": "red@halden.no"})
    assert api.status_code == 409
    page = client.post_form(
        "/manage/organisations/halden/invitations",
        {"email": "red@halden.no", "role": "editor"},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 422
    assert "red@halden.no is already a member" in page.text
    assert client.db.exec(select(Invitation)).all() == []


def test_inviting_the_same_address_twice_is_a_conflict(client: Client, cast: Cast) -> None:
    invite(client, cast, "ola@halden.no")
    again = client.api("POST", "/api/v1/organisations/halden/invitations", json={"email": "ola@halden.no"})
    assert again.status_code == 409


def test_an_invalid_email_is_shown_next_to_the_field(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    page = client.post_form(
        "/manage/organisations/halden/invitations",
        {"email": "ikke-en-adresse", "role": "editor"},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 422
    assert 'id="field-email-error"' in page.text
    assert 'value="ikke-en-adresse"' in page.text
    assert client.db.exec(select(Invitation)).all() == []


def test_resending_makes_a_new_link_and_the_old_one_stops_working(client: Client, cast: Cast) -> None:
    ola = make_user(client.db, email="ola@halden.no")
    client.db.commit()
    old_token = invite(client, cast, "ola@halden.no")
    invitation = client.db.exec(select(Invitation)).one()
    response = client.api("POST", f"/api/v1/organisations/halden/invitations/{invitation.id}/resend")
    assert response.status_code == 200
    new_token = invitation_token(emails_to(client.db, "ola@halden.no")[-1])
    assert new_token != old_token
    client.sign_in(ola)
    assert client.api("POST", f"/api/v1/invitations/{old_token}/accept").status_code == 404
    assert client.api("POST", f"/api/v1/invitations/{new_token}/accept").status_code == 200


def test_admins_cannot_invite_owners_and_editors_cannot_invite_at_all(client: Client, cast: Cast) -> None:
    client.sign_in(cast.admin)
    owner = client.api(
        "POST", "/api/v1/organisations/halden/invitations", json={"email": "x@example.no", "role": "owner"}
    )
    assert owner.status_code == 403
    client.sign_in(cast.editor)
    editor = client.api("POST", "/api/v1/organisations/halden/invitations", json={"email": "x@example.no"})
    assert editor.status_code == 403
    client.sign_in(cast.other_owner)
    outsider = client.api("POST", "/api/v1/organisations/halden/invitations", json={"email": "x@example.no"})
    assert outsider.status_code == 404
    assert client.db.exec(select(Invitation)).all() == []


def test_admins_list_and_revoke_invitations_through_the_api(client: Client, cast: Cast) -> None:
    invite(client, cast, "ola@halden.no")
    client.sign_in(cast.admin)
    listed = client.api("GET", "/api/v1/organisations/halden/invitations").json()
    assert [(i["email"], i["status"]) for i in listed["items"]] == [("ola@halden.no", "pending")]
    invitation_id = listed["items"][0]["id"]
    assert client.api("DELETE", f"/api/v1/organisations/halden/invitations/{invitation_id}").status_code == 204
    assert client.api("GET", "/api/v1/organisations/halden/invitations").json()["items"] == []
    client.sign_in(cast.editor)
    assert client.api("GET", "/api/v1/organisations/halden/invitations").status_code == 403
