"""Guessing a password: every spelling of an address counts against one account, and each failure past the free
ones doubles the wait. Through real HTTP, with the limiter's clock moved instead of waiting."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tests.accounts.conftest import emails_to
from tests.conftest import Client
from tests.factories import PASSWORD, make_user

# One account, spelt as an attacker would to get a fresh counter each time.
SPELLINGS = [
    "kari@example.no",
    "KARI@Example.NO",
    "ｋａｒｉ@example.no",
    "kari@example。no",
    " Kari@ＥＸＡＭＰＬＥ.no ",
]


@pytest.fixture
def move_time(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Moves the clock the rate limits read (wall time) forward by so many seconds."""
    offset = [0.0]
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + offset[0])

    def move(seconds: float) -> None:
        offset[0] += seconds

    return move


def _sign_in(client: Client, email: str, password: str, *, address: str) -> int:
    client.from_address(address)
    return int(client.post_form("/account/sign-in", {"email": email, "password": password}).status_code)


def test_every_spelling_of_an_address_counts_against_the_same_account(client: Client) -> None:
    make_user(client.db, email="kari@example.no")
    for n in range(10):
        assert _sign_in(client, SPELLINGS[n % len(SPELLINGS)], "gjetning-0000", address=f"10.0.0.{n}") == 422

    refused = _sign_in(client, "ＫＡＲＩ@example。no", PASSWORD, address="10.0.1.1")

    assert refused == 429, "the eleventh guess waits, however the address is written and wherever it comes from"


def test_each_failure_past_the_free_ones_doubles_the_wait(client: Client, move_time: Callable[[float], None]) -> None:
    make_user(client.db, email="kari@example.no")
    for n in range(10):
        assert _sign_in(client, SPELLINGS[n % len(SPELLINGS)], "gjetning-0000", address=f"10.0.0.{n}") == 422
    move_time(21)  # the 20-second window has passed; the back-off of the tenth failure (1 s) too

    waits = []
    for n in range(3):
        assert _sign_in(client, "kari@example.no", f"gjetning-{n:04d}", address=f"10.0.2.{n}") == 422
        client.from_address(f"10.0.3.{n}")
        waiting = client.post_form("/account/sign-in", {"email": "KARI@example.no", "password": PASSWORD})
        assert waiting.status_code == 429, "even the right password waits"
        waits.append(int(waiting.headers["retry-after"]))
        move_time(waits[-1])
    assert waits == [2, 4, 8]

    move_time(21)
    assert _sign_in(client, "kari@example.no", PASSWORD, address="10.0.4.1") == 303
    assert _sign_in(client, "kari@example.no", "gjetning-9999", address="10.0.4.2") == 422, "success forgot them"
    assert _sign_in(client, "kari@example.no", PASSWORD, address="10.0.4.3") == 303


def test_a_stranger_failing_on_one_account_does_not_slow_another(client: Client) -> None:
    make_user(client.db, email="kari@example.no")
    ola = make_user(client.db, email="ola@example.no")
    for n in range(10):
        _sign_in(client, "kari@example.no", "gjetning-0000", address=f"10.0.0.{n}")
    assert _sign_in(client, ola.email, PASSWORD, address="10.0.5.1") == 303


def test_reset_requests_count_every_spelling_of_an_address_together(client: Client) -> None:
    user = make_user(client.db, email="kari@example.no")
    for n in range(10):
        client.from_address(f"10.0.0.{n}")
        assert client.post_form("/account/forgot-password", {"email": SPELLINGS[n % len(SPELLINGS)]}).status_code == 200
    client.from_address("10.0.1.1")
    assert client.post_form("/account/forgot-password", {"email": "ｋａｒｉ@example。no"}).status_code == 429
    assert len(emails_to(client.db, user.email)) == 5, "and the account's own limit sent five of the ten"


def test_an_account_gets_at_most_five_reset_emails_an_hour_and_the_answer_does_not_change(client: Client) -> None:
    user = make_user(client.db, email="kari@example.no")
    answers = set()
    for n in range(8):
        client.from_address(f"10.0.0.{n}")
        answers.add(client.post_form("/account/forgot-password", {"email": user.email}).status_code)
    assert answers == {200}
    assert len(emails_to(client.db, user.email)) == 5
