"""Signing in with an OpenID Connect provider (a national e-ID, a broker, a staff directory), end to end against a
small provider on 127.0.0.1: the browser leaves with PKCE, state and nonce, comes back with a code, and the ID
token is checked (signature against the provider's keys, rotated or not; issuer, audience, expiry, nonce) before
any account is signed in, linked or made.

Decision for an unverified email claim: the identity is never linked to an account by it. A new account is made
whose address is a placeholder; the claimed address is only its pending address (a confirmation link is sent), and
not even that when another account has the address."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlmodel import select

from app.accounts import oidc
from app.accounts.models import ExternalIdentity, User
from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.config import OidcProvider, get_settings
from app.security import SESSION_COOKIE
from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, LocalProvider, Person, new_key, serve
from tests.challenges.conftest import Cast, at, cast  # noqa: F401  (the cast fixture)
from tests.conftest import Client
from tests.factories import make_user
from tests.mail import emails_to
from tests.voting.conftest import make_vote, vote_url

HIGH = "idporten-loa-high"
REFUSED = "We could not sign you in with that service. Please try again."


@pytest.fixture(scope="session")
def _provider_server() -> Iterator[LocalProvider]:
    yield from serve()


@pytest.fixture
def provider(_provider_server: LocalProvider, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch) -> LocalProvider:
    """The local provider, configured as this installation's only sign-in service ("ID-porten (test)")."""
    _provider_server.reset(now=clock.now)
    configured = OidcProvider(
        id="idporten",
        issuer=_provider_server.url,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        label={"nb": "ID-porten", "sv": "ID-porten", "en": "ID-porten"},
        verified_assurance_values=[HIGH],
        acr_values=HIGH,
        verified_identity_days=90,
    )
    monkeypatch.setattr(get_settings(), "oidc_providers", [configured])
    oidc.forget_providers()
    return _provider_server


def leave_for_the_provider(client: Client) -> httpx.Response:
    """Press "Sign in with ID-porten" and let the provider answer (it signs the person in at once)."""
    start = client.get("/account/sign-in/idporten", follow_redirects=False)
    assert start.status_code == 303, start.text
    answer = httpx.get(start.headers["location"], follow_redirects=False)
    assert answer.status_code == 302, answer.text
    return answer


def come_back(client: Client, answer: httpx.Response) -> httpx.Response:
    back = urlsplit(answer.headers["location"])
    return client.get(f"{back.path}?{back.query}", follow_redirects=False)


def sign_in_with_provider(client: Client) -> httpx.Response:
    return come_back(client, leave_for_the_provider(client))


def signed_in_as(client: Client) -> str:
    """The display name the account page greets, or "" when the browser is signed out."""
    page = client.get("/account", follow_redirects=False)
    return page.text if page.status_code == 200 else ""


def identities_of(client: Client, user: User) -> list[ExternalIdentity]:
    return list(client.db.exec(select(ExternalIdentity).where(ExternalIdentity.user_id == user.id)).all())


def test_the_sign_in_page_offers_no_provider_button_unless_one_is_configured(client: Client) -> None:
    page = client.get("/account/sign-in")
    assert "Sign in with" not in page.text
    assert client.get("/account/sign-in/idporten", follow_redirects=False).status_code == 404


def test_the_sign_in_page_offers_the_configured_provider(client: Client, provider: LocalProvider) -> None:
    page = client.get("/account/sign-in?next=/challenges")
    assert "Sign in with ID-porten" in page.text
    assert 'href="/account/sign-in/idporten?next=/challenges"' in page.text


