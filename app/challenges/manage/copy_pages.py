"""Organiser pages for copying a published challenge as a template into one's own organisation ("steal and share")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.auth.deps import SignedInDep
from app.challenges import service
from app.challenges.deps import SignedInChallengeDep
from app.challenges.manage import forms
from app.challenges.models import Challenge
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Conflict, Forbidden, ValidationFailed
from app.i18n import gettext as _
from app.kit import urls
from app.kit.forms import FormDep, form_errors
from app.organizations.models import Organization
from app.templating import redirect, render

router = APIRouter()


def _copy_form(
    request: Request,
    source: Challenge,
    targets: list[Organization],
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "manage/challenge_copy.html",
        {"source": source, "organizations": targets, "values": values, "errors": errors or {}},
        status_code=status_code,
    )


@router.get("/manage/challenges/{slug}/copy", response_class=HTMLResponse)
def copy_form(
    request: Request, source: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    targets = service.copy_targets(session, actor=actor, source=source, now=clock.now())
    # Copying into another organisation is the usual case; the host may copy its own challenge too.
    target = next((org for org in targets if org.id != source.host_id), targets[0])
    values = {"organization": target.slug, "title": source.title, "slug": forms.suggested_slug(source, target)}
    return _copy_form(request, source, targets, values)


@router.post("/manage/challenges/{slug}/copy")
def copy_challenge(
    request: Request,
    source: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    targets = service.copy_targets(session, actor=actor, source=source, now=now)
    values = {name: forms.one(form, name) for name in ("organization", "title", "slug")}
    try:
        data = forms.parse_copy(values, targets)
        copied = service.copy(session, actor=actor, source=source, data=data, now=now)
    except ValidationFailed as error:
        return _copy_form(request, source, targets, values, error.errors, 422)
    except Conflict as error:
        return _copy_form(request, source, targets, values, form_errors(error), error.status)
    except Forbidden as error:  # the actor's role changed between the form and the post
        return _copy_form(request, source, targets, values, {"organization": error.detail}, error.status)
    return redirect(
        urls.manage_challenge(copied.slug, "/edit"),
        message=_("The draft %(title)s was created from %(source)s. Set its dates and prize before publishing.")
        % {"title": copied.title, "source": source.title},
    )
