"""Reading what the platform emailed: the outbox, and the links inside a message."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from app.integrations.models import OutboxMessage


def emails_to(db: Session, address: str) -> list[OutboxMessage]:
    """The emails queued for `address`, oldest first."""
    return list(
        db.exec(select(OutboxMessage).where(OutboxMessage.recipient == address).order_by(col(OutboxMessage.id))).all()
    )


def link_in(message: OutboxMessage, path: str) -> str:
    """The local path of the first link in `message` that starts with `path` (links are absolute)."""
    found = re.search(r"http://testserver(" + re.escape(path) + r"[^\s]*)", message.body)
    assert found, f"no link to {path} in: {message.body}"
    return found.group(1)
