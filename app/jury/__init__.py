"""Jury: the panel, conflicts of interest, fair assignment, scores against the criteria and calibrated results."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.jury import api, pages
    from app.jury.results import api as results_api
    from app.jury.results import pages as results_pages

    return Routers(api=[api.router, results_api.router], pages=[pages.router, results_pages.router])
