"""Personal data: a follower's download includes what they follow and the news sent to them; deleting the account
removes both."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.challenges.models import Follow, FollowerNotification
from tests.challenges.conftest import Cast
from tests.challenges.follows.follows_helpers import tick
from tests.conftest import NOW, Client
from tests.factories import PASSWORD, make_challenge, make_follow, make_user

DAY = timedelta(days=1)


def test_my_data_lists_what_i_follow_and_the_news_i_was_sent(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel",
                               start=NOW - 10 * DAY - timedelta(hours=1))  # fmt: skip
    make_follow(client.db, cast.citizen, challenge, created_at=client.clock.now())
    tick(client.db, client.clock)
    client.sign_in(cast.citizen)

    export = client.api("GET", "/api/v1/me/export").json()
    assert export["account"]["profile"]["email_frequency"] == "immediate"
    assert export["follows"]["challenges"] == [
        {"challenge": "sentrum", "title": "Bærekraftig sentrumshandel", "since": NOW.isoformat()}
    ]
    (notification,) = export["follows"]["notifications"]
    assert notification["kind"] == "opened"
    assert notification["sent_at"] == NOW.isoformat()


def test_deleting_my_account_removes_my_follows_and_waiting_news(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="sentrum", start=NOW - 10 * DAY - timedelta(hours=1))
    other = make_user(client.db)
    for user in (cast.citizen, other):
        make_follow(client.db, user, challenge, created_at=client.clock.now())
    from app.challenges.follows import service as follows

    follows.record_due_notices(client.db, now=client.clock.now())  # news waiting, not sent yet
    client.sign_in(cast.citizen)

    assert client.api("POST", "/api/v1/me/delete", json={"password": PASSWORD}).status_code == 204
    left = client.db.exec(select(Follow.user_id)).all()
    assert left == [other.id]
    assert client.db.exec(select(FollowerNotification.user_id)).all() == [other.id]
