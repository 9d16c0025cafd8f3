"""The foundation's whole story, as people meet it: sign up, verify, sign in, and join an organisation."""

from __future__ import annotations

from sqlmodel import select

from app.audit.service import verify_chain
from app.organizations.models import Membership, Role
from tests.conftest import Client
from tests.factories import PASSWORD, make_member, make_organization, make_user
from tests.mail import emails_to, link_in


def test_a_citizen_signs_up_verifies_signs_in_and_is_invited_into_halden(client: Client) -> None:
    client.headers["Accept-Language"] = "en"
    halden = make_organization(client.db, slug="halden", name="Halden kommune")
    owner = make_member(client.db, halden, role=Role.OWNER, user=make_user(client.db, email="eier@halden.no"))

    signed_up = client.post_form(
        "/account/sign-up",
        {"display_name": "Marte Kirkerud", "email": "Marte@Example.org", "password": "et-godt-passord-2026",
         "language": "nb"},
    )  # fmt: skip
    assert signed_up.status_code == 200
    verification = emails_to(client.db, "marte@example.org")[-1]
    assert "Bekreft" in verification.subject  # written in the language Marte chose

    verify_path = link_in(verification, "/account/verify/")
    assert client.get(verify_path).status_code == 200
    assert client.post_form(verify_path).status_code == 303

    signed_in = client.post_form("/account/sign-in", {"email": "marte@example.org", "password": "et-godt-passord-2026"})
    assert signed_in.status_code == 303
    account = client.get("/account")
    assert "Marte Kirkerud" in account.text

    client.sign_out().sign_in(owner)
    invited = client.post_form(
        "/manage/organisations/halden/invitations", {"email": "marte@example.org", "role": "editor"}
    )
    assert invited.status_code == 303
    invitation_path = link_in(emails_to(client.db, "marte@example.org")[-1], "/invitations/")

    client.post_form("/account/sign-out")
    client.post_form("/account/sign-in", {"email": "marte@example.org", "password": "et-godt-passord-2026"})
    assert "Halden kommune" in client.get(invitation_path).text
    accepted = client.post_form(f"{invitation_path}/accept")
    assert accepted.status_code == 303

    memberships = client.db.exec(select(Membership).where(Membership.organization_id == halden.id)).all()
    assert {(m.user_id, m.role) for m in memberships} >= {(owner.id, Role.OWNER)}
    assert any(m.role == Role.EDITOR and m.user_id != owner.id for m in memberships)
    assert "Halden kommune" in client.get("/manage").text
    assert verify_chain(client.db).ok


def test_the_shared_test_password_signs_in_a_factory_user(client: Client) -> None:
    make_user(client.db, email="nora@example.org")
    response = client.post_form("/account/sign-in", {"email": "nora@example.org", "password": PASSWORD})
    assert response.status_code == 303
