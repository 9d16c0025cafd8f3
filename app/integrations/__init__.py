"""Integrations: the outbox of emails (and webhooks), and the development mail viewer."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.integrations import pages

    return Routers(pages=[pages.router])
