"""Writing emails to the outbox in the caller's transaction; the worker sends them later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app import i18n
from app.integrations.models import OutboxKind, OutboxMessage
from app.templating import templates


def enqueue_email(
    session: Session,
    *,
    to: str,
    template: str,
    language: str,
    context: dict[str, Any],
    now: datetime | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Render `emails/<template>.txt` in `language` and queue it; sent only if the transaction commits.

    The template's first line is the subject. `headers` are extra mail headers the sender allows (List-Unsubscribe).
    """
    with i18n.language(language):
        text = templates.get_template(f"emails/{template}.txt").render(context)
    subject, _sep, body = text.strip().partition("\n")
    message = OutboxMessage(
        kind=OutboxKind.EMAIL, recipient=to, subject=" ".join(subject.split()),  # no CR/LF may reach a mail header
        body=body.strip() + "\n",
        payload={"template": template, "language": language, **({"headers": headers} if headers else {})},
    )  # fmt: skip
    if now is not None:
        message.created_at = message.next_attempt_at = now
    session.add(message)
    session.flush()
    return message


def recent_emails(session: Session, *, limit: int = 50) -> Sequence[OutboxMessage]:
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.kind == OutboxKind.EMAIL)
        .order_by(col(OutboxMessage.id).desc())
        .limit(limit)
    )
    return session.exec(statement).all()
