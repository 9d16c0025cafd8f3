"""Following on the pages: the button on a challenge's page for each visitor, following and stopping without
JavaScript, the account page's list of followed challenges, and the choice between single emails and a digest."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.accounts.models import EmailFrequency
from app.challenges.models import Follow
from tests.challenges.conftest import Cast
from tests.conftest import NOW, Client
from tests.factories import make_challenge, make_follow, make_user

DAY = timedelta(days=1)
EN = {"Accept-Language": "en"}


def test_an_anonymous_visitor_is_invited_to_sign_in_to_follow(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum", start=NOW - 20 * DAY)
    page = client.get("/challenges/sentrum", headers=EN)
    assert "Sign in to follow" in page.text
    assert 'href="/account/sign-in?next=/challenges/sentrum%23follow"' in page.text
    assert 'action="/challenges/sentrum/follow"' not in page.text


def test_a_citizen_follows_from_the_challenge_page_and_stops_again(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel", start=NOW - 20 * DAY)
    client.sign_in(cast.citizen)
    page = client.get("/challenges/sentrum", headers=EN)
    assert 'action="/challenges/sentrum/follow"' in page.text

    followed = client.post_form("/challenges/sentrum/follow", headers=EN)
    assert followed.status_code == 303
    assert followed.headers["location"] == "/challenges/sentrum#follow"
    after = client.get("/challenges/sentrum", headers=EN)
    assert "You follow Bærekraftig sentrumshandel." in after.text  # the flash message
    assert 'action="/challenges/sentrum/unfollow"' in after.text
    assert client.db.exec(select(Follow).where(Follow.user_id == cast.citizen.id)).one()

    stopped = client.post_form("/challenges/sentrum/unfollow", headers=EN)
    assert stopped.status_code == 303
    assert "You no longer follow Bærekraftig sentrumshandel." in client.get("/challenges/sentrum", headers=EN).text
    assert client.db.exec(select(Follow)).all() == []


def test_the_follow_form_needs_its_csrf_token(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum")
    client.sign_in(cast.citizen)
    assert client.post("/challenges/sentrum/follow", data={}, follow_redirects=False).status_code == 403
    assert client.db.exec(select(Follow)).all() == []


def test_an_unconfirmed_citizen_is_told_to_confirm_first(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum")
    client.sign_in(make_user(client.db, verified=False))
    page = client.get("/challenges/sentrum", headers=EN)
    assert "Confirm your email address to follow challenges" in page.text
    refused = client.post_form("/challenges/sentrum/follow", headers=EN)
    assert refused.status_code == 303
    assert "Confirm your email address first" in client.get("/challenges/sentrum", headers=EN).text
    assert client.db.exec(select(Follow)).all() == []


def test_drafts_are_not_found_and_cancelled_challenges_offer_no_follow(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="kladd", status="draft")
    make_challenge(client.db, cast.halden, slug="avlyst", status="cancelled", cancel_reason="Ingen midler.")
    client.sign_in(cast.citizen)
    assert client.post_form("/challenges/kladd/follow", headers=EN).status_code == 404
    assert 'id="follow"' not in client.get("/challenges/avlyst").text
    refused = client.post_form("/challenges/avlyst/follow", headers=EN)
    assert refused.status_code == 303
    assert "cancelled" in client.get("/challenges/avlyst", headers=EN).text
    assert client.db.exec(select(Follow)).all() == []


def test_a_follower_of_a_challenge_that_is_cancelled_can_still_stop(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="avlyst", start=NOW - 20 * DAY)
    make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    challenge.status = "cancelled"
    client.db.add(challenge)
    client.sign_in(cast.citizen)
    assert 'action="/challenges/avlyst/unfollow"' in client.get("/challenges/avlyst").text
    assert client.post_form("/challenges/avlyst/unfollow", headers=EN).status_code == 303
    assert client.db.exec(select(Follow)).all() == []


def test_the_account_page_lists_what_i_follow_and_lets_me_stop(client: Client, cast: Cast) -> None:
    sentrum = make_challenge(client.db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel")
    mobility = make_challenge(client.db, cast.stavanger, slug="mobilitet", title="Smartere mobilitet")
    make_challenge(client.db, cast.baerum, slug="unge", title="Flere unge i jobb")
    make_follow(client.db, cast.citizen, sentrum, created_at=client.clock.now())
    client.clock.advance(DAY)
    make_follow(client.db, cast.citizen, mobility, created_at=client.clock.now())
    client.sign_in(cast.citizen)

    account = client.get("/account", headers=EN).text
    section = account[account.index('id="follows"') :]
    assert section.index("Smartere mobilitet") < section.index("Bærekraftig sentrumshandel")  # newest first
    assert "Flere unge i jobb" not in section
    assert 'Stop following<span class="ds-sr-only"> – Smartere mobilitet</span>' in section

    stopped = client.post_form("/challenges/mobilitet/unfollow", {"next": "/account#follows"}, headers=EN)
    assert stopped.headers["location"] == "/account#follows"
    assert "Smartere mobilitet" not in client.get("/account", headers=EN).text.split('id="follows"')[1]


def test_an_account_without_follows_explains_how_to_follow(client: Client, cast: Cast) -> None:
    client.sign_in(cast.citizen)
    assert "You do not follow any challenges yet." in client.get("/account", headers=EN).text


def test_a_citizen_switches_to_a_daily_digest_and_back(client: Client, cast: Cast) -> None:
    client.sign_in(cast.citizen)
    page = client.get("/account", headers=EN).text
    assert 'value="immediate" checked' in page

    saved = client.post_form("/account/email-frequency", {"email_frequency": "daily"}, headers=EN)
    assert saved.status_code == 303
    assert saved.headers["location"] == "/account#follows"
    client.db.refresh(cast.citizen)
    assert cast.citizen.email_frequency == EmailFrequency.DAILY
    page = client.get("/account", headers=EN).text
    assert "now comes in one email a day" in page
    assert 'value="daily" checked' in page

    assert client.post_form("/account/email-frequency", {"email_frequency": "weekly"}, headers=EN).status_code == 422
    client.db.refresh(cast.citizen)
    assert cast.citizen.email_frequency == EmailFrequency.DAILY
    client.post_form("/account/email-frequency", {"email_frequency": "immediate"}, headers=EN)
    client.db.refresh(cast.citizen)
    assert cast.citizen.email_frequency == EmailFrequency.IMMEDIATE
