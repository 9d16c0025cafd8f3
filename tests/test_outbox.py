"""The outbox: emails are queued in the caller's transaction, rendered in the recipient's language, sent by the
worker, and retried with back-off when the mail server fails."""

from __future__ import annotations

import logging
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlmodel import Session, col, select

from app import i18n
from app.config import get_settings
from app.integrations import outbox, sender
from app.integrations.models import OutboxMessage, OutboxStatus
from app.templating import templates
from tests.conftest import NOW

# A template made for these tests from messages the catalogues already translate (no new strings to translate).
TEST_TEMPLATE = """{{ _("Language changed.") }}

{{ _("Please sign in") }}, {{ name }}.
"""


@pytest.fixture(autouse=True)
def _test_template(monkeypatch: pytest.MonkeyPatch) -> None:
    loader = ChoiceLoader([DictLoader({"emails/outbox_test.txt": TEST_TEMPLATE}), templates.loader])  # type: ignore[list-item]
    monkeypatch.setattr(templates, "loader", loader)


def translated(message: str, language: str) -> str:
    with i18n.language(language):
        return i18n.gettext(message)


def queue(db: Session, *, to: str = "nora.dahl@example.org", language: str = "nb") -> OutboxMessage:
    return outbox.enqueue_email(db, to=to, template="outbox_test", language=language, context={"name": "Nora"}, now=NOW)


def pending(db: Session) -> list[OutboxMessage]:
    return list(db.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING)).all())


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_an_email_is_rendered_in_the_recipients_language(db: Session, language: str) -> None:
    message = queue(db, language=language)
    assert message.subject == translated("Language changed.", language)
    assert "\n" not in message.subject
    assert message.body == f"{translated('Please sign in', language)}, Nora.\n"
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    assert message.next_attempt_at == NOW
    assert message.payload == {"template": "outbox_test", "language": language}


def test_the_languages_really_differ() -> None:
    assert len({translated("Language changed.", language) for language in ("nb", "sv", "en")}) == 3


def test_the_rendering_language_does_not_leak_into_the_request(db: Session) -> None:
    i18n.set_language("sv")
    queue(db, language="en")
    assert i18n.current_language() == "sv"


def test_the_worker_sends_what_is_due_and_logs_it_without_smtp(db: Session, caplog: pytest.LogCaptureFixture) -> None:
    assert not get_settings().smtp_host
    message = queue(db)
    # The app's logging stops "samskap" logs at their own handler, so listen on the sender's logger itself.
    sender.logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="samskap.outbox"):
            assert sender.send_due(db, now=NOW) == 1
    finally:
        sender.logger.removeHandler(caplog.handler)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at == NOW
    assert message.attempts == 1
    assert any(message.subject in record.getMessage() for record in caplog.records)
    assert sender.send_due(db, now=NOW + timedelta(hours=1)) == 0  # sent once only


def test_a_message_not_yet_due_waits(db: Session) -> None:
    message = queue(db)
    message.next_attempt_at = NOW + timedelta(minutes=5)
    db.flush()
    assert sender.send_due(db, now=NOW) == 0
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    assert sender.send_due(db, now=NOW + timedelta(minutes=5)) == 1


def test_messages_go_out_oldest_first_in_batches(db: Session) -> None:
    messages = [queue(db, to=f"innbygger{n}@example.org") for n in range(5)]
    assert sender.send_due(db, now=NOW, batch=2) == 2
    assert [m.status for m in messages] == [OutboxStatus.SENT] * 2 + [OutboxStatus.PENDING] * 3


class FakeSMTP:
    """Stands in for smtplib.SMTP and remembers what it was asked to do."""

    sent: list[EmailMessage] = []
    calls: list[str] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.calls.append(f"connect {host}:{port}")

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *exc: object) -> None:
        self.calls.append("quit")

    def starttls(self) -> None:
        self.calls.append("starttls")

    def login(self, username: str, password: str) -> None:
        self.calls.append(f"login {username}")

    def send_message(self, email: EmailMessage) -> None:
        self.sent.append(email)


