"""Challenges: an organisation puts a problem to the public, with a prize, criteria and a timeline."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.challenges import api, pages
    from app.challenges.follows import api as follows_api
    from app.challenges.follows import pages as follows_pages
    from app.challenges.manage import cohost_pages, copy_pages
    from app.challenges.manage import pages as manage_pages
    from app.challenges.questions import api as questions_api
    from app.challenges.questions import pages as questions_pages

    return Routers(
        api=[api.router, questions_api.router, follows_api.router],
        pages=[
            pages.router,
            manage_pages.router,
            cohost_pages.router,
            copy_pages.router,
            questions_pages.router,
            follows_pages.router,
        ],
        root=[follows_pages.token_router],
    )
