"""Voting: the public vote's ballots, its results and the sealed tally anyone can recount."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.voting import api, pages

    return Routers(api=[api.router], pages=[pages.router])