def test_the_browser_leaves_with_pkce_state_and_nonce(client: Client, provider: LocalProvider) -> None:
    start = client.get("/account/sign-in/idporten", follow_redirects=False)
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 40
    assert len(query["nonce"][0]) >= 40
    assert query["redirect_uri"] == ["http://testserver/account/sign-in/idporten/callback"]
    assert query["acr_values"] == [HIGH]
    cookie = start.headers["set-cookie"]
    assert cookie.startswith(f"{oidc.FLOW_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "Max-Age=600" in cookie


def test_a_first_sign_in_makes_an_account_with_the_verified_email(client: Client, provider: LocalProvider) -> None:
    provider.person = Person(
        subject="pid-1",
        claims={"name": "Ola Nordmann", "email": "Ola@Example.no", "email_verified": True, "acr": "substantial"},
    )
    back = sign_in_with_provider(client)
    assert back.status_code == 303, back.text
    assert back.headers["location"] == "/account"
    assert "Ola Nordmann" in signed_in_as(client)
    user = client.db.exec(select(User).where(User.email == "ola@example.no")).one()
    assert user.email_verified
    assert user.password_hash is None
    assert user.identity_verified_at is None  # "substantial" is not the configured level
    [identity] = identities_of(client, user)
    assert (identity.issuer, identity.subject) == (provider.url, "pid-1")


def test_signing_in_again_signs_in_the_same_account(client: Client, provider: LocalProvider) -> None:
    provider.person = Person(subject="pid-2", claims={"name": "Kari", "email": "kari@example.no"})
    sign_in_with_provider(client)
    client.cookies.delete(SESSION_COOKIE)
    provider.person = Person(subject="pid-2", claims={"name": "Kari", "email": "other@example.no"})
    assert sign_in_with_provider(client).status_code == 303
    assert len(client.db.exec(select(User).where(User.display_name == "Kari")).all()) == 1


def test_a_verified_email_links_the_identity_to_the_existing_account(client: Client, provider: LocalProvider) -> None:
    kari = make_user(client.db, email="kari.nordmann@example.no", display_name="Kari Nordmann")
    provider.person = Person(subject="pid-3", claims={"email": "kari.nordmann@example.no", "email_verified": True})
    assert sign_in_with_provider(client).status_code == 303
    assert "Kari Nordmann" in signed_in_as(client)
    assert [identity.subject for identity in identities_of(client, kari)] == ["pid-3"]


def test_an_unverified_email_claim_never_links_to_an_account(client: Client, provider: LocalProvider) -> None:
    kari = make_user(client.db, email="kari.nordmann@example.no", display_name="Kari Nordmann")
    provider.person = Person(subject="pid-4", claims={"name": "Mallory", "email": "kari.nordmann@example.no"})
    assert sign_in_with_provider(client).status_code == 303
    page = signed_in_as(client)
    assert "Mallory" in page
    assert "Kari Nordmann" not in page
    assert identities_of(client, kari) == []
    mallory = client.db.exec(select(User).where(User.display_name == "Mallory")).one()
    assert mallory.email.endswith("@sign-in.invalid")
    assert not mallory.email_verified
    assert mallory.pending_email is None  # the address is another account's: not even offered
    assert emails_to(client.db, "kari.nordmann@example.no") == []


def test_an_unverified_email_claim_waits_for_its_owner_to_confirm_it(client: Client, provider: LocalProvider) -> None:
    provider.person = Person(subject="pid-5", claims={"name": "Nils", "email": "nils@example.no"})
    assert sign_in_with_provider(client).status_code == 303
    nils = client.db.exec(select(User).where(User.display_name == "Nils")).one()
    assert nils.pending_email == "nils@example.no"
    assert not nils.email_verified
    assert len(emails_to(client.db, "nils@example.no")) == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        pytest.param({"nonce": "not-the-one-sent"}, "nonce is not this sign-in's", id="wrong-nonce"),
        pytest.param({"aud": "another-client"}, "meant for another client", id="wrong-audience"),
        pytest.param({"iss": "https://evil.example"}, "from another issuer", id="another-issuer"),
        pytest.param({"exp": "EXPIRED"}, "has expired", id="expired"),
        pytest.param({"iat": "FUTURE"}, "issued in the future", id="from-the-future"),
        pytest.param({"iat": "LONG AGO", "exp": "LATER"}, "too old", id="issued-long-ago"),
    ],
)
def test_an_id_token_not_meant_for_this_sign_in_is_refused(
    client: Client, provider: LocalProvider, caplog: pytest.LogCaptureFixture, changes: dict[str, object], reason: str
) -> None:
    now = int(client.clock.now().timestamp())
    skew = get_settings().oidc_clock_skew_seconds
    replacements = {"EXPIRED": now - skew - 1, "FUTURE": now + skew + 60, "LONG AGO": now - 3600, "LATER": now + 60}
    provider.id_token_changes = {key: replacements.get(str(value), value) for key, value in changes.items()}
    with caplog.at_level("WARNING", logger="samskap.accounts"):
        back = sign_in_with_provider(client)
    assert back.status_code == 400
    assert reason in caplog.text
    assert REFUSED in back.text
    assert signed_in_as(client) == ""
    assert client.db.exec(select(ExternalIdentity)).all() == []


