"""The CSRF token belongs to the browser's session: planted tokens fail, and a new one comes at sign-in and out."""

from __future__ import annotations

import re

from app.security import CSRF_COOKIE, SESSION_COOKIE
from tests.conftest import Client
from tests.factories import PASSWORD, make_user


def _token_on(client: Client, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def test_a_cookie_and_token_planted_by_an_attacker_do_not_work_in_a_signed_in_browser(client: Client) -> None:
    # The attacker fetches a page anonymously: a CSRF cookie and the token the page gives with it.
    attacker_nonce = client.cookies.get(CSRF_COOKIE)
    attacker_token = _token_on(client, "/account/sign-in")
    victim = make_user(client.db)
    client.sign_in(victim)
    client.cookies.set(CSRF_COOKIE, attacker_nonce or "")

    planted = client.post("/account/sign-out", data={"csrf_token": attacker_token}, follow_redirects=False)

    assert planted.status_code == 403
    assert client.get("/account", follow_redirects=False).status_code == 200, "the victim is still signed in"


def test_the_token_of_one_session_is_refused_in_another(client: Client) -> None:
    client.sign_in(make_user(client.db))
    first_session_token = _token_on(client, "/account")
    client.sign_in(make_user(client.db))

    refused = client.post("/account/sign-out", data={"csrf_token": first_session_token}, follow_redirects=False)

    assert refused.status_code == 403
    accepted = client.post("/account/sign-out", data={"csrf_token": _token_on(client, "/account")})
    assert accepted.status_code == 200


def test_signing_in_gives_a_new_token_and_the_old_one_stops_working(client: Client) -> None:
    user = make_user(client.db)
    before = _token_on(client, "/account/sign-in")

    signed_in = client.post("/account/sign-in", data={"csrf_token": before, "email": user.email, "password": PASSWORD})

    assert signed_in.status_code == 200
    after = _token_on(client, "/account")
    assert after != before
    stale = client.post("/account/sign-out", data={"csrf_token": before}, follow_redirects=False)
    assert stale.status_code == 403


def test_signing_out_drops_the_session_and_the_csrf_cookie(client: Client) -> None:
    client.cookies.clear()  # a browser that has every cookie from the app itself
    user = make_user(client.db)
    form = {"csrf_token": _token_on(client, "/account/sign-in"), "email": user.email, "password": PASSWORD}
    client.post("/account/sign-in", data=form)
    signed_in_token = _token_on(client, "/account")

    response = client.post("/account/sign-out", data={"csrf_token": signed_in_token}, follow_redirects=False)

    cleared = [h for h in response.headers.get_list("set-cookie") if h.startswith((SESSION_COOKIE, CSRF_COOKIE))]
    assert {h.split("=", 1)[0] for h in cleared} == {SESSION_COOKIE, CSRF_COOKIE}
    assert all("Max-Age=0" in h for h in cleared)
    assert not client.cookies.get(SESSION_COOKIE)
    assert _token_on(client, "/account/sign-in") != signed_in_token
