"""create_app(): middleware, routers, error handlers, static files."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app import exception_handlers, openapi
from app.accounts import api as accounts_api
from app.accounts import pages as accounts_pages
from app.accounts.deps import limit_api_writes, verify_csrf
from app.audit import api as audit_api
from app.audit import pages as audit_pages
from app.challenges import api as challenges_api
from app.challenges import cohost_pages, follows_api, follows_pages, questions_api, questions_pages
from app.challenges import manage_pages as challenges_manage_pages
from app.challenges import pages as challenges_pages
from app.config import ROOT, get_settings
from app.integrations import pages as integrations_pages
from app.logging import configure_logging
from app.middleware import RequestContextMiddleware
from app.organizations import api as organizations_api
from app.organizations import pages as organizations_pages
from app.site import api as site_api
from app.site import pages as site_pages
from app.submissions import api as submissions_api
from app.submissions import comments_api as submission_comments_api
from app.submissions import comments_pages as submission_comments_pages
from app.submissions import gallery_api, gallery_pages
from app.submissions import pages as submissions_pages
from app.submissions import team_finder_api as finder_api
from app.submissions import team_finder_pages as finder_pages

API_PREFIX = "/api/v1"
OPENAPI_TAGS = [
    {"name": "meta", "description": "Health and readiness."},
    {"name": "accounts", "description": "Your account, sessions and personal access tokens."},
    {"name": "organisations", "description": "Organisations, members and invitations."},
    {"name": "challenges", "description": "Challenges: drafts, publishing, criteria, co-hosts and copies."},
    {"name": "submissions", "description": "Concepts: drafts, teams and invitations, terms, versions and files."},
    {"name": "audit", "description": "The tamper-evident audit log."},
]


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(json_lines=settings.json_logs)
    app = FastAPI(
        title="Samskap API",
        version="1.0.0",
        summary="Citizen co-creation and idea challenges for public bodies.",
        description=(
            "Versioned REST API of Samskap. Authenticate with `Authorization: Bearer <token>` using a personal "
            "access token from your account page. Every error is an RFC 9457 `application/problem+json` body "
            "with a stable `type`."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        openapi_tags=OPENAPI_TAGS,
    )
    app.add_middleware(RequestContextMiddleware)
    exception_handlers.install(app)
    openapi.install(app)

    api = APIRouter(
        prefix=API_PREFIX,
        dependencies=[Depends(verify_csrf), Depends(limit_api_writes)],
        responses=openapi.COMMON_ERRORS,
    )
    for module in (
        site_api,
        accounts_api,
        organizations_api,
        challenges_api,
        questions_api,
        follows_api,
        gallery_api,  # before submissions_api: its export.csv would otherwise match /{submission_id}
        submissions_api,
        submission_comments_api,
        finder_api,
        audit_api,
    ):
        api.include_router(module.router)
    app.include_router(api)
    app.include_router(site_api.health_router)

    pages = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
    for page_module in (
        site_pages,
        accounts_pages,
        organizations_pages,
        challenges_pages,
        challenges_manage_pages,
        cohost_pages,
        questions_pages,
        follows_pages,
        gallery_pages,
        submissions_pages,
        finder_pages,
        submission_comments_pages,
        audit_pages,
        integrations_pages,
    ):
        pages.include_router(page_module.router)
    app.include_router(pages)
    app.include_router(follows_pages.token_router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=ROOT / "static", check_dir=False), name="static")
    return app
