"""Unfollowing from an email: the link in every follow email stops it without signing in. Opening the link only
asks (mail scanners open links); the button does it. A changed or very old link gets a clear page, not an error."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.challenges.follows import service as follows
from app.challenges.models import Follow
from tests.challenges.conftest import Cast
from tests.challenges.follows.follows_helpers import follow_mail, tick
from tests.conftest import NOW, Client
from tests.factories import make_challenge, make_follow
from tests.mail import link_in

DAY = timedelta(days=1)
EN = {"Accept-Language": "en"}


def following(client: Client) -> list[int]:
    return [follow.challenge_id for follow in client.db.exec(select(Follow)).all()]


def test_a_follower_stops_with_the_link_in_the_email_without_signing_in(client: Client, cast: Cast) -> None:
    sentrum = make_challenge(client.db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel",
                             start=NOW - 10 * DAY - timedelta(hours=1))  # fmt: skip
    other = make_challenge(client.db, cast.halden, slug="annen", title="Annen utfordring")
    make_follow(client.db, cast.citizen, sentrum, created_at=client.clock.now())
    make_follow(client.db, cast.citizen, other, created_at=client.clock.now())
    tick(client.db, client.clock)
    (mail,) = follow_mail(client.db, cast.citizen)
    link = link_in(mail, "/unfollow/")

    asked = client.get(link, headers=EN)
    assert asked.status_code == 200
    assert "Stop following Bærekraftig sentrumshandel?" in asked.text
    assert f'action="{link}"' in asked.text
    assert len(following(client)) == 2  # opening the link changes nothing

    done = client.post_form(link, headers=EN)
    assert done.status_code == 200
    assert "You no longer follow Bærekraftig sentrumshandel" in done.text
    assert following(client) == [other.id]

    # The link used again: still a friendly answer, and nothing else changes.
    again = client.get(link, headers=EN)
    assert again.status_code == 200
    assert "You do not follow Bærekraftig sentrumshandel" in again.text
    assert client.post_form(link, headers=EN).status_code == 200
    assert following(client) == [other.id]


def test_a_changed_link_is_refused_with_a_clear_page(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="sentrum")
    make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    token = follows.unfollow_token(user_id=cast.citizen.id or 0, challenge_id=challenge.id or 0, now=NOW)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    for response in (client.get(f"/unfollow/{tampered}", headers=EN), client.post_form(f"/unfollow/{tampered}",
                                                                                          headers=EN)):  # fmt: skip
        assert response.status_code == 400
        assert "This unfollow link is invalid or too old." in response.text
        assert "Sign in" in response.text
    assert client.get("/unfollow/not-a-token", headers=EN).status_code == 400
    assert len(following(client)) == 1


def test_a_link_from_another_purpose_or_too_old_is_refused(client: Client, cast: Cast) -> None:
    from app.security import sign

    challenge = make_challenge(client.db, cast.halden, slug="sentrum")
    make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    payload = {"uid": cast.citizen.id, "cid": challenge.id, "iat": int(NOW.timestamp())}
    assert client.get(f"/unfollow/{sign(payload, purpose='verify-email')}").status_code == 400
    old = follows.unfollow_token(user_id=cast.citizen.id or 0, challenge_id=challenge.id or 0, now=NOW)
    client.clock.advance(timedelta(days=follows.UNFOLLOW_LINK_DAYS + 1))
    assert client.post_form(f"/unfollow/{old}").status_code == 400
    assert len(following(client)) == 1


def test_the_digest_link_stops_every_follow_at_once(client: Client, cast: Cast) -> None:
    first = make_challenge(client.db, cast.halden, slug="sentrum")
    second = make_challenge(client.db, cast.baerum, slug="unge")
    for challenge in (first, second):
        make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    token = follows.unfollow_token(user_id=cast.citizen.id or 0, challenge_id=follows.ALL_CHALLENGES, now=NOW)

    asked = client.get(f"/unfollow/{token}", headers=EN)
    assert "Stop following all challenges?" in asked.text
    assert "You follow 2 challenges." in asked.text
    done = client.post_form(f"/unfollow/{token}", headers=EN)
    assert "You no longer follow any challenges" in done.text
    assert following(client) == []


def test_a_mail_client_unfollows_with_one_click_without_cookie_or_form_token(client: Client, cast: Cast) -> None:
    """RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click" to the header's link, with no session."""
    challenge = make_challenge(client.db, cast.halden, slug="sentrum")
    make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    token = follows.unfollow_token(user_id=cast.citizen.id or 0, challenge_id=challenge.id or 0, now=NOW)
    client.cookies.clear()

    response = client.post(f"/unfollow/{token}", data={"List-Unsubscribe": "One-Click"}, follow_redirects=False)

    assert response.status_code == 200
    assert following(client) == []


def test_a_one_click_post_with_a_changed_token_changes_nothing(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="sentrum")
    make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    token = follows.unfollow_token(user_id=cast.citizen.id or 0, challenge_id=challenge.id or 0, now=NOW)
    client.cookies.clear()
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    response = client.post(f"/unfollow/{forged}", data={"List-Unsubscribe": "One-Click"}, follow_redirects=False)

    assert response.status_code == 400
    assert len(following(client)) == 1
