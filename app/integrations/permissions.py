"""Who may see what of the integrations: the development mailbox only on a developer's own machine."""

from __future__ import annotations

import ipaddress

from app.actor import Actor
from app.config import Environment, get_settings
from app.errors import NotFound


def _is_loopback(client_ip: str) -> bool:
    try:
        return ipaddress.ip_address(client_ip).is_loopback
    except ValueError:
        return False


def can_read_dev_mailbox(actor: Actor, *, client_ip: str) -> bool:
    """The mailbox shows every reset and invitation link, so only a developer may read it.

    That is: in the development environment, with no SMTP server (mail really leaves otherwise), to a platform
    admin or to a browser on the machine itself. Public demos and staging run with another environment.
    """
    settings = get_settings()
    if settings.environment is not Environment.DEVELOPMENT or settings.smtp_host:
        return False
    return actor.is_platform_admin or _is_loopback(client_ip)


def check_read_dev_mailbox(actor: Actor, *, client_ip: str) -> None:
    """Refuse (404: for everyone else the page does not exist) unless the development mailbox is open to them."""
    if not can_read_dev_mailbox(actor, client_ip=client_ip):
        raise NotFound("No such page.")
