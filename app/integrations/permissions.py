"""Who may see what of the integrations: the development mailbox exists only outside production."""

from __future__ import annotations

from app.config import get_settings
from app.errors import NotFound


def can_read_dev_mailbox() -> bool:
    """Outside production the outbox's emails are shown in the browser; in production they really leave."""
    return not get_settings().is_production


def check_read_dev_mailbox() -> None:
    """Refuse (404: in production the page does not exist) unless the development mailbox is open."""
    if not can_read_dev_mailbox():
        raise NotFound("No such page.")
