"""Site-wide pages: front page, accessibility statement, privacy, language choice, API docs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app import i18n, openapi
from app.accounts import service as accounts
from app.auth.deps import ActorDep
from app.challenges import views as challenge_views
from app.clock import ClockDep
from app.config import get_settings
from app.db import SessionDep
from app.jury import service as jury
from app.kit import urls
from app.kit.responses import set_cookie
from app.organizations import service as organizations
from app.security import LANGUAGE_COOKIE
from app.submissions.team import service as teams
from app.templating import redirect, render

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def front_page(request: Request, session: SessionDep, actor: ActorDep, clock: ClockDep) -> Response:
    return render(
        request,
        "site/home.html",
        {
            "open_challenges": challenge_views.open_challenge_cards(session, actor=actor, now=clock.now()),
            "organizations": organizations.list_organizations(session),
        },
    )


@router.get("/accessibility", response_class=HTMLResponse)
def accessibility_statement(request: Request, actor: ActorDep) -> Response:
    return render(request, "site/accessibility.html")


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request, actor: ActorDep) -> Response:
    settings = get_settings()  # the page states the periods this installation is configured with
    return render(
        request,
        "site/privacy.html",
        {
            "session_days": settings.session_days,
            "verification_hours": settings.verification_hours,
            "password_reset_minutes": settings.password_reset_minutes,
            "invitation_days": settings.invitation_days,
            "team_invitation_days": teams.INVITATION_DAYS,
            "jury_invitation_days": jury.INVITATION_DAYS,
        },
    )


@router.post("/language")
def choose_language(
    session: SessionDep,
    actor: ActorDep,
    language: Annotated[str, Form(max_length=5)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    code = language if language in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    if actor.user is not None:
        accounts.change_language(session, actor=actor, language=code)
    with i18n.language(code):
        response = redirect(urls.safe_next(next), message=i18n.gettext("Language changed."))
    set_cookie(response, LANGUAGE_COOKIE, code, max_age=accounts.LANGUAGE_COOKIE_AGE)
    return response


@router.get("/api/v1/docs", response_class=HTMLResponse)
def api_docs(request: Request, actor: ActorDep) -> Response:
    """The API reference, rendered on the server so it is as accessible as every other page."""
    return render(request, "site/api_docs.html", {"sections": openapi.reference(request.app.openapi())})


@router.get("/api/v1/docs/try", response_class=HTMLResponse)
def api_console(request: Request, actor: ActorDep) -> Response:
    """Swagger UI, for trying the API out in the browser."""
    return render(request, "site/api_console.html")
