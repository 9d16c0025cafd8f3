"""Organiser pages for challenges under /manage: draft, edit under the freeze rules, criteria, publish and cancel."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session
from starlette.datastructures import UploadFile

from app.accounts.deps import SignedInDep
from app.actor import Actor
from app.challenges import permissions, service
from app.challenges.models import (
    DEFAULT_FILE_TYPES,
    Challenge,
    FileType,
    SubmissionVisibility,
    TargetGroup,
    VotingMethod,
)
from app.challenges.schemas import (
    DATE_FIELDS,
    MAX_COVER_BYTES,
    MAX_FILE_MB,
    SDG_GOALS,
    ChallengeCancel,
    ChallengeCreate,
    ChallengeUpdate,
    CriteriaReplace,
    CriterionIn,
    criteria_read,
)
from app.clock import ClockDep
from app.db import SessionDep
from app.errors import AppError, Conflict, Forbidden, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.i18n import gettext as _
from app.kit.forms import FormData, FormDep, form_errors, parse_form
from app.organizations import service as organizations
from app.organizations.models import Organization
from app.templating import redirect, render

router = APIRouter()
CRITERIA_ROWS = 8
TEXT_FIELDS = ("title", "summary", "problem_statement", "prize_text", "prize_currency", "follow_up_text")
NUMBER_FIELDS = ("team_size_min", "team_size_max", "max_submissions_per_person", "max_file_mb", "scoring_scale_max")
VOTING_NUMBER_FIELDS = ("votes_per_voter", "jury_weight")
RULE_FORM_FIELDS = frozenset({*NUMBER_FIELDS, "allowed_file_types", "submissions_public", "terms_text"})
VOTING_FORM_FIELDS = frozenset({"voting_method", *VOTING_NUMBER_FIELDS, "live_counts"})
# The prize split as the form has it: a choice of kind, amounts for three places in whole units, or N.
PLACES = 3
SPLIT_AMOUNT_FIELDS = tuple(f"prize_split_{place}" for place in range(1, PLACES + 1))
SPLIT_FIELDS = ("prize_split_kind", *SPLIT_AMOUNT_FIELDS, "prize_split_best")
SPLIT_KINDS = ("none", "fixed", "shared")
MAX_SHARED_BEST = 50
DATE_FORMAT = "%Y-%m-%dT%H:%M"


async def cover_upload(request: Request) -> bytes | None:
    """The cover image chosen in the form (one byte over the limit at most), or None when none was chosen."""
    upload = (await request.form()).get("cover")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    return await upload.read(MAX_COVER_BYTES + 1) or None


CoverDep = Annotated[bytes | None, Depends(cover_upload)]


def _one(form: FormData, name: str) -> str:
    return form.get(name, "").strip()


def _local(value: datetime | None, timezone: str) -> str:
    """A stored moment as a datetime-local value in the organisation's time zone."""
    return value.astimezone(ZoneInfo(timezone)).strftime(DATE_FORMAT) if value else ""


