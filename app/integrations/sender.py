"""The outbox sender: SMTP when configured, otherwise the log (and the development mailbox)."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from app.config import Settings, get_settings
from app.integrations.models import OutboxKind, OutboxMessage, OutboxStatus

logger = logging.getLogger("samskap.outbox")
MAX_ATTEMPTS = 8
# Extra headers a queued email may carry in its payload; anything else is dropped.
EXTRA_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post"})
SMTPS_PORT = 465  # implicit TLS ("SMTPS"); other ports use STARTTLS when it is on


def build_email(message: OutboxMessage, settings: Settings) -> EmailMessage:
    """The email for an outbox message; its Message-ID is stable, so a retried delivery is one message."""
    email = EmailMessage()
    email["From"] = settings.smtp_from
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = format_datetime(message.created_at)
    domain = urlsplit(settings.base_url).hostname or "samskap.local"
    email["Message-ID"] = f"<outbox-{message.id}@{domain}>"
    for name, value in ((message.payload or {}).get("headers") or {}).items():
        if name in EXTRA_HEADERS and isinstance(value, str):
            email[name] = " ".join(value.split())  # no CR/LF may reach a mail header
    email.set_content(message.body)
    return email


def _deliver_email(message: OutboxMessage, settings: Settings) -> None:
    if not settings.smtp_host:
        logger.info("Email to %s: %s", message.recipient, message.subject)
        return
    email = build_email(message, settings)
    smtp_class = smtplib.SMTP_SSL if settings.smtp_port == SMTPS_PORT else smtplib.SMTP
    with smtp_class(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls and smtp_class is smtplib.SMTP:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(email)


def backoff(attempts: int) -> timedelta:
    """Wait 1, 2, 4 … minutes between attempts, at most a day."""
    return timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def send_due(session: Session, *, now: datetime, batch: int = 50) -> int:
    """Send the messages that are due; failures are retried later with back-off. Returns how many were sent."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, col(OutboxMessage.next_attempt_at) <= now)
        .order_by(col(OutboxMessage.id))
        .limit(batch)
    )
    if session.get_bind().dialect.name == "postgresql":
        # Several workers may run: each takes rows no other worker holds.
        statement = statement.with_for_update(skip_locked=True)
    settings = get_settings()
    sent = 0
    for message in session.exec(statement).all():
        message.attempts += 1
        try:
            if message.kind == OutboxKind.EMAIL:
                _deliver_email(message, settings)
        except Exception as error:  # noqa: BLE001  (one bad message must not stop the queue behind it)
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            else:
                message.next_attempt_at = now + backoff(message.attempts)
            logger.warning(
                "Sending outbox message %s failed (attempt %s of %s): %s", message.id, message.attempts, MAX_ATTEMPTS,
                error,
            )  # fmt: skip
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = now
            sent += 1
        session.add(message)
    session.flush()
    return sent
