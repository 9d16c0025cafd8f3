"""Organiser pages for a challenge's co-hosts (invite and remove organisations) and for copying it as a template."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from app.accounts.deps import SignedInDep
from app.actor import Actor
from app.challenges import permissions, service
from app.challenges.models import Challenge
from app.challenges.schemas import SLUG_PATTERN, ChallengeCopy, CoHostAdd
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.i18n import gettext as _
from app.kit.forms import FormData, FormDep, form_errors, parse_form
from app.organizations.models import Organization
from app.templating import redirect, render

router = APIRouter()
MAX_SLUG = 80


def _one(form: FormData, name: str) -> str:
    return form.get(name, "").strip()


# --- co-hosts ----------------------------------------------------------------------------------------------------


def _managed(session: Session, actor: Actor, slug: str, now: datetime) -> Challenge:
    """The challenge, when `actor` may invite and remove its co-hosts (a draft stays a 404 to outsiders)."""
    challenge = service.get_for(session, slug=slug, actor=actor)
    if not permissions.can_manage_cohosts(actor, challenge, now):
        raise Forbidden(_("Only the host organisation's owners and admins can manage co-hosts, and not once the "
                          "challenge is cancelled."))  # fmt: skip
    return challenge


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
def cohosts_page(request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    return _cohosts_page(request, session, _managed(session, actor, slug, clock.now()))


@router.post("/manage/challenges/{slug}/co-hosts")
def add_cohost(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    now = clock.now()
    challenge = _managed(session, actor, slug, now)
    values = {"organization": _one(form, "organization")}
    try:
        data = parse_form(CoHostAdd, values, {"organization": _("Choose an organisation from the list.")})
        added = service.add_cohost(
            session, actor=actor, challenge=challenge, organization_slug=data.organization, now=now
        )
    except (ValidationFailed, Conflict) as error:
        return _cohosts_page(request, session, challenge, values, form_errors(error), error.status)
    name = next(c.organization.name for c in added.cohosts if c.organization.slug == data.organization)
    return redirect(
        f"/manage/challenges/{slug}/co-hosts",
        message=_("%(name)s now co-hosts %(title)s, and its owners and admins are told by email.")
        % {"name": name, "title": added.title},
    )


@router.post("/manage/challenges/{slug}/co-hosts/{org_slug}/remove")
def remove_cohost(
    request: Request, slug: str, org_slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    challenge = _managed(session, actor, slug, now)
    name = next((c.organization.name for c in challenge.cohosts if c.organization.slug == org_slug), None)
    try:
        service.remove_cohost(session, actor=actor, challenge=challenge, organization_slug=org_slug, now=now)
    except NotFound as error:  # removed a moment ago, perhaps in another tab
        return _cohosts_page(request, session, challenge, errors={"form": error.detail}, status_code=error.status)
    return redirect(
        f"/manage/challenges/{slug}/co-hosts",
        message=_("%(name)s no longer co-hosts %(title)s.") % {"name": name, "title": challenge.title},
    )


# --- copy as a template ------------------------------------------------------------------------------------------


def _copyable(session: Session, actor: Actor, slug: str, now: datetime) -> tuple[Challenge, list[Organization]]:
    """The source challenge and the organisations `actor` may copy it into."""
    source = service.get_for(session, slug=slug, actor=actor)
    targets = service.copy_targets(session, actor=actor) if permissions.can_copy(actor, source, now) else []
    if not targets:
        raise Forbidden(_("Only organisation editors can copy a published challenge."))
    return source, targets


def suggested_slug(source: Challenge, organization: Organization) -> str:
    """The source's address with the new host's appended ("sentrumshandel-baerum"), within the length limit."""
    slug = f"{source.slug}-{organization.slug}"[:MAX_SLUG].rstrip("-")
    return slug if SLUG_PATTERN.match(slug) else source.slug


def _copy_form(
    request: Request, source: Challenge, targets: list[Organization], values: dict[str, Any],
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "manage/challenge_copy.html",
        {"source": source, "organizations": targets, "values": values, "errors": errors or {}},
        status_code=status_code,
    )


@router.get("/manage/challenges/{slug}/copy", response_class=HTMLResponse)
def copy_form(request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    source, targets = _copyable(session, actor, slug, clock.now())
    # Copying into another organisation is the usual case; the host may copy its own challenge too.
    target = next((org for org in targets if org.id != source.host_id), targets[0])
    values = {"organization": target.slug, "title": source.title, "slug": suggested_slug(source, target)}
    return _copy_form(request, source, targets, values)


@router.post("/manage/challenges/{slug}/copy")
def copy_challenge(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    now = clock.now()
    source, targets = _copyable(session, actor, slug, now)
    values = {name: _one(form, name) for name in ("organization", "title", "slug")}
    errors: dict[str, str] = {}
    if values["organization"] not in {org.slug for org in targets}:
        errors["organization"] = _("Choose one of your organisations from the list.")
    if not values["title"]:
        errors["title"] = _("Enter a title.")
    try:
        # A blank title is this form's own message; the schema reads it as "keep the source's title".
        data = parse_form(ChallengeCopy, {**values, "title": values["title"] or None},
                          {"title": _("Keep the title under 140 characters.")})  # fmt: skip
        if errors:
            raise ValidationFailed(_("Please correct the fields marked below."), errors=errors)
        copied = service.copy(session, actor=actor, source=source, data=data, now=now)
    except ValidationFailed as error:
        return _copy_form(request, source, targets, values, {**error.errors, **errors}, 422)
    except Conflict as error:
        return _copy_form(request, source, targets, values, form_errors(error), error.status)
    except Forbidden as error:  # the actor's role changed between the form and the post
        return _copy_form(request, source, targets, values, {"organization": error.detail}, error.status)
    return redirect(
        f"/manage/challenges/{copied.slug}/edit",
        message=_("The draft %(title)s was created from %(source)s. Set its dates and prize before publishing.")
        % {"title": copied.title, "source": source.title},
    )
