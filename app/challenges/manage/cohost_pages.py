"""Organiser pages for a challenge's co-hosts: invite other organisations to run it together, and remove them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.auth.deps import SignedInDep
from app.challenges import service
from app.challenges.deps import CoHostManagedChallengeDep
from app.challenges.manage import forms
from app.challenges.models import Challenge
from app.challenges.schemas import CoHostAdd
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Conflict, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.kit import urls
from app.kit.forms import FormDep, form_errors, parse_form
from app.templating import redirect, render

router = APIRouter()


# --- co-hosts ----------------------------------------------------------------------------------------------------


def _cohosts_page(
    request: Request, session: Session, challenge: Challenge, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "manage/challenge_cohosts.html",
        {
            "challenge": challenge,
            "cohosts": [cohost.organization for cohost in challenge.cohosts],
            "candidates": service.cohost_candidates(session, challenge=challenge),
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


@router.get("/manage/challenges/{slug}/co-hosts", response_class=HTMLResponse)
def cohosts_page(
    request: Request, challenge: CoHostManagedChallengeDep, session: SessionDep, actor: SignedInDep
) -> Response:
    return _cohosts_page(request, session, challenge)


@router.post("/manage/challenges/{slug}/co-hosts")
def add_cohost(
    request: Request,
    challenge: CoHostManagedChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    values = {"organization": forms.one(form, "organization")}
    try:
        data = parse_form(CoHostAdd, values, {"organization": _("Choose an organisation from the list.")})
        added = service.add_cohost(
            session, actor=actor, challenge=challenge, organization_slug=data.organization, now=now
        )
    except (ValidationFailed, Conflict) as error:
        return _cohosts_page(request, session, challenge, values, form_errors(error), error.status)
    name = next(c.organization.name for c in added.cohosts if c.organization.slug == data.organization)
    return redirect(
        urls.manage_challenge(challenge.slug, "/co-hosts"),
        message=_("%(name)s now co-hosts %(title)s, and its owners and admins are told by email.")
        % {"name": name, "title": added.title},
    )


@router.post("/manage/challenges/{slug}/co-hosts/{org_slug}/remove")
def remove_cohost(
    request: Request,
    challenge: CoHostManagedChallengeDep,
    org_slug: str,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
) -> Response:
    now = clock.now()
    name = next((c.organization.name for c in challenge.cohosts if c.organization.slug == org_slug), None)
    try:
        service.remove_cohost(session, actor=actor, challenge=challenge, organization_slug=org_slug, now=now)
    except NotFound as error:  # removed a moment ago, perhaps in another tab
        return _cohosts_page(request, session, challenge, errors={"form": error.detail}, status_code=error.status)
    return redirect(
        urls.manage_challenge(challenge.slug, "/co-hosts"),
        message=_("%(name)s no longer co-hosts %(title)s.") % {"name": name, "title": challenge.title},
    )
