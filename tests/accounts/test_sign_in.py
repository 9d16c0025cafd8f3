"""Signing in and out: sessions rotate, cookies are safe, attempts are limited, closed accounts stay out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from app.accounts import service
from app.accounts.models import UserSession
from app.errors import TooManyRequests
from app.security import SESSION_COOKIE, token_hash
from tests.conftest import NOW, Client
from tests.factories import PASSWORD, make_user


def _sessions_of(client: Client, user_id: int | None) -> list[UserSession]:
    return list(client.db.exec(select(UserSession).where(UserSession.user_id == user_id)).all())


def test_sign_in_sets_a_safe_cookie_and_goes_to_the_account_page(client: Client) -> None:
    user = make_user(client.db, email="per@example.no", display_name="Per Olsen", language="en")
    response = client.post_form("/account/sign-in", {"email": "PER@example.no", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    cookie = next(h for h in response.headers.get_list("set-cookie") if h.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "SameSite=Lax" in cookie
    assert "Max-Age=2592000" in cookie
    assert "Secure" not in cookie, "Secure only in production (the test server speaks http)"
    [stored] = _sessions_of(client, user.id)
    assert stored.token_hash == token_hash(response.cookies[SESSION_COOKIE])
    assert "Per Olsen" in client.get("/account").text


def test_sign_in_rotates_the_session(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    old_token = client.cookies[SESSION_COOKIE]
    response = client.post_form("/account/sign-in", {"email": user.email, "password": PASSWORD})
    new_token = response.cookies[SESSION_COOKIE]
    assert new_token != old_token
    hashes = {s.token_hash for s in _sessions_of(client, user.id)}
    assert hashes == {token_hash(new_token)}, "the session the browser had before is ended"


def test_sign_in_goes_back_to_a_local_next_page_only(client: Client) -> None:
    user = make_user(client.db)
    page = client.get("/account/sign-in?next=/account/tokens")
    assert 'name="next" value="/account/tokens"' in page.text
    back = client.post_form("/account/sign-in", {"email": user.email, "password": PASSWORD, "next": "/account/tokens"})
    assert back.headers["location"] == "/account/tokens"
    client.sign_out()
    away = client.post_form("/account/sign-in", {"email": user.email, "password": PASSWORD, "next": "//evil.example"})
    assert away.headers["location"] == "/account"


def test_a_signed_in_page_sends_anonymous_visitors_to_sign_in_and_back(client: Client) -> None:
    response = client.get("/account/tokens", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account/sign-in?next=%2Faccount%2Ftokens"


def test_wrong_password_shows_one_message_and_keeps_the_email(client: Client) -> None:
    user = make_user(client.db)
    page = client.post_form("/account/sign-in", {"email": user.email, "password": "wrong-password-here"})
    assert page.status_code == 422
    assert "The email address or password is wrong." in page.text
    assert f'value="{user.email}"' in page.text
    unknown = client.post_form("/account/sign-in", {"email": "nobody@example.no", "password": "wrong-password-here"})
    assert unknown.status_code == 422
    assert "The email address or password is wrong." in unknown.text
    assert not _sessions_of(client, user.id)


def test_inactive_and_deleted_accounts_cannot_sign_in(client: Client) -> None:
    inactive = make_user(client.db, is_active=False)
    deleted = make_user(client.db, deleted_at=datetime(2026, 1, 2, tzinfo=UTC))
    for user in (inactive, deleted):
        page = client.post_form("/account/sign-in", {"email": user.email, "password": PASSWORD})
        assert page.status_code == 422
        assert not _sessions_of(client, user.id)


def test_an_unverified_user_may_sign_in_and_sees_the_banner(client: Client) -> None:
    user = make_user(client.db, verified=False, language="en")
    assert client.post_form("/account/sign-in", {"email": user.email, "password": PASSWORD}).status_code == 303
    page = client.get("/account")
    assert "Please confirm your email address" in page.text
    assert 'action="/account/verify/resend"' in page.text


def test_the_eleventh_sign_in_attempt_within_20_seconds_is_refused(client: Client) -> None:
    user = make_user(client.db)
    for _attempt in range(10):
        assert (
            client.post_form("/account/sign-in", {"email": user.email, "password": "wrong-password!"}).status_code
            == 422
        )
    refused = client.post_form("/account/sign-in", {"email": user.email, "password": PASSWORD})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert "Too many attempts" in refused.text
    assert not _sessions_of(client, user.id), "even the right password waits"


def test_the_limit_also_counts_per_email_address(client: Client) -> None:
    user = make_user(client.db)
    for n in range(10):
        with pytest.raises(service.SignInFailed):
            service.sign_in(client.db, email=user.email, password="wrong-password!", now=NOW, client_ip=f"10.0.0.{n}")
    with pytest.raises(TooManyRequests):
        service.sign_in(client.db, email=user.email.upper(), password=PASSWORD, now=NOW, client_ip="10.0.0.99")
    # Another address from a fresh IP is not held back.
    other = make_user(client.db)
    service.sign_in(client.db, email=other.email, password=PASSWORD, now=NOW, client_ip="10.0.1.1")


def test_sign_out_ends_the_session(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    response = client.post_form("/account/sign-out")
    assert response.status_code == 303
    assert not _sessions_of(client, user.id)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_sign_out_without_csrf_token_is_refused(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    response = client.post("/account/sign-out", follow_redirects=False)
    assert response.status_code == 403
    assert _sessions_of(client, user.id)


def test_sign_in_page_sends_a_signed_in_user_to_the_account(client: Client) -> None:
    client.sign_in(make_user(client.db))
    response = client.get("/account/sign-in", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
