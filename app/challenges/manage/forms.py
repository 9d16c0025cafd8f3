"""The organiser's challenge form: a challenge as the form shows it, and what was typed read into the schemas,
with one message per field for whatever cannot be read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from app.challenges.models import DEFAULT_FILE_TYPES, Challenge, SubmissionVisibility, VoterRule, VotingMethod
from app.challenges.schemas import (
    DATE_FIELDS,
    MAX_FILE_MB,
    RULE_FIELDS,
    SLUG_PATTERN,
    VOTING_FIELDS,
    ChallengeCopy,
    ChallengeCreate,
    ChallengeUpdate,
    CriteriaReplace,
    CriterionIn,
)
from app.errors import AppError, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.i18n import gettext as _
from app.kit.forms import FormData, form_errors, parse_form, whole_number
from app.organizations.models import Organization

CRITERIA_ROWS = 8
TEXT_FIELDS = ("title", "summary", "problem_statement", "prize_text", "prize_currency", "follow_up_text")
# The rule and voting settings typed as whole numbers (the others are choices, a checkbox or a text).
NOT_NUMBERS = frozenset(
    {"allowed_file_types", "submissions_public", "terms_text", "voting_method", "live_counts", "voter_rule"}
    | {"voter_email_domains", "self_vote_allowed"}
)
CHECKBOXES = ("live_counts", "self_vote_allowed")
# Settings a form may leave out (an older form, a script): the stored value or the default stays.
OPTIONAL_SETTINGS = frozenset({"submissions_public", "max_points_per_concept", "voter_rule"})
NUMBER_FIELDS = tuple(name for name in RULE_FIELDS if name not in NOT_NUMBERS)
VOTING_NUMBER_FIELDS = tuple(name for name in VOTING_FIELDS if name not in NOT_NUMBERS)
# The prize split as the form has it: a choice of kind, amounts for three places in whole units, or N.
PLACES = 3
SPLIT_AMOUNT_FIELDS = tuple(f"prize_split_{place}" for place in range(1, PLACES + 1))
SPLIT_FIELDS = ("prize_split_kind", *SPLIT_AMOUNT_FIELDS, "prize_split_best")
SPLIT_KINDS = ("none", "fixed", "shared")
MAX_SHARED_BEST = 50
DATE_FORMAT = "%Y-%m-%dT%H:%M"
MAX_SLUG = 80


def one(form: FormData, name: str) -> str:
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
        "voter_rule": str(challenge.voter_rule),
        "voter_email_domains": "\n".join(challenge.voter_email_domains),
        "live_counts": challenge.live_counts,
        "self_vote_allowed": challenge.self_vote_allowed,
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
    defaults: dict[str, Any] = {
        "prize_currency": "NOK",
        "team_size_min": "1",
        "team_size_max": "5",
        "max_file_mb": "10",
    }
    defaults |= {"max_submissions_per_person": "1", "allowed_file_types": list(DEFAULT_FILE_TYPES)}
    defaults |= {"scoring_scale_max": "10", "submissions_public": SubmissionVisibility.AT_SUBMISSION.value}
    defaults |= {"voting_method": VotingMethod.NONE.value, "votes_per_voter": "1", "max_points_per_concept": "1"}
    defaults |= {"voter_rule": VoterRule.VERIFIED_EMAIL.value, "voter_email_domains": "", "self_vote_allowed": False}
    defaults |= {"jury_weight": "100", "live_counts": False, "terms_text": ""}
    return {"organization": organization, **defaults} | split_values(None)


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed, kept as typed so a re-rendered form shows it again."""
    names = (
        *("organization", "slug", *TEXT_FIELDS, *NUMBER_FIELDS, *VOTING_NUMBER_FIELDS, *DATE_FIELDS, "prize_amount"),
        *("voting_method", "voter_rule", "voter_email_domains", *SPLIT_FIELDS, "submissions_public", "terms_text"),
    )
    values: dict[str, Any] = {name: one(form, name) for name in names}
    values["target_groups"] = form.getlist("target_groups")
    values["sdg_goals"] = form.getlist("sdg_goals")
    values["allowed_file_types"] = form.getlist("allowed_file_types")
    values |= {name: one(form, name) == "on" for name in CHECKBOXES}
    values["prize_split_kind"] = values["prize_split_kind"] or "none"
    return values


