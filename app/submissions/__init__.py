"""Submissions: concepts, their teams, files, discussion, moderation and gallery."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.submissions import (
        api,
        comments_api,
        comments_pages,
        gallery_api,
        gallery_pages,
        pages,
        team_finder_api,
        team_finder_pages,
    )

    return Routers(
        # The gallery's API comes first: its export.csv would otherwise match /{submission_id}.
        api=[gallery_api.router, api.router, comments_api.router, team_finder_api.router],
        pages=[gallery_pages.router, pages.router, team_finder_pages.router, comments_pages.router],
    )