def test_an_expiry_within_the_clock_skew_is_tolerated(client: Client, provider: LocalProvider) -> None:
    now = int(client.clock.now().timestamp())
    provider.id_token_changes = {"exp": now - 60, "iat": now - 200}
    assert sign_in_with_provider(client).status_code == 303


def test_a_tampered_id_token_is_refused(
    client: Client, provider: LocalProvider, caplog: pytest.LogCaptureFixture
) -> None:
    def swap_the_subject(token: str) -> str:
        header, payload, signature = token.split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "someone-else"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{forged}.{signature}"

    provider.spoil = swap_the_subject
    with caplog.at_level("WARNING", logger="samskap.accounts"):
        back = sign_in_with_provider(client)
    assert back.status_code == 400
    assert REFUSED in back.text
    assert "signature does not verify" in caplog.text
    assert signed_in_as(client) == ""


def test_a_token_signed_by_a_key_the_provider_does_not_publish_is_refused(
    client: Client, provider: LocalProvider
) -> None:
    provider.unpublished_key = new_key("key-1")  # the same kid, another key
    assert sign_in_with_provider(client).status_code == 400
    provider.unpublished_key = new_key("stranger")  # an unknown kid: the keys are fetched again, still unknown
    assert sign_in_with_provider(client).status_code == 400
    assert signed_in_as(client) == ""


def test_rotated_keys_are_fetched_again_once(client: Client, provider: LocalProvider) -> None:
    provider.person = Person(subject="pid-6", claims={"name": "Rita"})
    assert sign_in_with_provider(client).status_code == 303
    assert provider.jwks_fetches == 1
    client.cookies.delete(SESSION_COOKIE)
    provider.rotate_keys("key-2")
    assert sign_in_with_provider(client).status_code == 303
    assert provider.jwks_fetches == 2
    assert "Rita" in signed_in_as(client)


def test_a_replayed_code_and_state_are_refused(
    client: Client, provider: LocalProvider, caplog: pytest.LogCaptureFixture
) -> None:
    provider.person = Person(subject="pid-7", claims={"name": "Per"})
    answer = leave_for_the_provider(client)
    flow_cookie = client.cookies[oidc.FLOW_COOKIE]
    assert come_back(client, answer).status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    # The same answer again in the same browser: the flow is finished (its cookie is gone).
    again = come_back(client, answer)
    assert again.status_code == 400
    assert REFUSED in again.text
    # Even with the flow's cookie put back, the provider does not take the code twice.
    client.cookies.set(oidc.FLOW_COOKIE, flow_cookie)
    with caplog.at_level("WARNING", logger="samskap.accounts"):
        replay = come_back(client, answer)
    assert replay.status_code == 400
    assert REFUSED in replay.text
    assert "invalid_grant" in caplog.text
    assert signed_in_as(client) == ""


def test_an_answer_for_another_browser_is_refused(client: Client, provider: LocalProvider) -> None:
    answer = leave_for_the_provider(client)
    client.cookies.delete(oidc.FLOW_COOKIE)
    client.get("/account/sign-in/idporten", follow_redirects=False)  # this browser's own, newer sign-in
    back = come_back(client, answer)
    assert back.status_code == 400
    assert REFUSED in back.text
    assert client.db.exec(select(ExternalIdentity)).all() == []


