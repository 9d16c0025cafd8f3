"""create_app(): middleware, routers, error handlers, static files."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app import (
    accounts,
    audit,
    challenges,
    exception_handlers,
    integrations,
    jury,
    openapi,
    organizations,
    ratelimit,
    site,
    submissions,
    voting,
)
from app.auth.deps import limit_api_writes, verify_csrf
from app.config import ROOT, get_settings
from app.kit import bodies
from app.kit.routing import Routers
from app.logging import configure_logging
from app.middleware import BodyGuardMiddleware, RequestContextMiddleware

# The order in which domains' routes are matched.
DOMAINS = (site, accounts, organizations, challenges, submissions, voting, jury, audit, integrations)

API_PREFIX = "/api/v1"
OPENAPI_TAGS = [
    {"name": "meta", "description": "Health and readiness."},
    {"name": "accounts", "description": "Your account, sessions and personal access tokens."},
    {"name": "organisations", "description": "Organisations, members and invitations."},
    {"name": "challenges", "description": "Challenges: drafts, publishing, criteria, co-hosts and copies."},
    {"name": "submissions", "description": "Concepts: drafts, teams and invitations, terms, versions and files."},
    {"name": "voting", "description": "The public vote: your ballot, the results and the sealed export."},
    {"name": "jury", "description": "The jury: invitations, conflicts of interest, assignments and reviews."},
    {"name": "audit", "description": "The tamper-evident audit log."},
]


def load_domains() -> list[Routers]:
    """Every domain's routers, in matching order. Importing them also runs the registrations domains make with
    each other (results details, page contexts, the jury's results gate), which the worker needs as much as the
    web app."""
    return [domain.routers() for domain in DOMAINS]


def create_app() -> FastAPI:
    settings = get_settings()
    configure_logging(json_lines=settings.json_logs)
    ratelimit.prepare()  # the counters' storage, made once before requests race for it
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
        generate_unique_id_function=openapi.operation_id,
    )
    app.add_middleware(RequestContextMiddleware)
    exception_handlers.install(app)
    openapi.install(app)

    domain_routers = load_domains()
    api = APIRouter(
        prefix=API_PREFIX,
        dependencies=[Depends(verify_csrf), Depends(limit_api_writes)],
        responses=openapi.COMMON_ERRORS,
    )
    pages = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)
    for routers in domain_routers:
        for router in routers.api:
            api.include_router(router)
        for router in routers.pages:
            pages.include_router(router)
    app.include_router(api)
    for routers in domain_routers:
        for router in routers.root:
            app.include_router(router)
    app.include_router(pages)
    app.mount("/static", StaticFiles(directory=ROOT / "static", check_dir=False), name="static")
    csrf_free = [route for routers in domain_routers for router in routers.root for route in router.routes]
    app.add_middleware(
        BodyGuardMiddleware, limits=bodies.limits_of(app.routes), csrf_free=bodies.patterns_of(csrf_free)
    )
    return app
