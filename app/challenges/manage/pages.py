"""Organiser pages for challenges under /manage: draft, edit under the freeze rules, criteria, publish and cancel."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.actor import Actor
from app.auth.deps import SignedInDep
from app.challenges import permissions, service
from app.challenges.deps import ManagedChallengeDep, SignedInChallengeDep
from app.challenges.manage import forms
from app.challenges.models import Challenge, FileType, TargetGroup, VoterRule, VotingMethod
from app.challenges.schemas import (
    DATE_FIELDS,
    MAX_COVER_BYTES,
    MAX_FILE_MB,
    RULE_FIELDS,
    SDG_GOALS,
    VOTING_FIELDS,
    ChallengeCancel,
    ChallengeCreate,
    ChallengeUpdate,
    criteria_read,
)
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import AppError, Conflict, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.i18n import gettext as _
from app.kit import bodies, images, urls
from app.kit.forms import FormDep, form_errors, parse_form
from app.organizations.models import Organization
from app.templating import redirect, render

router = APIRouter()


async def cover_upload(request: Request) -> bytes | None:
    """The cover image chosen in the form (one byte over the limit at most), or None when none was chosen."""
    return await images.read_chosen_in_form(request, "cover", max_bytes=MAX_COVER_BYTES) or None


CoverDep = Annotated[bytes | None, Depends(cover_upload)]


def _choices() -> dict[str, Any]:
    return {
        "target_groups": list(TargetGroup),
        "sdg_goals": list(SDG_GOALS),
        "voting_methods": list(VotingMethod),
        "voter_rules": list(VoterRule),
        "file_types": list(FileType),
        "max_file_mb": MAX_FILE_MB,
        "max_shared_best": forms.MAX_SHARED_BEST,
    }


def _check_cover(content: bytes | None) -> None:
    """Refuse a bad cover before anything is stored."""
    if content is not None:
        service.cover_content_type(content)


def _shown_on_the_form(actor: Actor, challenge: Challenge, now: datetime) -> tuple[type[AppError], ...]:
    """The refusals the edit page shows to those who may edit; anyone else gets them as an error page."""
    return (ValidationFailed, Conflict) if permissions.can_edit(actor, challenge, now) else ()


# --- new ---------------------------------------------------------------------------------------------------------


def _new_form(
    request: Request, orgs: list[Organization], values: dict[str, Any], errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "manage/challenge_form.html",
        {**_choices(), "challenge": None, "organizations": orgs, "values": values, "errors": errors or {},
         "rules_frozen": False, "voting_frozen": False},
        status_code=status_code,
    )  # fmt: skip


@router.get("/manage/challenges/new", response_class=HTMLResponse)
def new_challenge_form(
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
    organisation: Annotated[str | None, Query(max_length=60)] = None,
) -> Response:
    orgs = service.creatable_organizations(session, actor=actor)
    chosen = next((org.slug for org in orgs if org.slug == organisation), orgs[0].slug)
    return _new_form(request, orgs, forms.new_values(chosen))


@router.post("/manage/challenges/new")
@bodies.takes_files(max_bytes=MAX_COVER_BYTES)
def create_challenge(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep, cover: CoverDep
) -> Response:
    orgs = service.creatable_organizations(session, actor=actor)
    values = forms.form_values(form)
    timezone = next((org.timezone for org in orgs if org.slug == values["organization"]), "Europe/Oslo")
    fields = ["organization", "slug", *forms.TEXT_FIELDS, "prize_amount", "prize_split", "target_groups", "sdg_goals",
              *RULE_FIELDS, *VOTING_FIELDS, *DATE_FIELDS]  # fmt: skip
    data, errors = forms.payload(values, timezone, fields)
    now = clock.now()
    try:
        _check_cover(cover)
        challenge = service.create(session, actor=actor, data=forms.parse(ChallengeCreate, data, errors), now=now)
        if cover is not None:
            challenge = service.set_cover(session, actor=actor, challenge=challenge, content=cover, now=now)
    except (ValidationFailed, Conflict, PayloadTooLarge, UnsupportedMediaType) as error:
        status_code = error.status if isinstance(error, PayloadTooLarge | UnsupportedMediaType) else 422
        return _new_form(request, orgs, values, forms.cover_errors(error, cover_chosen=cover is not None), status_code)
    return redirect(
        urls.manage_challenge(challenge.slug, "/edit"),
        message=_("The draft %(title)s was saved.") % {"title": challenge.title},
    )


# --- edit, publish, cancel ---------------------------------------------------------------------------------------


def _edit_page(
    request: Request, challenge: Challenge, actor: Actor, now: datetime, values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    return render(
        request,
        "manage/challenge_form.html",
        {
            **_choices(),
            "challenge": challenge,
            "organizations": [challenge.host],
            "values": values or forms.values_of(challenge),
            "errors": errors or {},
            "rules_frozen": not permissions.can_edit_rules(actor, challenge, now),
            "voting_frozen": not permissions.can_edit_voting(actor, challenge, now),
            "can_publish": permissions.can_publish(actor, challenge, now),
            "can_cancel": permissions.can_cancel(actor, challenge, now),
            "can_manage_cohosts": permissions.can_manage_cohosts(actor, challenge, now),
            "criteria": criteria_read(challenge.criteria),
        },
        status_code=status_code,
    )


@router.get("/manage/challenges/{slug}/edit", response_class=HTMLResponse)
def edit_challenge_form(
    request: Request, challenge: ManagedChallengeDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    return _edit_page(request, challenge, actor, clock.now())


@router.post("/manage/challenges/{slug}/edit")
@bodies.takes_files(max_bytes=MAX_COVER_BYTES)
def update_challenge(
    request: Request, challenge: ManagedChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep,
    form: FormDep, cover: CoverDep,
) -> Response:  # fmt: skip
    now = clock.now()
    stored = forms.values_of(challenge)
    values = {**forms.form_values(form), "organization": challenge.host.slug, "slug": challenge.slug}
    fields = [*forms.TEXT_FIELDS, "target_groups", "sdg_goals"]
    # Frozen fields are shown read-only and not sent; a date or amount left as it was is not sent either (the
    # form shows whole minutes and whole kroner).
    fields += [name for name in (*DATE_FIELDS, "prize_amount") if values[name] != stored[name]]
    if any(values[name] != stored[name] for name in forms.SPLIT_FIELDS):
        fields.append("prize_split")
    if permissions.can_edit_rules(actor, challenge, now):
        fields += sorted(RULE_FIELDS)
    else:
        values |= {name: stored[name] for name in RULE_FIELDS}
    if permissions.can_edit_voting(actor, challenge, now):
        fields += sorted(VOTING_FIELDS)
    else:
        values |= {name: stored[name] for name in VOTING_FIELDS}
    data, errors = forms.payload(values, challenge.host.timezone, fields)
    remove = forms.one(form, "remove_cover") == "on" and cover is None and challenge.cover_sha256 is not None
    try:
        _check_cover(cover)
        parsed = forms.parse(ChallengeUpdate, data, errors)
        challenge = service.update(session, actor=actor, challenge=challenge, data=parsed, now=now)
        if cover is not None:
            service.set_cover(session, actor=actor, challenge=challenge, content=cover, now=now)
        elif remove:
            service.remove_cover(session, actor=actor, challenge=challenge, now=now)
    except (ValidationFailed, Conflict, PayloadTooLarge, UnsupportedMediaType) as error:
        status_code = 409 if isinstance(error, Conflict) else 422
        if isinstance(error, PayloadTooLarge | UnsupportedMediaType):
            status_code = error.status
        messages = forms.cover_errors(error, cover_chosen=cover is not None)
        return _edit_page(request, challenge, actor, now, values, messages, status_code)
    return redirect(urls.manage_challenge(challenge.slug, "/edit"), message=_("Your changes were saved."))


@router.post("/manage/challenges/{slug}/publish")
def publish_challenge(
    request: Request, challenge: SignedInChallengeDep, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    try:
        service.publish(session, actor=actor, challenge=challenge, now=now)
    except _shown_on_the_form(actor, challenge, now) as error:
        errors = form_errors(error)
        if isinstance(error, ValidationFailed):
            errors = {"form": _("The challenge cannot be published yet."), **errors}
        return _edit_page(request, challenge, actor, now, errors=errors, status_code=error.status)
    return redirect(urls.challenge(challenge.slug), message=_("The challenge is published."))


@router.post("/manage/challenges/{slug}/cancel")
def cancel_challenge(
    request: Request,
    challenge: SignedInChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    try:
        data = parse_form(ChallengeCancel, {"reason": forms.one(form, "reason")})
        service.cancel(session, actor=actor, challenge=challenge, reason=data.reason, now=now)
    except _shown_on_the_form(actor, challenge, now) as error:
        return _edit_page(request, challenge, actor, now, errors=form_errors(error), status_code=error.status)
    return redirect(urls.challenge(challenge.slug), message=_("The challenge was cancelled."))


# --- criteria ----------------------------------------------------------------------------------------------------


def _criteria_page(
    request: Request, challenge: Challenge, actor: Actor, now: datetime, rows: list[dict[str, str]] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    saved = [{"name": c.name, "description": c.description, "weight": str(c.weight)} for c in challenge.criteria]
    rows = rows if rows is not None else saved
    rows = rows + [{"name": "", "description": "", "weight": ""}] * (forms.CRITERIA_ROWS - len(rows))
    return render(
        request,
        "manage/challenge_criteria.html",
        {
            "challenge": challenge,
            "criteria": criteria_read(challenge.criteria),
            "rows": rows,
            "errors": errors or {},
            "frozen": not permissions.can_edit_rules(actor, challenge, now),
        },
        status_code=status_code,
    )


@router.get("/manage/challenges/{slug}/criteria", response_class=HTMLResponse)
def criteria_form(request: Request, challenge: ManagedChallengeDep, actor: SignedInDep, clock: ClockDep) -> Response:
    return _criteria_page(request, challenge, actor, clock.now())


@router.post("/manage/challenges/{slug}/criteria")
def replace_criteria(
    request: Request,
    challenge: ManagedChallengeDep,
    session: SessionDep,
    actor: SignedInDep,
    clock: ClockDep,
    form: FormDep,
) -> Response:
    now = clock.now()
    rows = forms.criteria_rows(form)
    try:
        service.replace_criteria(
            session, actor=actor, challenge=challenge, criteria=forms.parse_criteria(rows), now=now
        )
    except (ValidationFailed, Conflict) as error:
        return _criteria_page(request, challenge, actor, now, rows, form_errors(error), error.status)
    return redirect(urls.manage_challenge(challenge.slug, "/criteria"), message=_("The criteria were saved."))