def test_a_refusal_at_the_provider_is_shown_calmly(client: Client, provider: LocalProvider) -> None:
    start = client.get("/account/sign-in/idporten", follow_redirects=False)
    state = parse_qs(urlsplit(start.headers["location"]).query)["state"][0]
    back = client.get(f"/account/sign-in/idporten/callback?error=access_denied&state={state}")
    assert back.status_code == 400
    assert "The sign-in was cancelled or refused." in back.text


def test_an_unreachable_provider_is_a_friendly_page(client: Client, provider: LocalProvider) -> None:
    unreachable = get_settings().oidc_providers[0].model_copy(update={"issuer": "http://127.0.0.1:9"})
    get_settings().oidc_providers[0] = unreachable
    oidc.forget_providers()
    page = client.get("/account/sign-in/idporten", follow_redirects=False)
    assert page.status_code == 400
    assert REFUSED in page.text


def test_the_configured_assurance_level_counts_as_a_verified_identity(client: Client, provider: LocalProvider) -> None:
    provider.person = Person(subject="pid-8", claims={"name": "Vera", "acr": HIGH})
    sign_in_with_provider(client)
    vera = client.db.exec(select(User).where(User.display_name == "Vera")).one()
    assert vera.identity_verified_at == client.clock.now()
    assert vera.identity_verified_by == "idporten"
    # A later sign-in at a lower level keeps it until it lapses (90 days in this installation).
    client.cookies.delete(SESSION_COOKIE)
    provider.person = Person(subject="pid-8", claims={"name": "Vera", "acr": "substantial"})
    client.clock.at = client.clock.now() + timedelta(days=30)
    sign_in_with_provider(client)
    assert vera.identity_verified_at is not None
    client.cookies.delete(SESSION_COOKIE)
    client.clock.at = client.clock.now() + timedelta(days=61)
    sign_in_with_provider(client)
    assert vera.identity_verified_at is None
    assert vera.identity_verified_by is None


def test_an_assurance_level_too_low_may_not_cast_a_verified_identity_vote(
    client: Client,
    provider: LocalProvider,
    cast: Cast,  # noqa: F811
) -> None:
    vote = make_vote(client.db, cast, voter_rule="verified-identity")
    client.clock.at = at(Phase.VOTING)
    provider.person = Person(
        subject="pid-9", claims={"name": "Lena", "email": "lena@example.no", "email_verified": True, "acr": "low"}
    )
    sign_in_with_provider(client)
    refused = client.api("PUT", vote_url(vote, vote.concepts[1]), headers={"Accept-Language": "en"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only people who signed in with a national e-ID may vote."
    client.cookies.delete(SESSION_COOKIE)
    provider.person.claims["acr"] = HIGH
    sign_in_with_provider(client)
    assert client.api("PUT", vote_url(vote, vote.concepts[1])).status_code == 200


def test_a_person_without_a_password_downloads_their_identities_and_deletes_the_account(
    client: Client, provider: LocalProvider
) -> None:
    claims = {"name": "Siri Lund", "email": "siri@example.no", "email_verified": True, "acr": HIGH}
    provider.person = Person(subject="pid-9", claims=claims)
    sign_in_with_provider(client)
    user = client.db.exec(select(User).where(User.email == "siri@example.no")).one()
    export = client.get("/account/export").json()
    now = client.clock.now().isoformat()
    identity = {"issuer": provider.url, "subject": "pid-9", "created_at": now, "last_used_at": now}
    assert export["account"]["identities"] == [identity]
    assert export["account"]["profile"]["identity_verified_by"] == "idporten"
    form = client.get("/account/delete").text
    assert "type your email address to confirm" in form

    wrong = client.post_form("/account/delete", {"password": "noen.andre@example.no"})
    assert wrong.status_code == 422
    assert "Type your email address, siri@example.no, to confirm." in wrong.text
    deleted = client.post_form("/account/delete", {"password": " SIRI@example.no "})

    assert deleted.status_code == 303
    assert identities_of(client, user) == [], "the identity goes with the account"
    client.cookies.clear()
    client.get("/account/sign-in")
    assert sign_in_with_provider(client).status_code == 303, "the same person may start afresh"
    assert client.db.exec(select(User).where(User.email == "siri@example.no")).one().id != user.id
