"""Forgotten passwords, changing the password and changing the email address."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from app.accounts.models import OneTimeToken, User, UserSession
from app.security import token_hash, verify_password
from tests.accounts.conftest import emails_to, link_in
from tests.conftest import Client
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "et-helt-nytt-passord-2026"


def _session_count(client: Client, user: User) -> int:
    return len(client.db.exec(select(UserSession).where(UserSession.user_id == user.id)).all())


def test_forgot_password_gives_the_same_answer_whether_or_not_the_account_exists(client: Client) -> None:
    user = make_user(client.db, language="en")
    known = client.post_form("/account/forgot-password", {"email": user.email})
    unknown = client.post_form("/account/forgot-password", {"email": "nobody@example.no"})
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace(known.headers.get("x-request-id", ""), "") == unknown.text.replace(
        unknown.headers.get("x-request-id", ""), ""
    )
    assert len(emails_to(client.db, user.email)) == 1
    assert emails_to(client.db, "nobody@example.no") == []

    api_known = client.api("POST", "/api/v1/accounts/password-reset", json={"email": user.email})
    api_unknown = client.api("POST", "/api/v1/accounts/password-reset", json={"email": "nobody@example.no"})
    assert api_known.status_code == api_unknown.status_code == 202
    assert api_known.json() == api_unknown.json()


def test_a_reset_link_sets_a_new_password_once_and_signs_out_everywhere(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    client.sign_in(user)
    assert _session_count(client, user) == 2
    client.sign_out()

    client.post_form("/account/forgot-password", {"email": user.email})
    [email] = emails_to(client.db, user.email)
    assert email.subject == "Choose a new password for Samskap"
    link = link_in(email, "/account/reset-password/")
    stored = client.db.exec(select(OneTimeToken).where(OneTimeToken.user_id == user.id)).one()
    assert stored.token_hash == token_hash(link.rsplit("/", 1)[1]), "only the token's hash is stored"
    assert stored.token_hash not in email.body

    form = client.get(link)
    assert form.status_code == 200
    assert "Choose a new password" in form.text
    done = client.post_form(link, {"password": NEW_PASSWORD})
    assert done.status_code == 303
    assert done.headers["location"] == "/account/sign-in"
    client.db.refresh(user)
    assert verify_password(NEW_PASSWORD, user.password_hash)
    assert _session_count(client, user) == 0

    again = client.post_form(link, {"password": "yet-another-password"})
    assert again.status_code == 400
    assert "invalid, used or expired" in again.text
    client.db.refresh(user)
    assert verify_password(NEW_PASSWORD, user.password_hash)

    assert client.post_form("/account/sign-in", {"email": user.email, "password": NEW_PASSWORD}).status_code == 303


def test_an_expired_reset_link_is_refused(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.post_form("/account/forgot-password", {"email": user.email})
    link = link_in(emails_to(client.db, user.email)[0], "/account/reset-password/")
    client.clock.advance(timedelta(minutes=61))
    assert client.get(link).status_code == 400
    assert client.post_form(link, {"password": NEW_PASSWORD}).status_code == 400
    client.db.refresh(user)
    assert verify_password(PASSWORD, user.password_hash)


def test_a_too_short_new_password_keeps_the_link_usable(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.post_form("/account/forgot-password", {"email": user.email})
    link = link_in(emails_to(client.db, user.email)[0], "/account/reset-password/")
    page = client.post_form(link, {"password": "short"})
    assert page.status_code == 422
    assert "at least 10 characters" in page.text
    assert client.post_form(link, {"password": NEW_PASSWORD}).status_code == 303


def test_api_password_reset_confirm(client: Client) -> None:
    user = make_user(client.db)
    client.api("POST", "/api/v1/accounts/password-reset", json={"email": user.email})
    token = link_in(emails_to(client.db, user.email)[0], "/account/reset-password/").rsplit("/", 1)[1]
    bad = client.api(
        "POST", "/api/v1/accounts/password-reset/confirm", json={"token": "nope", "password": NEW_PASSWORD}
    )
    assert bad.status_code == 400
    assert bad.json()["type"] == "/problems/invalid-link"
    ok = client.api("POST", "/api/v1/accounts/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD})
    assert ok.status_code == 200
    used = client.api(
        "POST", "/api/v1/accounts/password-reset/confirm", json={"token": token, "password": NEW_PASSWORD}
    )
    assert used.status_code == 400


def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)  # another device
    client.sign_in(user)  # this browser
    wrong = client.post_form("/account/password", {"current_password": "not-my-password", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 422
    assert "The password is wrong." in wrong.text
    assert _session_count(client, user) == 2

    done = client.post_form("/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert done.status_code == 303
    assert _session_count(client, user) == 1
    assert client.get("/account").status_code == 200, "this browser stays signed in"
    client.db.refresh(user)
    assert verify_password(NEW_PASSWORD, user.password_hash)
    assert emails_to(client.db, user.email)[-1].payload == {"template": "password_changed", "language": "en"}


def test_api_change_password(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    client.db.commit()  # a refused API call rolls its transaction back; keep the arranged rows
    bad = client.api(
        "POST", "/api/v1/me/password", json={"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD}
    )
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"field": "current_password", "message": "The password is wrong."}]
    ok = client.api("POST", "/api/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert ok.status_code == 204


def test_changing_the_email_address_waits_for_the_new_address_to_confirm(client: Client) -> None:
    user = make_user(client.db, email="gammel@example.no", language="en")
    client.sign_in(user)
    response = client.post_form("/account/email", {"email": "Ny@Example.no", "password": PASSWORD})
    assert response.status_code == 303
    client.db.refresh(user)
    assert user.email == "gammel@example.no"
    assert user.pending_email == "ny@example.no"
    assert "ny@example.no" in client.get("/account").text

    [notice] = emails_to(client.db, "gammel@example.no")
    assert notice.payload == {"template": "email_changed", "language": "en"}
    assert "ny@example.no" in notice.body
    [confirmation] = emails_to(client.db, "ny@example.no")
    assert confirmation.subject == "Confirm your new email address for Samskap"

    assert client.post_form(link_in(confirmation, "/account/verify/")).status_code == 303
    client.db.refresh(user)
    assert user.email == "ny@example.no"
    assert user.pending_email is None
    assert user.email_verified


def test_an_old_verification_link_stops_working_when_the_email_changes(client: Client) -> None:
    user = make_user(client.db, email="forst@example.no", verified=False, language="en")
    client.sign_in(user)
    client.post_form("/account/verify/resend")
    old_link = link_in(emails_to(client.db, "forst@example.no")[0], "/account/verify/")
    client.post_form("/account/email", {"email": "andre@example.no", "password": PASSWORD})
    client.post_form(link_in(emails_to(client.db, "andre@example.no")[0], "/account/verify/"))
    assert client.post_form(old_link).status_code == 400


def test_changing_the_email_refuses_a_wrong_password_or_a_taken_address(client: Client) -> None:
    make_user(client.db, email="opptatt@example.no")
    user = make_user(client.db, language="en")
    client.sign_in(user)
    wrong = client.post_form("/account/email", {"email": "ledig@example.no", "password": "wrong-password"})
    assert wrong.status_code == 422
    assert 'value="ledig@example.no"' in wrong.text
    taken = client.post_form("/account/email", {"email": "opptatt@example.no", "password": PASSWORD})
    assert taken.status_code == 422
    assert "Another account uses this email address." in taken.text
    client.db.refresh(user)
    assert user.pending_email is None
    assert not client.db.exec(select(OneTimeToken).where(col(OneTimeToken.user_id) == user.id)).all()


def test_api_change_email_and_profile(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    client.db.commit()  # a refused API call rolls its transaction back; keep the arranged rows
    changed = client.api("POST", "/api/v1/me/email", json={"email": "api@example.no", "password": PASSWORD})
    assert changed.status_code == 202
    assert changed.json()["pending_email"] == "api@example.no"
    patched = client.api("PATCH", "/api/v1/me", json={"display_name": "  Nytt Navn ", "language": "sv"})
    assert patched.status_code == 200
    assert patched.json()["display_name"] == "Nytt Navn"
    assert patched.json()["language"] == "sv"
    bad = client.api("PATCH", "/api/v1/me", json={"display_name": ""})
    assert bad.status_code == 422
    assert client.api("PATCH", "/api/v1/me", json={"language": "de"}).status_code == 422


def test_profile_page_changes_name_and_language(client: Client) -> None:
    user = make_user(client.db, language="en")
    client.sign_in(user)
    bad = client.post_form("/account/profile", {"display_name": "x" * 121, "language": "sv"})
    assert bad.status_code == 422
    assert "The name can have at most 120 characters." in bad.text
    response = client.post_form("/account/profile", {"display_name": "Kari Berg", "language": "sv"})
    assert response.status_code == 303
    assert response.cookies.get("samskap_lang") == "sv"
    client.db.refresh(user)
    assert (user.display_name, user.language) == ("Kari Berg", "sv")