def _whole_amount(value: str) -> int | None:
    """A whole amount as typed ("25 000" too), in minor units; None when it is not a whole number."""
    amount = whole_number(value.replace(" ", "").replace("\u00a0", ""), max_digits=13)
    return amount * 100 if amount is not None else None


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
        shared = whole_number(best, max_digits=4)
        if shared is None or not 1 <= shared <= MAX_SHARED_BEST:
            message = _("Give how many share the prize: a whole number from 1 to %(max)s.") % {"max": MAX_SHARED_BEST}
            return None, {"prize_split_best": message}
        return {"kind": "shared", "best": shared}, {}
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
        elif name in CHECKBOXES:
            data[name] = bool(value)
        elif name == "voter_email_domains":
            data[name] = str(value or "").replace(",", "\n").split()
        elif name == "prize_currency":
            data[name] = value or "NOK"
        elif name in OPTIONAL_SETTINGS:
            data[name] = value or None  # a form without the field keeps the setting
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
        "max_points_per_concept": _("Give a whole number from 1 to 100."),
        "voter_rule": _("Choose who may vote from the list."),
        "self_vote_allowed": _("Choose whether teams may vote for their own concept."),
        "jury_weight": _("Give the jury's share as a whole percentage from 0 to 100."),
        "live_counts": _("Choose whether counts are shown while voting is open."),
        "target_groups": _("Choose target groups from the list."),
        "allowed_file_types": _("Choose at least one file type from the list."),
        "prize_split": _("Check how the prize is split."),
        "submissions_public": _("Choose when concepts become public."),
        "terms_text": _("Keep the terms under 20 000 characters."),
    }


M = TypeVar("M", ChallengeCreate, ChallengeUpdate)


def parse(model: type[M], data: dict[str, Any], errors: dict[str, str]) -> M:
    """`data` as `model`; the form's own reading errors and the schema's are shown together."""
    try:
        parsed = parse_form(model, data, _messages())
    except ValidationFailed as error:
        raise ValidationFailed(error.detail, errors={**error.errors, **errors}) from error
    if errors:
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors)
    return parsed


def cover_errors(error: AppError, *, cover_chosen: bool) -> dict[str, str]:
    """The form's messages for `error`; a chosen cover cannot survive the form being shown again, so say so."""
    if isinstance(error, PayloadTooLarge | UnsupportedMediaType):
        return {"cover": error.detail}
    errors = form_errors(error)
    if cover_chosen:
        errors.setdefault("cover", _("The cover image was not saved because of the other problems: choose it again."))
    return errors


def criteria_rows(form: FormData) -> list[dict[str, str]]:
    """The table's rows as typed, empty rows left out."""
    rows = [
        {key: one(form, f"criteria-{index}-{key}") for key in ("name", "description", "weight")}
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


# --- copy as a template ------------------------------------------------------------------------------------------


def suggested_slug(source: Challenge, organization: Organization) -> str:
    """The source's address with the new host's appended ("sentrumshandel-baerum"), within the length limit."""
    slug = f"{source.slug}-{organization.slug}"[:MAX_SLUG].rstrip("-")
    return slug if SLUG_PATTERN.match(slug) else source.slug


def parse_copy(values: Mapping[str, str], targets: Sequence[Organization]) -> ChallengeCopy:
    """The copy form as `ChallengeCopy`: an organisation from `targets` and a title are required."""
    errors: dict[str, str] = {}
    if values["organization"] not in {org.slug for org in targets}:
        errors["organization"] = _("Choose one of your organisations from the list.")
    if not values["title"]:
        errors["title"] = _("Enter a title.")
    try:
        # A blank title is this form's own message; the schema reads it as "keep the source's title".
        data = parse_form(
            ChallengeCopy,
            {**values, "title": values["title"] or None},
            {"title": _("Keep the title under 140 characters.")},
        )
    except ValidationFailed as error:
        raise ValidationFailed(error.detail, errors={**error.errors, **errors}) from error
    if errors:
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors)
    return data
