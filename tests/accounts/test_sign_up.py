"""Signing up, confirming the email address and the first sign-in, through the pages and the API."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import func, select

from app.accounts.models import User
from app.integrations.models import OutboxMessage
from app.security import LANGUAGE_COOKIE, SESSION_COOKIE, verify_password
from tests.accounts.conftest import emails_to, link_in
from tests.conftest import Client
from tests.factories import make_user

PASSWORD = "et-langt-nok-passord"


def _users(client: Client) -> int:
    return client.db.exec(select(func.count()).select_from(User)).one()


def test_a_citizen_signs_up_confirms_the_address_and_signs_in(client: Client) -> None:
    form = {"display_name": "Ingrid Hansen", "email": " Ingrid@Example.NO ", "password": PASSWORD, "language": "en"}
    response = client.post_form("/account/sign-up", form)
    assert response.status_code == 200
    assert "We have sent an email to Ingrid@Example.NO" in response.text
    assert not response.cookies.get(SESSION_COOKIE), "signed in only after the address is confirmed"

    user = client.db.exec(select(User).where(User.email == "ingrid@example.no")).one()
    assert user.display_name == "Ingrid Hansen"
    assert user.email_verified_at is None
    assert user.password_hash != PASSWORD
    assert verify_password(PASSWORD, user.password_hash)

    [email] = emails_to(client.db, "ingrid@example.no")
    assert email.payload == {"template": "verify_email", "language": "en"}
    assert email.subject == "Confirm your email address for Samskap"
    link = link_in(email, "/account/verify/")

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "Confirm email address" in confirm_page.text
    client.db.refresh(user)
    assert user.email_verified_at is None, "opening the link alone (a mail scanner) does not confirm"

    confirmed = client.post_form(link)
    assert confirmed.status_code == 303
    assert confirmed.headers["location"] == "/account/sign-in"
    client.db.refresh(user)
    assert user.email_verified_at == client.clock.now()

    signed_in = client.post_form("/account/sign-in", {"email": "ingrid@example.no", "password": PASSWORD})
    assert signed_in.status_code == 303
    assert signed_in.cookies.get(LANGUAGE_COOKIE) == "en"
    account = client.get("/account").text
    assert "Ingrid Hansen" in account
    assert "Please confirm your email address" not in account


def test_the_verification_email_is_written_in_the_chosen_language(client: Client) -> None:
    client.post_form("/account/sign-up", {"display_name": "Sven", "email": "sven@example.se", "password": PASSWORD,
                                          "language": "sv"})  # fmt: skip
    [email] = emails_to(client.db, "sven@example.se")
    assert email.payload == {"template": "verify_email", "language": "sv"}
    assert client.db.exec(select(User).where(User.email == "sven@example.se")).one().language == "sv"


def test_sign_up_with_bad_input_shows_messages_keeps_what_was_typed_and_stores_nothing(client: Client) -> None:
    before = _users(client)
    page = client.post_form(
        "/account/sign-up", {"display_name": "", "email": "not-an-email", "password": "short", "language": "en"}
    )
    assert page.status_code == 422
    assert "Please correct the following" in page.text
    assert "Enter a valid email address" in page.text
    assert "at least 10 characters" in page.text
    assert "Enter the name others will see." in page.text
    assert 'value="not-an-email"' in page.text
    assert 'value="short"' not in page.text, "a password is never filled in again"
    assert 'required aria-invalid="true" aria-describedby="field-email-error"' in page.text
    assert _users(client) == before
    assert not client.db.exec(select(OutboxMessage)).all()


def test_sign_up_with_a_taken_address_answers_as_for_a_new_one_and_tells_the_owner(client: Client) -> None:
    owner = make_user(client.db, email="kari@example.no", display_name="Kari Eier", language="en")
    form = {"display_name": "Kari", "password": PASSWORD, "language": "en"}
    taken = client.post_form("/account/sign-up", {**form, "email": "KARI@example.no"})
    new = client.post_form("/account/sign-up", {**form, "email": "KARI@example.net"})

    assert taken.status_code == new.status_code == 200
    assert taken.text.replace("KARI@example.no", "ADDRESS") == new.text.replace("KARI@example.net", "ADDRESS")
    assert not taken.cookies.get(SESSION_COOKIE)
    assert client.db.exec(select(func.count()).select_from(User).where(User.email == "kari@example.no")).one() == 1
    client.db.refresh(owner)
    assert owner.display_name == "Kari Eier", "the stranger's name does not replace the owner's"
    assert not verify_password(PASSWORD, owner.password_hash), "nor does their password"
    [notice] = emails_to(client.db, "kari@example.no")
    assert notice.payload == {"template": "account_exists", "language": "en"}
    assert "/account/forgot-password" in notice.body


def test_the_api_answers_a_taken_address_like_a_new_one(client: Client) -> None:
    make_user(client.db, email="kari@example.no")
    body = {"display_name": "Kari", "password": PASSWORD, "language": "en"}
    taken = client.api("POST", "/api/v1/accounts", json={**body, "email": "kari@example.no"})
    new = client.api("POST", "/api/v1/accounts", json={**body, "email": "kari@example.net"})
    assert taken.status_code == new.status_code == 202
    assert taken.json() == new.json()


def test_the_owner_of_a_taken_address_gets_a_few_notices_not_a_flood(client: Client) -> None:
    make_user(client.db, email="kari@example.no")
    form = {"display_name": "Kari", "email": "kari@example.no", "password": PASSWORD, "language": "en"}
    for _attempt in range(8):
        assert client.post_form("/account/sign-up", form).status_code == 200
    assert len(emails_to(client.db, "kari@example.no")) == 5


def test_sign_up_page_is_in_the_language_of_the_browser(client: Client) -> None:
    page = client.get("/account/sign-up")
    assert page.status_code == 200
    assert 'name="csrf_token"' in page.text
    assert '<option value="en" selected>' in page.text


def test_a_verification_link_expires(client: Client) -> None:
    client.post_form("/account/sign-up", {"display_name": "Ola", "email": "ola@example.no", "password": PASSWORD,
                                          "language": "en"})  # fmt: skip
    link = link_in(emails_to(client.db, "ola@example.no")[0], "/account/verify/")
    client.clock.advance(timedelta(hours=49))
    page = client.post_form(link)
    assert page.status_code == 400
    assert "invalid or has expired" in page.text
    assert client.db.exec(select(User).where(User.email == "ola@example.no")).one().email_verified_at is None


def test_a_tampered_verification_link_is_refused(client: Client) -> None:
    page = client.post_form("/account/verify/not-a-real-token")
    assert page.status_code == 400
    assert "The link does not work" in page.text


def test_resending_the_verification_link(client: Client) -> None:
    user = make_user(client.db, verified=False, language="en")
    client.sign_in(user)
    response = client.post_form("/account/verify/resend")
    assert response.status_code == 303
    [email] = emails_to(client.db, user.email)
    client.post_form(link_in(email, "/account/verify/"))
    client.db.refresh(user)
    assert user.email_verified


def test_api_sign_up_then_verify(client: Client) -> None:
    response = client.api(
        "POST", "/api/v1/accounts",
        json={"email": "Anna@Example.no", "password": PASSWORD, "display_name": "Anna", "language": "sv"},
    )  # fmt: skip
    assert response.status_code == 202
    assert "confirm" in response.json()["detail"]
    assert "password" not in response.text
    assert client.db.exec(select(User).where(User.email == "anna@example.no")).one().email_verified_at is None

    token = link_in(emails_to(client.db, "anna@example.no")[0], "/account/verify/").rsplit("/", 1)[1]
    verified = client.api("POST", "/api/v1/accounts/verify", json={"token": token})
    assert verified.status_code == 200
    assert verified.json()["email_verified"] is True
    again = client.api("POST", "/api/v1/accounts/verify", json={"token": token})
    assert again.status_code == 200, "verifying twice is harmless"


def test_api_sign_up_with_bad_input_is_problem_json_and_stores_nothing(client: Client) -> None:
    before = _users(client)
    response = client.api(
        "POST", "/api/v1/accounts", json={"email": "nope", "password": "x", "display_name": "A", "language": "en"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "/problems/validation-failed"
    assert {error["field"] for error in problem["errors"]} == {"email", "password"}
    assert _users(client) == before


def test_api_rejects_unknown_fields(client: Client) -> None:
    response = client.api(
        "POST", "/api/v1/accounts",
        json={"email": "a@example.no", "password": PASSWORD, "display_name": "A", "is_platform_admin": True},
    )  # fmt: skip
    assert response.status_code == 422
    assert any(error["field"] == "is_platform_admin" for error in response.json()["errors"])


def test_api_verify_with_a_bad_token_is_problem_json(client: Client) -> None:
    response = client.api("POST", "/api/v1/accounts/verify", json={"token": "forged"})
    assert response.status_code == 400
    assert response.json()["type"] == "/problems/invalid-link"


def test_password_reset_requests_are_limited(client: Client) -> None:
    for _attempt in range(10):
        assert client.api("POST", "/api/v1/accounts/password-reset", json={"email": "a@example.no"}).status_code == 202
    refused = client.api("POST", "/api/v1/accounts/password-reset", json={"email": "a@example.no"})
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert int(refused.headers["retry-after"]) >= 1


def test_a_nul_character_in_a_form_or_the_api_is_refused_never_a_server_error(client: Client) -> None:
    # PostgreSQL cannot store NUL in text; SQLite can, so there it may be accepted, but never a 500 anywhere.
    form = {"display_name": "Ing\x00rid", "email": "ingrid@example.no", "password": PASSWORD, "language": "en"}
    assert client.post_form("/account/sign-up", form).status_code in (200, 400)
    client.sign_in(make_user(client.db))
    assert client.post_form("/account/profile", {"display_name": "Kari\x00", "language": "en"}).status_code in (
        303,
        400,
    )
    assert client.post_form("/account/tokens", {"name": "laptop\x00"}).status_code in (200, 400)
    api = client.api("PATCH", "/api/v1/me", json={"display_name": "Kari\x00"})
    assert api.status_code in (200, 400)
    assert api.status_code == 200 or api.headers["content-type"] == "application/problem+json"