def values_of(challenge: Challenge) -> dict[str, Any]:
    """The challenge as the form shows it (amounts in whole units, dates in the host's time zone)."""
    timezone = challenge.host.timezone
    values: dict[str, Any] = {name: getattr(challenge, name) for name in (*TEXT_FIELDS, "slug")}
    values |= {name: str(getattr(challenge, name)) for name in (*NUMBER_FIELDS, *VOTING_NUMBER_FIELDS)}
    values |= {name: _local(getattr(challenge, name), timezone) for name in DATE_FIELDS}
    amount = challenge.prize_amount
    values |= {
        "organization": challenge.host.slug,
        "prize_amount": "" if amount is None else str(amount // 100),
        "target_groups": list(challenge.target_groups),
        "sdg_goals": [str(goal) for goal in challenge.sdg_goals],
        "allowed_file_types": list(challenge.allowed_file_types),
        "submissions_public": str(challenge.submissions_public),
        "terms_text": challenge.terms_text,
        "voting_method": str(challenge.voting_method),
        "live_counts": challenge.live_counts,
    }
    return values | split_values(challenge.prize_split)


def split_values(split: Mapping[str, Any] | None) -> dict[str, str]:
    """A stored prize split as the form's fields (amounts in whole units)."""
    values = dict.fromkeys(SPLIT_FIELDS, "") | {"prize_split_kind": "none"}
    if split and split.get("kind") == "fixed":
        values["prize_split_kind"] = "fixed"
        for name, amount in zip(SPLIT_AMOUNT_FIELDS, split["amounts"], strict=False):
            values[name] = str(int(amount) // 100)
    elif split and split.get("kind") == "shared":
        values |= {"prize_split_kind": "shared", "prize_split_best": str(split["best"])}
    return values


def new_values(organization: str) -> dict[str, Any]:
    """What a new challenge's form starts with: the model's defaults."""
    return {"organization": organization, "prize_currency": "NOK", "team_size_min": "1", "team_size_max": "5",
            "max_submissions_per_person": "1", "allowed_file_types": list(DEFAULT_FILE_TYPES), "max_file_mb": "10",
            "scoring_scale_max": "10", "voting_method": VotingMethod.NONE.value, "votes_per_voter": "1",
            "jury_weight": "100", "live_counts": False, "submissions_public": SubmissionVisibility.AT_SUBMISSION.value,
            "terms_text": ""} | split_values(None)  # fmt: skip


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, kept as typed so a re-rendered form shows it again."""
    names = ("organization", "slug", *TEXT_FIELDS, *NUMBER_FIELDS, *VOTING_NUMBER_FIELDS, *DATE_FIELDS,
             "prize_amount", "voting_method", *SPLIT_FIELDS, "submissions_public", "terms_text")  # fmt: skip
    values: dict[str, Any] = {name: _one(form, name) for name in names}
    values["target_groups"] = form.getlist("target_groups")
    values["sdg_goals"] = form.getlist("sdg_goals")
    values["allowed_file_types"] = form.getlist("allowed_file_types")
    values["live_counts"] = _one(form, "live_counts") == "on"
    values["prize_split_kind"] = values["prize_split_kind"] or "none"
    return values


def _whole_amount(value: str) -> int | None:
    """A whole amount as typed ("25 000" too), in minor units; None when it is not a whole number."""
    amount = value.replace(" ", "").replace("\u00a0", "")
    return int(amount) * 100 if amount.isdigit() else None


def split_payload(values: Mapping[str, Any]) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The prize split as the schemas take it, and messages for what could not be read."""
    kind = values.get("prize_split_kind") or "none"
    if kind == "fixed":
        typed = [str(values.get(name) or "").strip() for name in SPLIT_AMOUNT_FIELDS]
        while typed and not typed[-1]:
            typed.pop()  # places left empty at the end have no prize
        errors: dict[str, str] = {}
        amounts: list[int] = []
        for name, text in zip(SPLIT_AMOUNT_FIELDS, typed, strict=False):
            amount = _whole_amount(text)
            if amount is None:
                errors[name] = _("Give the amount in whole kroner or kronor, 0 or more, such as 25000.")
            amounts.append(amount or 0)
        if not typed:
            errors["prize_split_1"] = _("Give the amount for 1st place.")
        return {"kind": "fixed", "amounts": amounts}, errors
    if kind == "shared":
        best = str(values.get("prize_split_best") or "").strip()
        if not best.isdigit() or not 1 <= int(best) <= MAX_SHARED_BEST:
            message = _("Give how many share the prize: a whole number from 1 to %(max)s.") % {"max": MAX_SHARED_BEST}
            return None, {"prize_split_best": message}
        return {"kind": "shared", "best": int(best)}, {}
    if kind != "none":
        return None, {"prize_split": _("Choose how the prize is split from the list.")}
    return None, {}


def payload(values: Mapping[str, Any], timezone: str, fields: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The typed `values` of `fields` as the schemas take them, and messages for what could not be read."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in fields:
        value = values.get(name)
        if name in DATE_FIELDS:
            try:
                moment = datetime.strptime(value, DATE_FORMAT) if value else None
            except ValueError:
                errors[name] = _("Give the date and time, such as 2027-03-01 12:00.")
                continue
            data[name] = moment.replace(tzinfo=ZoneInfo(timezone)) if moment else None
        elif name == "prize_amount":
            typed = str(value or "").strip()
            data[name] = _whole_amount(typed) if typed else None
            if typed and data[name] is None:
                errors[name] = _("Give the amount in whole kroner or kronor, such as 50000.")
        elif name == "prize_split":
            split, split_errors = split_payload(values)
            data[name] = split
            errors |= split_errors
        elif name in ("target_groups", "sdg_goals", "allowed_file_types"):
            data[name] = value or []
        elif name == "live_counts":
            data[name] = bool(value)
        elif name == "prize_currency":
            data[name] = value or "NOK"
        elif name == "submissions_public":
            data[name] = value or None  # a form without the radio group keeps the setting
        else:
            data[name] = value
    return data, errors


def _messages() -> dict[str, str]:
    """Messages for fields whose schema errors would otherwise be technical."""
    return {
        "team_size_min": _("Give a whole number from 1 to 20."),
        "team_size_max": _("Give a whole number from 1 to 20."),
        "max_submissions_per_person": _("Give a whole number from 1 to 10."),
        "max_file_mb": _("Give a whole number of megabytes from 1 to %(max)s.") % {"max": MAX_FILE_MB},
        "scoring_scale_max": _("Give the highest score as a whole number from 2 to 100, such as 5, 10 or 100."),
        "voting_method": _("Choose a voting method from the list."),
        "votes_per_voter": _("Give a whole number from 1 to 100."),
        "jury_weight": _("Give the jury's share as a whole percentage from 0 to 100."),
        "live_counts": _("Choose whether counts are shown while voting is open."),
        "target_groups": _("Choose target groups from the list."),
        "allowed_file_types": _("Choose at least one file type from the list."),
        "prize_split": _("Check how the prize is split."),
        "submissions_public": _("Choose when concepts become public."),
        "terms_text": _("Keep the terms under 20 000 characters."),
    }


M = TypeVar("M", ChallengeCreate, ChallengeUpdate)


def _parse(model: type[M], data: dict[str, Any], errors: dict[str, str]) -> M:
    """`data` as `model`; the form's own reading errors and the schema's are shown together."""
    try:
        parsed = parse_form(model, data, _messages())
    except ValidationFailed as error:
        raise ValidationFailed(error.detail, errors={**error.errors, **errors}) from error
    if errors:
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors)
    return parsed


def creatable_organizations(session: Session, actor: Actor) -> list[Organization]:
    """The organisations `actor` may draft challenges in."""
    return [
        org for org, _role in organizations.organizations_of(session, actor=actor) if permissions.can_create(actor, org)
    ]


def _choices() -> dict[str, Any]:
    return {"target_groups": list(TargetGroup), "sdg_goals": list(SDG_GOALS), "voting_methods": list(VotingMethod),
            "file_types": list(FileType), "max_file_mb": MAX_FILE_MB, "max_shared_best": MAX_SHARED_BEST}  # fmt: skip


def cover_errors(error: AppError, *, cover_chosen: bool) -> dict[str, str]:
    """The form's messages for `error`; a chosen cover cannot survive the form being shown again, so say so."""
    if isinstance(error, PayloadTooLarge | UnsupportedMediaType):
        return {"cover": error.detail}
    errors = form_errors(error)
    if cover_chosen:
        errors.setdefault("cover", _("The cover image was not saved because of the other problems: choose it again."))
    return errors


def _check_cover(content: bytes | None) -> None:
    """Refuse a bad cover before anything is stored."""
    if content is not None:
        service.cover_content_type(content)


def _editable(session: Session, actor: Actor, slug: str, now: datetime) -> Challenge:
    challenge = service.get_for(session, slug=slug, actor=actor)
    if not permissions.can_edit(actor, challenge, now):
        raise Forbidden(_("You cannot edit this challenge."))
    return challenge


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
    orgs = creatable_organizations(session, actor)
    if not orgs:
        raise Forbidden(_("Only organisation editors can create challenges."))
    chosen = next((org.slug for org in orgs if org.slug == organisation), orgs[0].slug)
    return _new_form(request, orgs, new_values(chosen))


@router.post("/manage/challenges/new")
def create_challenge(
    request: Request, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep, cover: CoverDep
) -> Response:
    orgs = creatable_organizations(session, actor)
    if not orgs:
        raise Forbidden(_("Only organisation editors can create challenges."))
    values = form_values(form)
    timezone = next((org.timezone for org in orgs if org.slug == values["organization"]), "Europe/Oslo")
    fields = ["organization", "slug", *TEXT_FIELDS, "prize_amount", "prize_split", "target_groups", "sdg_goals",
              *RULE_FORM_FIELDS, *VOTING_FORM_FIELDS, *DATE_FIELDS]  # fmt: skip
    data, errors = payload(values, timezone, fields)
    now = clock.now()
    try:
        _check_cover(cover)
        challenge = service.create(session, actor=actor, data=_parse(ChallengeCreate, data, errors), now=now)
        if cover is not None:
            challenge = service.set_cover(session, actor=actor, challenge=challenge, content=cover, now=now)
    except (ValidationFailed, Conflict, PayloadTooLarge, UnsupportedMediaType) as error:
        status_code = error.status if isinstance(error, PayloadTooLarge | UnsupportedMediaType) else 422
        return _new_form(request, orgs, values, cover_errors(error, cover_chosen=cover is not None), status_code)
    return redirect(
        f"/manage/challenges/{challenge.slug}/edit",
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
            "values": values or values_of(challenge),
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
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    return _edit_page(request, _editable(session, actor, slug, now), actor, now)


@router.post("/manage/challenges/{slug}/edit")
def update_challenge(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep,
    cover: CoverDep,
) -> Response:  # fmt: skip
    now = clock.now()
    challenge = _editable(session, actor, slug, now)
    stored = values_of(challenge)
    values = {**form_values(form), "organization": challenge.host.slug, "slug": challenge.slug}
    fields = [*TEXT_FIELDS, "target_groups", "sdg_goals"]
    # Frozen fields are shown read-only and not sent; a date or amount left as it was is not sent either (the
    # form shows whole minutes and whole kroner).
    fields += [name for name in (*DATE_FIELDS, "prize_amount") if values[name] != stored[name]]
    if any(values[name] != stored[name] for name in SPLIT_FIELDS):
        fields.append("prize_split")
    if permissions.can_edit_rules(actor, challenge, now):
        fields += sorted(RULE_FORM_FIELDS)
    else:
        values |= {name: stored[name] for name in RULE_FORM_FIELDS}
    if permissions.can_edit_voting(actor, challenge, now):
        fields += sorted(VOTING_FORM_FIELDS)
    else:
        values |= {name: stored[name] for name in VOTING_FORM_FIELDS}
    data, errors = payload(values, challenge.host.timezone, fields)
    remove = _one(form, "remove_cover") == "on" and cover is None and challenge.cover_sha256 is not None
    try:
        _check_cover(cover)
        parsed = _parse(ChallengeUpdate, data, errors)
        challenge = service.update(session, actor=actor, challenge=challenge, data=parsed, now=now)
        if cover is not None:
            service.set_cover(session, actor=actor, challenge=challenge, content=cover, now=now)
        elif remove:
            service.remove_cover(session, actor=actor, challenge=challenge, now=now)
    except (ValidationFailed, Conflict, PayloadTooLarge, UnsupportedMediaType) as error:
        status_code = 409 if isinstance(error, Conflict) else 422
        if isinstance(error, PayloadTooLarge | UnsupportedMediaType):
            status_code = error.status
        messages = cover_errors(error, cover_chosen=cover is not None)
        return _edit_page(request, challenge, actor, now, values, messages, status_code)
    return redirect(f"/manage/challenges/{slug}/edit", message=_("Your changes were saved."))


@router.post("/manage/challenges/{slug}/publish")
def publish_challenge(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep
) -> Response:
    now = clock.now()
    challenge = service.get_for(session, slug=slug, actor=actor)
    try:
        service.publish(session, actor=actor, challenge=challenge, now=now)
    except (ValidationFailed, Conflict) as error:
        if not permissions.can_edit(actor, challenge, now):
            raise
        errors = form_errors(error)
        if isinstance(error, ValidationFailed):
            errors = {"form": _("The challenge cannot be published yet."), **errors}
        return _edit_page(request, challenge, actor, now, errors=errors, status_code=error.status)
    return redirect(f"/challenges/{slug}", message=_("The challenge is published."))


@router.post("/manage/challenges/{slug}/cancel")
def cancel_challenge(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    now = clock.now()
    challenge = service.get_for(session, slug=slug, actor=actor)
    try:
        data = parse_form(ChallengeCancel, {"reason": _one(form, "reason")})
        service.cancel(session, actor=actor, challenge=challenge, reason=data.reason, now=now)
    except (ValidationFailed, Conflict) as error:
        if not permissions.can_edit(actor, challenge, now):
            raise
        return _edit_page(request, challenge, actor, now, errors=form_errors(error), status_code=error.status)
    return redirect(f"/challenges/{slug}", message=_("The challenge was cancelled."))


# --- criteria ----------------------------------------------------------------------------------------------------


def _criteria_page(
    request: Request, challenge: Challenge, actor: Actor, now: datetime, rows: list[dict[str, str]] | None = None,
    errors: dict[str, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    saved = [{"name": c.name, "description": c.description, "weight": str(c.weight)} for c in challenge.criteria]
    rows = rows if rows is not None else saved
    rows = rows + [{"name": "", "description": "", "weight": ""}] * (CRITERIA_ROWS - len(rows))
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


def criteria_rows(form: FormData) -> list[dict[str, str]]:
    """The table's rows as typed, empty rows left out."""
    rows = [
        {key: _one(form, f"criteria-{index}-{key}") for key in ("name", "description", "weight")}
        for index in range(CRITERIA_ROWS)
    ]
    return [row for row in rows if any(row.values())]


def parse_criteria(rows: list[dict[str, str]]) -> list[CriterionIn]:
    """The rows as criteria; messages name the row and field (`criteria-0-weight`)."""
    errors: dict[str, str] = {}
    criteria: list[CriterionIn] = []
    for index, row in enumerate(rows):
        try:
            criteria.append(CriterionIn.model_validate(row))
        except ValidationError as error:
            for item in error.errors():
                name = f"criteria-{index}-{item['loc'][0]}"
                if item["loc"][0] == "weight":
                    errors.setdefault(name, _("Give the weight as a whole number from 1 to 1000."))
                elif item["loc"][0] == "name":
                    errors.setdefault(name, _("Enter the criterion's name."))
                else:
                    errors.setdefault(name, _("Keep the description under 1000 characters."))
    if not errors:
        try:
            CriteriaReplace(criteria=criteria)
        except ValidationError as error:
            item = error.errors()[0]
            message = str(item["ctx"]["error"]) if "ctx" in item else _("Add at least one criterion.")
            errors["criteria"] = message if criteria else _("Add at least one criterion.")
    if errors:
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors)
    return criteria


@router.get("/manage/challenges/{slug}/criteria", response_class=HTMLResponse)
def criteria_form(request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep) -> Response:
    now = clock.now()
    return _criteria_page(request, _editable(session, actor, slug, now), actor, now)


@router.post("/manage/challenges/{slug}/criteria")
def replace_criteria(
    request: Request, slug: str, session: SessionDep, actor: SignedInDep, clock: ClockDep, form: FormDep
) -> Response:
    now = clock.now()
    challenge = _editable(session, actor, slug, now)
    rows = criteria_rows(form)
    try:
        service.replace_criteria(session, actor=actor, challenge=challenge, criteria=parse_criteria(rows), now=now)
    except (ValidationFailed, Conflict) as error:
        return _criteria_page(request, challenge, actor, now, rows, form_errors(error), error.status)
    return redirect(f"/manage/challenges/{slug}/criteria", message=_("The criteria were saved."))
