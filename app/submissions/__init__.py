"""Submissions: concepts, their teams, files, discussion, moderation and gallery."""

from __future__ import annotations

from app.kit.routing import Routers


def routers() -> Routers:
    """This domain's routers (imported here, not at import time, so domains may import each other's services)."""
    from app.submissions import api, pages
    from app.submissions.discussion import api as discussion_api
    from app.submissions.discussion import pages as discussion_pages
    from app.submissions.files import api as files_api
    from app.submissions.files import pages as files_pages
    from app.submissions.gallery import api as gallery_api
    from app.submissions.gallery import pages as gallery_pages
    from app.submissions.moderation import api as moderation_api
    from app.submissions.moderation import pages as moderation_pages
    from app.submissions.team import api as team_api
    from app.submissions.team import pages as team_pages

    return Routers(
        # The gallery's API comes first: its export.csv would otherwise match /{submission_id}.
        api=[
            gallery_api.router,
            api.router,
            files_api.router,
            discussion_api.router,
            moderation_api.router,
            team_api.router,
        ],
        pages=[
            gallery_pages.router,
            pages.router,
            files_pages.router,
            team_pages.router,
            discussion_pages.router,
            moderation_pages.router,
        ],
    )