@pytest.fixture
def smtp_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings with a mail server, for the sender only."""
    settings = get_settings().model_copy(
        update={"smtp_host": "smtp.example.org", "smtp_port": 587, "smtp_username": "samskap", "smtp_password": "pw"}
    )
    monkeypatch.setattr(sender, "get_settings", lambda: settings)


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch, smtp_settings: None) -> type[FakeSMTP]:
    FakeSMTP.sent, FakeSMTP.calls = [], []
    monkeypatch.setattr(sender.smtplib, "SMTP", FakeSMTP)
    return FakeSMTP


def test_with_smtp_the_email_goes_through_starttls_and_login(db: Session, fake_smtp: type[FakeSMTP]) -> None:
    message = queue(db, to="sofia.lindqvist@helsingborg.example", language="sv")
    assert sender.send_due(db, now=NOW) == 1
    assert fake_smtp.calls == ["connect smtp.example.org:587", "starttls", "login samskap", "quit"]
    (email,) = fake_smtp.sent
    assert email["To"] == "sofia.lindqvist@helsingborg.example"
    assert email["Subject"] == translated("Language changed.", "sv")
    assert email["Message-ID"] == f"<outbox-{message.id}@testserver>"
    assert email.get_content() == message.body
    assert message.status == OutboxStatus.SENT


def failing_smtp(*_args: Any, **_kwargs: Any) -> None:
    raise OSError("Connection refused")


def test_a_failing_mail_server_is_retried_with_back_off_then_given_up(
    db: Session, monkeypatch: pytest.MonkeyPatch, smtp_settings: None
) -> None:
    monkeypatch.setattr(sender.smtplib, "SMTP", failing_smtp)
    message = queue(db)
    now = NOW
    waits = []
    for attempt in range(1, sender.MAX_ATTEMPTS):
        assert sender.send_due(db, now=now) == 0
        assert message.attempts == attempt
        assert message.status == OutboxStatus.PENDING
        assert "Connection refused" in message.last_error
        waits.append(message.next_attempt_at - now)
        # Not retried before its time.
        assert sender.send_due(db, now=message.next_attempt_at - timedelta(seconds=1)) == 0
        assert message.attempts == attempt
        now = message.next_attempt_at
    assert waits == [timedelta(minutes=2**n) for n in range(sender.MAX_ATTEMPTS - 1)]

    assert sender.send_due(db, now=now) == 0
    assert message.attempts == sender.MAX_ATTEMPTS
    assert message.status == OutboxStatus.FAILED
    assert message.sent_at is None
    assert sender.send_due(db, now=now + timedelta(days=7)) == 0
    assert message.attempts == sender.MAX_ATTEMPTS


def test_back_off_is_capped_at_a_day() -> None:
    assert sender.backoff(1) == timedelta(minutes=1)
    assert sender.backoff(40) == timedelta(days=1)


def test_one_broken_message_does_not_block_the_others(
    db: Session, monkeypatch: pytest.MonkeyPatch, fake_smtp: type[FakeSMTP]
) -> None:
    broken = queue(db, to="broken@example.org")
    fine = queue(db, to="fine@example.org")
    original = sender._deliver_email

    def deliver(message: OutboxMessage, settings: Any) -> None:
        if message.recipient == "broken@example.org":
            raise ValueError("header injection refused")
        original(message, settings)

    monkeypatch.setattr(sender, "_deliver_email", deliver)
    assert sender.send_due(db, now=NOW) == 1
    assert fine.status == OutboxStatus.SENT
    assert broken.status == OutboxStatus.PENDING
    assert broken.last_error == "ValueError: header injection refused"


def test_a_message_is_only_in_the_outbox_when_its_transaction_commits(db: Session) -> None:
    rolled_back = db.begin_nested()
    queue(db, to="rolled.back@example.org")
    assert [m.recipient for m in pending(db)] == ["rolled.back@example.org"]
    rolled_back.rollback()
    assert pending(db) == []
    assert sender.send_due(db, now=NOW) == 0

    committed = db.begin_nested()
    queue(db, to="committed@example.org")
    committed.commit()
    recipients = db.exec(select(OutboxMessage.recipient).order_by(col(OutboxMessage.id))).all()
    assert list(recipients) == ["committed@example.org"]
    assert sender.send_due(db, now=NOW) == 1
