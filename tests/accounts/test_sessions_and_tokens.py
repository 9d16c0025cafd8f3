"""Where you are signed in, signing out everywhere, and personal access tokens."""

from __future__ import annotations

import re

from sqlmodel import select

from app.accounts.models import PersonalAccessToken, UserSession
from app.accounts.sessions import TOKEN_PREFIX
from app.security import token_hash
from tests.conftest import Client
from tests.factories import make_user


def test_sessions_page_lists_this_device_and_signs_out_everywhere(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    client.sign_in(user)
    page = client.get("/account/sessions")
    assert page.status_code == 200
    assert page.text.count('/end"') == 2
    assert "this device" in page.text

    response = client.post_form("/account/sessions/sign-out-everywhere")
    assert response.status_code == 303
    assert response.headers["location"] == "/account/sign-in"
    assert not client.db.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_ending_one_other_device(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    other_id = client.db.exec(select(UserSession.id).where(UserSession.user_id == user.id)).one()
    client.sign_in(user)
    response = client.post_form(f"/account/sessions/{other_id}/end")
    assert response.status_code == 303
    assert response.headers["location"] == "/account/sessions"
    assert client.db.get(UserSession, other_id) is None
    assert client.get("/account").status_code == 200


def test_another_users_session_is_not_found(client: Client) -> None:
    stranger = make_user(client.db)
    client.sign_in(stranger)
    stranger_session = client.db.exec(select(UserSession.id).where(UserSession.user_id == stranger.id)).one()
    client.sign_in(make_user(client.db, language="en"))
    client.db.commit()
    assert client.post_form(f"/account/sessions/{stranger_session}/end").status_code == 404
    assert client.api("DELETE", f"/api/v1/me/sessions/{stranger_session}").status_code == 404
    assert client.db.get(UserSession, stranger_session) is not None
    listed = client.api("GET", "/api/v1/me/sessions").json()
    assert stranger_session not in [item["id"] for item in listed]


def test_api_sessions_list_and_sign_out_everywhere(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    client.sign_in(user)
    listed = client.api("GET", "/api/v1/me/sessions")
    assert listed.status_code == 200
    assert len(listed.json()) == 2
    assert sum(item["current"] for item in listed.json()) == 1
    assert "token_hash" not in listed.text
    assert client.api("DELETE", "/api/v1/me/sessions").status_code == 204
    assert client.api("GET", "/api/v1/me").status_code == 401


def test_a_token_is_shown_once_stored_hashed_works_and_can_be_revoked(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    page = client.post_form("/account/tokens", {"name": "Open data export"})
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    raw = re.search(r'<code class="token-value">([^<]+)</code>', page.text)
    assert raw
    token = raw.group(1)
    assert token.startswith(TOKEN_PREFIX)

    stored = client.db.exec(select(PersonalAccessToken).where(PersonalAccessToken.user_id == user.id)).one()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.prefix
    assert stored.name == "Open data export"

    listing = client.get("/account/tokens")
    assert "Open data export" in listing.text
    assert token not in listing.text, "shown only once"
    assert stored.prefix in listing.text

    client.sign_out()
    me = client.api("GET", "/api/v1/me", token=token)
    assert me.status_code == 200
    assert me.json()["email"] == user.email
    client.db.refresh(stored)
    assert stored.last_used_at == client.clock.now()

    client.sign_in(user)
    assert client.post_form(f"/account/tokens/{stored.id}/revoke").status_code == 303
    client.sign_out()
    refused = client.api("GET", "/api/v1/me", token=token)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/unauthenticated"


def test_api_tokens(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    client.db.commit()
    created = client.api("POST", "/api/v1/me/tokens", json={"name": "CI"})
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(TOKEN_PREFIX)
    listed = client.api("GET", "/api/v1/me/tokens").json()
    assert [item["name"] for item in listed] == ["CI"]
    assert "token" not in listed[0]
    assert client.api("POST", "/api/v1/me/tokens", json={"name": " "}).status_code == 422
    assert client.api("POST", "/api/v1/me/tokens", json={"name": "x", "scope": "all"}).status_code == 422

    # A token cannot make more tokens (a leaked token must not be able to entrench itself).
    refused = client.api("POST", "/api/v1/me/tokens", token=body["token"], json={"name": "more"})
    assert refused.status_code == 403
    assert client.api("GET", "/api/v1/me/tokens", token=body["token"]).status_code == 200

    assert client.api("DELETE", f"/api/v1/me/tokens/{body['id']}").status_code == 204
    assert client.api("GET", "/api/v1/me", token=body["token"]).status_code == 401


def test_another_users_token_is_not_found(client: Client) -> None:
    owner = make_user(client.db)
    client.sign_in(owner)
    client.db.commit()
    token_id = client.api("POST", "/api/v1/me/tokens", json={"name": "Mine"}).json()["id"]
    client.sign_out()
    client.sign_in(make_user(client.db, language="en"))
    client.db.commit()
    assert client.api("DELETE", f"/api/v1/me/tokens/{token_id}").status_code == 404
    assert client.post_form(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert client.api("GET", "/api/v1/me/tokens").json() == []
    assert "Mine" not in client.get("/account/tokens").text
    assert client.db.get(PersonalAccessToken, token_id).revoked_at is None  # type: ignore[union-attr]


def test_token_form_without_a_name_shows_a_message(client: Client) -> None:
    client.sign_in(make_user(client.db, language="en"))
    page = client.post_form("/account/tokens", {"name": ""})
    assert page.status_code == 422
    assert "Give the token a name." in page.text


def test_a_form_without_csrf_token_is_refused(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    response = client.post("/account/tokens", data={"name": "x"}, follow_redirects=False)
    assert response.status_code == 403
    assert not client.db.exec(select(PersonalAccessToken)).all()
    api = client.request("POST", "/api/v1/me/tokens", json={"name": "x"})
    assert api.status_code == 403
    assert api.json()["type"] == "/problems/csrf-failed"


def test_a_session_or_token_number_too_large_for_any_row_is_refused_not_a_server_error(client: Client) -> None:
    client.sign_in(make_user(client.db))
    huge = "9" * 25
    for method, url in [("DELETE", f"/api/v1/me/sessions/{huge}"), ("DELETE", f"/api/v1/me/tokens/{huge}")]:
        response = client.api(method, url)
        assert response.status_code in (404, 422), url
        assert response.headers["content-type"] == "application/problem+json"
    for url in [f"/account/sessions/{huge}/end", f"/account/tokens/{huge}/revoke"]:
        assert client.post_form(url).status_code in (400, 404), url
