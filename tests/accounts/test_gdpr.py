"""Downloading your data and deleting your account."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from app.accounts import gdpr
from app.accounts.models import OneTimeToken, PersonalAccessToken, User, UserSession
from tests.conftest import Client
from tests.factories import PASSWORD, make_user


def test_export_contains_my_data_and_no_one_elses(client: Client) -> None:
    other = make_user(client.db, email="annen@example.no", display_name="Annen Person")
    client.sign_in(other)
    me = make_user(client.db, email="meg@example.no", display_name="Meg Selv", language="en")
    client.sign_in(me)
    client.post_form("/account/tokens", {"name": "Min nøkkel"})

    def challenges(session: Session, user: User) -> Any:
        return [{"owner": user.email}]

    with gdpr.registered(exporters={"concepts": challenges}):
        response = client.get("/account/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["account"]["profile"]["email"] == "meg@example.no"
    assert data["account"]["profile"]["display_name"] == "Meg Selv"
    assert len(data["account"]["sessions"]) == 1
    assert [token["name"] for token in data["account"]["tokens"]] == ["Min nøkkel"]
    assert data["concepts"] == [{"owner": "meg@example.no"}]
    assert "annen@example.no" not in response.text
    assert "Annen Person" not in response.text
    assert "token_hash" not in response.text
    for stored in client.db.exec(select(UserSession)).all():
        assert stored.token_hash not in response.text

    api = client.api("GET", "/api/v1/me/export")
    assert api.status_code == 200
    assert api.json()["account"]["profile"]["email"] == "meg@example.no"


def test_deleting_the_account_anonymises_it_and_blocks_sign_in(client: Client) -> None:
    user = make_user(client.db, email="borte@example.no", display_name="Snart Borte", language="en")
    client.sign_in(user)  # another device
    client.sign_in(user)
    client.post_form("/account/tokens", {"name": "script"})
    client.post_form("/account/email", {"email": "ny-adresse@example.no", "password": PASSWORD})
    seen: list[int | None] = []

    def forget_concepts(session: Session, deleted: User) -> None:
        seen.append(deleted.id)

    wrong = client.post_form("/account/delete", {"password": "not-the-password"})
    assert wrong.status_code == 422
    assert "The password is wrong." in wrong.text
    client.db.refresh(user)
    assert user.deleted_at is None

    with gdpr.registered(anonymisers=[forget_concepts]):
        response = client.post_form("/account/delete", {"password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    client.db.refresh(user)
    assert user.email == f"deleted-{user.id}@deleted.invalid"
    assert user.display_name == "Deleted user"
    assert user.password_hash is None
    assert user.pending_email is None
    assert user.deleted_at == client.clock.now()
    assert user.is_active is False
    assert seen == [user.id]
    assert not client.db.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    tokens = client.db.exec(select(PersonalAccessToken).where(PersonalAccessToken.user_id == user.id)).all()
    assert tokens
    assert all(token.revoked_at is not None for token in tokens)
    assert not client.db.exec(select(OneTimeToken).where(OneTimeToken.user_id == user.id)).all()

    page = client.post_form("/account/sign-in", {"email": "borte@example.no", "password": PASSWORD})
    assert page.status_code == 422
    client.post_form("/account/forgot-password", {"email": "borte@example.no"})
    assert not client.db.exec(select(OneTimeToken).where(OneTimeToken.user_id == user.id)).all()


def test_api_delete_needs_the_password(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    client.db.commit()
    wrong = client.api("POST", "/api/v1/me/delete", json={"password": "nope-nope-nope"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "password"
    assert client.api("POST", "/api/v1/me/delete", json={"password": PASSWORD}).status_code == 204
    client.db.refresh(user)
    assert user.deleted_at is not None
    assert client.api("GET", "/api/v1/me").status_code == 401


def test_registering_a_reserved_section_name_is_refused() -> None:
    with pytest.raises(ValueError, match="reserved"):
        gdpr.register_exporter("account", lambda session, user: None)
