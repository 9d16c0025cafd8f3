"""A new password shuts out whoever had the old one: its tokens are revoked, and only the newest reset link works."""

from __future__ import annotations

import re

from sqlmodel import col, select

from app.accounts.models import OneTimeToken
from app.integrations.models import OutboxMessage
from tests.accounts.conftest import emails_to, link_in
from tests.conftest import Client
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "et-helt-nytt-passord-2026"


def _make_token(client: Client, name: str) -> str:
    page = client.post_form("/account/tokens", {"name": name})
    found = re.search(r'<code class="token-value">([^<]+)</code>', page.text)
    assert found
    return found.group(1)


def _password_changed_email(client: Client, address: str) -> OutboxMessage:
    return [email for email in emails_to(client.db, address) if email.payload["template"] == "password_changed"][-1]


def test_changing_the_password_revokes_every_access_token_and_says_so(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    laptop, script = _make_token(client, "Laptop"), _make_token(client, "Script")
    assert client.get("/account/password").text.count("personal access tokens revoked") == 1

    changed = client.post_form("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert changed.status_code == 303
    assert "access tokens revoked" in client.get(changed.headers["location"]).text
    for token in (laptop, script):
        assert client.api("GET", "/api/v1/me", token=token).status_code == 401
    assert "Your 2 personal access tokens were revoked too" in _password_changed_email(client, user.email).body


def test_the_api_password_change_revokes_tokens_too(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    token = _make_token(client, "Integration")
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert client.api("POST", "/api/v1/me/password", json=body).status_code == 204
    assert client.api("GET", "/api/v1/me", token=token).status_code == 401


def test_resetting_the_password_revokes_every_access_token(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    token = _make_token(client, "Laptop")
    client.sign_out()
    client.post_form("/account/forgot-password", {"email": user.email})
    link = link_in(emails_to(client.db, user.email)[-1], "/account/reset-password/")
    assert "personal access tokens revoked" in client.get(link).text

    assert client.post_form(link, {"password": NEW_PASSWORD}).status_code == 303

    assert client.api("GET", "/api/v1/me", token=token).status_code == 401
    assert "Your personal access token was revoked too" in _password_changed_email(client, user.email).body


def test_a_password_change_without_tokens_mentions_none(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    client.post_form("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert "revoked" not in _password_changed_email(client, user.email).body


def test_asking_for_a_new_reset_link_spends_the_older_ones(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.post_form("/account/forgot-password", {"email": user.email})
    client.post_form("/account/forgot-password", {"email": user.email})
    older, newer = (link_in(email, "/account/reset-password/") for email in emails_to(client.db, user.email))

    assert client.get(older).status_code == 400
    assert client.post_form(older, {"password": NEW_PASSWORD}).status_code == 400
    assert client.get(newer).status_code == 200
    unspent = col(OneTimeToken.used_at).is_(None)
    assert len(client.db.exec(select(OneTimeToken).where(OneTimeToken.user_id == user.id, unspent)).all()) == 1
    assert client.post_form(newer, {"password": NEW_PASSWORD}).status_code == 303
