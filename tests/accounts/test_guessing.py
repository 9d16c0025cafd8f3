"""A signed-in session cannot be used to guess the account's password, and emails keep clean headers."""

from __future__ import annotations

from app.integrations import outbox
from tests.conftest import Client
from tests.factories import PASSWORD, make_user


def test_guessing_the_current_password_is_rate_limited(client: Client) -> None:
    user = make_user(client.db)
    client.sign_in(user)
    for attempt in range(10):
        wrong = client.api("POST", "/api/v1/me/password", json={"current_password": f"gjetning-{attempt:04d}",
                                                               "new_password": "helt-nytt-passord-1"})  # fmt: skip
        assert wrong.status_code == 422
    refused = client.api("POST", "/api/v1/me/password", json={"current_password": PASSWORD,
                                                              "new_password": "helt-nytt-passord-1"})  # fmt: skip
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1


def test_a_line_break_never_reaches_an_email_subject(client: Client) -> None:
    message = outbox.enqueue_email(
        client.db, to="kari@example.no", template="invitation", language="en",
        context={"organization": type("Org", (), {"name": "Halden\r kommune"})(), "inviter": "Eva", "role": "editor",
                 "link": "http://testserver/invitations/x", "expires_at": None},
    )  # fmt: skip
    assert "\r" not in message.subject
    assert "\n" not in message.subject
