"""Every state-changing API call counts against its caller, so one client cannot flood the service."""

from __future__ import annotations

import pytest

from app import ratelimit
from tests.conftest import Client
from tests.factories import make_user


@pytest.fixture
def three_writes_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "API_WRITE", "3/minute")


@pytest.mark.usefixtures("three_writes_a_minute")
def test_a_user_over_the_write_limit_gets_429_with_retry_after_and_nothing_changes(client: Client) -> None:
    user = make_user(client.db, display_name="Kari")
    client.sign_in(user)
    for name in ("Kari A", "Kari B", "Kari C"):
        assert client.api("PATCH", "/api/v1/me", json={"display_name": name}).status_code == 200

    refused = client.api("PATCH", "/api/v1/me", json={"display_name": "Kari D"})

    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    client.db.refresh(user)
    assert user.display_name == "Kari C"


@pytest.mark.usefixtures("three_writes_a_minute")
def test_reads_are_not_counted_and_each_user_has_their_own_count(client: Client) -> None:
    kari, ola = make_user(client.db), make_user(client.db)
    client.sign_in(kari)
    for _ in range(5):
        assert client.api("GET", "/api/v1/me").status_code == 200
    for _ in range(3):
        assert client.api("PATCH", "/api/v1/me", json={"language": "sv"}).status_code == 200
    assert client.api("PATCH", "/api/v1/me", json={"language": "en"}).status_code == 429

    client.sign_in(ola)
    assert client.api("PATCH", "/api/v1/me", json={"language": "en"}).status_code == 200


@pytest.mark.usefixtures("three_writes_a_minute")
def test_anonymous_writes_are_counted_by_address(client: Client) -> None:
    # Password resets have their own, looser limit (10 in 20 s), so the fourth call meets the API write limit.
    for email in ("kari@example.no", "ola@example.no", "per@example.no"):
        assert client.api("POST", "/api/v1/accounts/password-reset", json={"email": email}).status_code == 202
    response = client.api("POST", "/api/v1/accounts/password-reset", json={"email": "liv@example.no"})
    assert response.status_code == 429
