"""The site itself: the home page, health checks, language choice, help and legal pages."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.site import api, pages

    return Routers(api=[api.router], pages=[pages.router], root=[api.health_router])
