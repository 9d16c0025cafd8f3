"""The development mailbox shows every reset and invitation link, so only a developer's own browser sees it."""

from __future__ import annotations

import pytest

from app.config import Environment, get_settings
from tests.conftest import Client
from tests.factories import make_outbox_message, make_user

RESET_LINK = "http://127.0.0.1:8000/account/reset-password/hemmelig-lenke"


@pytest.fixture
def reset_email(client: Client) -> None:
    make_outbox_message(client.db, recipient="kari@example.no", subject="Nytt passord", body=f"Lenke: {RESET_LINK}")


def test_a_developer_on_the_machine_itself_reads_the_mailbox(
    client: Client, on_a_developers_machine: None, reset_email: None
) -> None:
    client.from_address("127.0.0.1")
    page = client.get("/dev/mail")
    assert page.status_code == 200
    assert RESET_LINK in page.text
    assert 'href="/dev/mail"' in client.get("/").text


def test_a_platform_admin_reads_the_mailbox_from_elsewhere(
    client: Client, on_a_developers_machine: None, reset_email: None
) -> None:
    client.sign_in(make_user(client.db, platform_admin=True))
    assert RESET_LINK in client.get("/dev/mail").text


def test_an_anonymous_visitor_from_elsewhere_neither_reads_nor_sees_a_link(
    client: Client, on_a_developers_machine: None, reset_email: None
) -> None:
    page = client.get("/dev/mail")
    assert page.status_code == 404
    assert RESET_LINK not in page.text
    assert "/dev/mail" not in client.get("/").text


def test_a_signed_in_citizen_from_elsewhere_is_refused(
    client: Client, on_a_developers_machine: None, reset_email: None
) -> None:
    client.sign_in(make_user(client.db))
    assert client.get("/dev/mail").status_code == 404
    assert "/dev/mail" not in client.get("/").text


@pytest.mark.parametrize("environment", [Environment.TEST, Environment.STAGING, Environment.PRODUCTION])
def test_outside_development_the_mailbox_does_not_exist_even_on_the_machine(
    client: Client, monkeypatch: pytest.MonkeyPatch, reset_email: None, environment: Environment
) -> None:
    monkeypatch.setattr(get_settings(), "environment", environment)
    client.from_address("127.0.0.1")
    client.sign_in(make_user(client.db, platform_admin=True))
    assert client.get("/dev/mail").status_code == 404
    assert "/dev/mail" not in client.get("/").text


def test_with_an_smtp_server_the_mailbox_is_closed_because_mail_really_leaves(
    client: Client, on_a_developers_machine: None, monkeypatch: pytest.MonkeyPatch, reset_email: None
) -> None:
    monkeypatch.setattr(get_settings(), "smtp_host", "smtp.example.no")
    client.from_address("127.0.0.1")
    assert client.get("/dev/mail").status_code == 404
