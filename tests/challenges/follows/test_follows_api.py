"""Following through the API: a citizen follows and unfollows a challenge, lists what they follow, and picks how
the news is emailed; drafts, cancelled challenges and unconfirmed addresses are refused with a clear problem."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from app.challenges.models import Follow
from app.errors import PROBLEM_JSON
from tests.challenges.conftest import Cast
from tests.conftest import NOW, Client
from tests.factories import make_challenge, make_user

DAY = timedelta(days=1)


def test_a_citizen_follows_a_challenge_lists_it_and_stops(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel", start=NOW - 20 * DAY)
    client.sign_in(cast.citizen)

    first = client.api("PUT", "/api/v1/challenges/sentrum/follow")
    assert first.status_code == 201, first.text
    assert first.json()["challenge"] == "sentrum"
    assert first.json()["phase"] == "open"
    again = client.api("PUT", "/api/v1/challenges/sentrum/follow")
    assert again.status_code == 200  # following twice changes nothing
    assert len(client.db.exec(select(Follow).where(Follow.user_id == cast.citizen.id)).all()) == 1

    listed = client.api("GET", "/api/v1/me/follows").json()
    assert [item["title"] for item in listed] == ["Bærekraftig sentrumshandel"]
    assert listed[0]["url"] == "/api/v1/challenges/sentrum"

    assert client.api("DELETE", "/api/v1/challenges/sentrum/follow").status_code == 204
    assert client.api("GET", "/api/v1/me/follows").json() == []
    assert client.api("DELETE", "/api/v1/challenges/sentrum/follow").status_code == 204  # stopping twice: fine


def test_an_anonymous_caller_must_sign_in(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum")
    response = client.api("PUT", "/api/v1/challenges/sentrum/follow")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON


def test_a_draft_is_not_found_and_a_cancelled_challenge_cannot_be_followed(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="kladd", status="draft")
    make_challenge(client.db, cast.halden, slug="avlyst", status="cancelled", cancel_reason="Ingen midler.")
    client.sign_in(cast.citizen)

    draft = client.api("PUT", "/api/v1/challenges/kladd/follow")
    assert draft.status_code == 404
    assert draft.headers["content-type"] == PROBLEM_JSON
    cancelled = client.api("PUT", "/api/v1/challenges/avlyst/follow", headers={"Accept-Language": "en"})
    assert cancelled.status_code == 409
    assert cancelled.json()["type"] == "/problems/conflict"
    assert "cancelled" in cancelled.json()["detail"]
    # The host sees its own draft, but a draft has no news to follow yet.
    client.sign_in(cast.halden_editor)
    assert client.api("PUT", "/api/v1/challenges/kladd/follow").status_code == 409
    assert client.db.exec(select(Follow)).all() == []


def test_an_unconfirmed_address_cannot_follow(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum")
    client.sign_in(make_user(client.db, verified=False))
    response = client.api("PUT", "/api/v1/challenges/sentrum/follow", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "Confirm your email address" in response.json()["detail"]


def test_a_citizen_chooses_a_daily_digest_on_their_account(client: Client, cast: Cast) -> None:
    client.sign_in(cast.citizen)
    assert client.api("GET", "/api/v1/me").json()["email_frequency"] == "immediate"
    changed = client.api("PATCH", "/api/v1/me", json={"email_frequency": "daily"})
    assert changed.status_code == 200
    assert changed.json()["email_frequency"] == "daily"
    refused = client.api("PATCH", "/api/v1/me", json={"email_frequency": "hourly"})
    assert refused.status_code == 422
    assert refused.headers["content-type"] == PROBLEM_JSON
    unknown = client.api("PATCH", "/api/v1/me", json={"email_frequncy": "daily"})
    assert unknown.status_code == 422


def test_the_follow_operations_are_documented(client: Client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    put = spec["paths"]["/api/v1/challenges/{slug}/follow"]["put"]
    assert put["summary"] == "Follow a challenge"
    assert {"201", "404", "409"} <= set(put["responses"])
    assert PROBLEM_JSON in put["responses"]["409"]["content"]
    assert spec["paths"]["/api/v1/challenges/{slug}/follow"]["delete"]["summary"] == "Stop following a challenge"
    assert spec["paths"]["/api/v1/me/follows"]["get"]["summary"] == "The challenges you follow"
    assert "email_frequency" in spec["components"]["schemas"]["UserUpdate"]["properties"]
