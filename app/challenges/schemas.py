"""What the challenges API accepts and returns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal

from babel.numbers import list_currencies
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.challenges.models import (
    Challenge,
    Criterion,
    FileType,
    Status,
    SubmissionVisibility,
    TargetGroup,
    VoterRule,
    VotingMethod,
)
from app.challenges.phases import Phase, phase_of
from app.i18n import gettext as _
from app.kit import pagination, urls
from app.kit.bounds import Moment
from app.organizations.models import Organization
from app.templating import render_markdown

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,78}[a-z0-9]$")
MAX_PAGE_SIZE = 50
MAX_CRITERIA = 20
SDG_GOALS = range(1, 18)
MAX_COVER_BYTES = 2 * 1024 * 1024
# Attachments live in the database (every worker serves them) and are read whole: keep each one modest.
MAX_FILE_MB = 25

DATE_FIELDS = ("opens_at", "submissions_close_at", "review_ends_at", "voting_opens_at", "voting_closes_at",
               "announce_at")  # fmt: skip
RULE_FIELDS = ("team_size_min", "team_size_max", "max_submissions_per_person", "allowed_file_types", "max_file_mb",
               "scoring_scale_max", "submissions_public", "terms_text")  # fmt: skip
VOTING_FIELDS = (
    *("voting_method", "votes_per_voter", "max_points_per_concept", "voter_rule", "voter_email_domains"),
    *("self_vote_allowed", "live_counts", "jury_weight"),
)
MAX_VOTER_DOMAINS = 20
# A domain name as people write it after the @ (letters of any script; IDNA is checked separately).
DOMAIN_PATTERN = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)(\.(?!-)[\w-]{1,63}(?<!-))+$")


@cache
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def _check_slug(value: str) -> str:
    if not SLUG_PATTERN.match(value):
        raise ValueError(
            _("Use 2 to 80 lowercase letters (a–z), digits and hyphens, not starting or ending with a hyphen.")
        )
    return value


def _check_sdg_goals(values: list[int]) -> list[int]:
    unknown = [value for value in values if value not in SDG_GOALS]
    if unknown:
        raise ValueError(_("The UN Sustainable Development Goals are numbered 1 to 17."))
    return sorted(set(values))


def _check_currency(value: str) -> str:
    value = value.strip().upper()
    if value not in _currencies():
        raise ValueError(_("Use a three-letter ISO 4217 currency code, such as NOK, SEK or EUR."))
    return value


def _check_domains(values: list[str]) -> list[str]:
    """Email domains, lower-cased, without a leading @, each once."""
    domains = [value.strip().lower().removeprefix("@") for value in values if value.strip()]
    wrong = [domain for domain in domains if not DOMAIN_PATTERN.match(domain) or "_" in domain]
    if wrong:
        message = _("%(domain)s is not an email domain; write it as it comes after the @, such as skole.no.")
        raise ValueError(message % {"domain": wrong[0]})
    return list(dict.fromkeys(domains))


def _check_not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError(_("Enter a title."))
    return value.strip()


class FixedSplit(BaseModel):
    """Fixed amounts for 1st, 2nd and 3rd place (minor units)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["fixed"]
    amounts: list[Annotated[int, Field(ge=0)]] = Field(
        min_length=1, max_length=3, examples=[[3000000, 1500000, 500000]]
    )


class SharedSplit(BaseModel):
    """The total shared equally by the best `best` entries, as Battle of Concepts does."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["shared"]
    best: int = Field(ge=1, le=50, examples=[3])


PrizeSplit = Annotated[FixedSplit | SharedSplit, Field(discriminator="kind")]


class CriterionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=120, examples=["Gjennomførbarhet"])
    description: str = Field(default="", max_length=1000, examples=["Kan kommunen teste ideen innen et år?"])
    weight: int = Field(gt=0, le=1000, examples=[2], description="A positive weight; shares are shown as percentages.")

    @field_validator("name")
    @classmethod
    def _strip_name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Enter the criterion's name."))
        return value.strip()


def _check_criteria(criteria: list[CriterionIn]) -> list[CriterionIn]:
    names = [criterion.name.casefold() for criterion in criteria]
    if len(names) != len(set(names)):
        raise ValueError(_("Each criterion needs its own name."))
    return criteria


class CriteriaReplace(BaseModel):
    """The challenge's criteria, in order; they replace the current ones."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"criteria": [
            {"name": "Nytteverdi", "description": "Hvor mye hjelper det innbyggerne?", "weight": 3},
            {"name": "Gjennomførbarhet", "description": "", "weight": 2},
        ]}]},
    )  # fmt: skip

    criteria: list[CriterionIn] = Field(min_length=1, max_length=MAX_CRITERIA)

    @field_validator("criteria")
    @classmethod
    def _unique(cls, value: list[CriterionIn]) -> list[CriterionIn]:
        return _check_criteria(value)


class _ChallengeFields(BaseModel):
    """Fields shared by create and update; everything is optional here, create makes some required."""

    model_config = ConfigDict(extra="forbid")

    summary: str | None = Field(default=None, max_length=500)
    problem_statement: str | None = Field(default=None, max_length=20000, description="Markdown; sanitised on render.")
    target_groups: list[TargetGroup] | None = Field(default=None, max_length=len(TargetGroup))
    sdg_goals: list[int] | None = Field(default=None, max_length=17, examples=[[11, 12]])
    prize_text: str | None = Field(default=None, max_length=500)
    prize_amount: int | None = Field(
        default=None,
        ge=0,
        le=10**13,
        examples=[5000000],
        description="Total prize in minor units: 5000000 = 50 000 kr.",
    )
    prize_currency: str | None = Field(default=None, max_length=3, examples=["NOK"])
    prize_split: PrizeSplit | None = None
    follow_up_text: str | None = Field(default=None, max_length=2000)
    team_size_min: int | None = Field(default=None, ge=1, le=20)
    team_size_max: int | None = Field(default=None, ge=1, le=20)
    max_submissions_per_person: int | None = Field(default=None, ge=1, le=10)
    allowed_file_types: list[FileType] | None = Field(default=None, min_length=1, max_length=len(FileType))
    max_file_mb: int | None = Field(default=None, ge=1, le=MAX_FILE_MB)
    scoring_scale_max: int | None = Field(default=None, ge=2, le=100)
    submissions_public: SubmissionVisibility | None = Field(
        default=None, description="When submitted concepts become public: at submission, after the review, or never."
    )
    terms_text: str | None = Field(
        default=None, max_length=20000, description="The challenge's own terms for participants, on top of the "
        "platform's (Markdown; sanitised on render). Every team member accepts them before the team submits."
    )  # fmt: skip
    voting_method: VotingMethod | None = None
    votes_per_voter: int | None = Field(
        default=None, ge=1, le=100, description="With `multiple`: votes per person; with `points`: points to share out."
    )
    max_points_per_concept: int | None = Field(
        default=None, ge=1, le=100, description="With `points`: the most points one person may give one concept."
    )
    voter_rule: VoterRule | None = Field(
        default=None, description="Who may vote: any verified email, only listed email domains, or verified identities."
    )
    voter_email_domains: list[str] | None = Field(
        default=None, max_length=MAX_VOTER_DOMAINS, description="With `email-domain`: the domains whose people vote."
    )
    self_vote_allowed: bool | None = Field(default=None, description="Team members may vote for their own concept.")
    live_counts: bool | None = None
    jury_weight: int | None = Field(default=None, ge=0, le=100, description="Percent; the public vote weighs the rest.")
    opens_at: Moment | None = None
    submissions_close_at: Moment | None = None
    review_ends_at: Moment | None = Field(default=None, description="Leave out for no jury phase.")
    voting_opens_at: Moment | None = Field(default=None, description="Leave out (with its end) for no public vote.")
    voting_closes_at: Moment | None = None
    announce_at: Moment | None = None

    @field_validator("sdg_goals")
    @classmethod
    def _sdg(cls, value: list[int] | None) -> list[int] | None:
        return _check_sdg_goals(value) if value is not None else None

    @field_validator("prize_currency")
    @classmethod
    def _currency(cls, value: str | None) -> str | None:
        return _check_currency(value) if value is not None else None

    @field_validator("voter_email_domains")
    @classmethod
    def _domains(cls, value: list[str] | None) -> list[str] | None:
        return _check_domains(value) if value is not None else None

    @field_validator("target_groups", "allowed_file_types")
    @classmethod
    def _distinct(cls, value: list[str] | None) -> list[str] | None:
        return list(dict.fromkeys(value)) if value is not None else None


CREATE_EXAMPLE: dict[str, Any] = {
    "organization": "halden",
    "slug": "baerekraftig-sentrumshandel",
    "title": "Bærekraftig sentrumshandel",
    "summary": "Hvordan får vi flere til å handle i sentrum av Halden?",
    "problem_statement": "Sentrum har **mange tomme lokaler**. Vi søker konsepter som…",
    "target_groups": ["students", "citizens"],
    "sdg_goals": [11, 12],
    "prize_text": "50 000 kroner delt likt mellom de tre beste",
    "prize_amount": 5000000,
    "prize_currency": "NOK",
    "prize_split": {"kind": "shared", "best": 3},
    "opens_at": "2027-02-01T08:00:00+01:00",
    "submissions_close_at": "2027-03-15T12:00:00+01:00",
    "review_ends_at": "2027-04-01T12:00:00+02:00",
    "announce_at": "2027-04-15T12:00:00+02:00",
    "criteria": [{"name": "Nytteverdi", "weight": 3}, {"name": "Gjennomførbarhet", "weight": 2}],
}


class ChallengeCreate(_ChallengeFields):
    """A new draft in `organization` (a slug); criteria may come now or later."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CREATE_EXAMPLE]})

    organization: str = Field(min_length=1, max_length=60, examples=["halden"])
    slug: str = Field(min_length=2, max_length=80, examples=["baerekraftig-sentrumshandel"])
    title: str = Field(min_length=1, max_length=140, examples=["Bærekraftig sentrumshandel"])
    criteria: list[CriterionIn] = Field(default_factory=list, max_length=MAX_CRITERIA)

    @field_validator("slug", mode="before")
    @classmethod
    def _slug(cls, value: Any) -> str:
        return _check_slug(str(value).strip())

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return _check_not_blank(value)

    @field_validator("criteria")
    @classmethod
    def _unique(cls, value: list[CriterionIn]) -> list[CriterionIn]:
        return _check_criteria(value)


class ChallengeUpdate(_ChallengeFields):
    """Fields to change; `null` clears an optional date. The slug stays (it is in every address)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"summary": "Flere handlende i sentrum", "submissions_close_at":
                                         "2027-03-22T12:00:00+01:00"}]},
    )  # fmt: skip

    title: str | None = Field(default=None, min_length=1, max_length=140)

    @field_validator("title")
    @classmethod
    def _title(cls, value: str | None) -> str | None:
        return _check_not_blank(value) if value is not None else None


class ChallengeCancel(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"reason": "Kommunen har ikke fått midler til oppfølging."}]}
    )

    reason: str = Field(min_length=1, max_length=1000, description="Shown publicly on the challenge.")

    @field_validator("reason")
    @classmethod
    def _reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(_("Tell the public why the challenge is cancelled."))
        return value.strip()


class CoHostAdd(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"organization": "helsingborg"}]})

    organization: str = Field(min_length=1, max_length=60, examples=["helsingborg"])


class ChallengeCopy(BaseModel):
    """Copy a published challenge into a new draft of `organization`."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"organization": "baerum", "slug": "baerekraftig-sentrumshandel-baerum"}]},
    )

    organization: str = Field(min_length=1, max_length=60, examples=["baerum"])
    slug: str = Field(min_length=2, max_length=80, examples=["baerekraftig-sentrumshandel-baerum"])
    title: str | None = Field(default=None, min_length=1, max_length=140)

    @field_validator("slug", mode="before")
    @classmethod
    def _slug(cls, value: Any) -> str:
        return _check_slug(str(value).strip())


class HostRead(BaseModel):
    slug: str = Field(examples=["halden"])
    name: str = Field(examples=["Halden kommune"])
    logo_url: str | None = Field(examples=["/organisations/halden/logo"])
    url: str = Field(examples=["/organisations/halden"])

    @classmethod
    def from_model(cls, organization: Organization) -> HostRead:
        return cls(
            slug=organization.slug,
            name=organization.name,
            logo_url=urls.organisation(organization.slug, "/logo") if organization.logo_content_type else None,
            url=urls.organisation(organization.slug),
        )


class CriterionRead(BaseModel):
    id: int
    name: str
    description: str
    weight: int
    percentage: float = Field(description="This criterion's share of the total weight, in percent (1 decimal).")


def criteria_read(criteria: list[Criterion]) -> list[CriterionRead]:
    """The criteria with their weights as percentages of the total."""
    total = sum(criterion.weight for criterion in criteria) or 1
    return [
        CriterionRead(
            id=criterion.id or 0,
            name=criterion.name,
            description=criterion.description,
            weight=criterion.weight,
            percentage=round(100 * criterion.weight / total, 1),
        )
        for criterion in criteria
    ]


class SourceRead(BaseModel):
    """The challenge a copy was based on ("Based on … by …")."""

    slug: str
    title: str
    host_name: str
    url: str


class ChallengeRead(BaseModel):
    id: int
    slug: str
    url: str = Field(examples=["/challenges/baerekraftig-sentrumshandel"])
    title: str
    summary: str
    problem_statement: str = Field(description="Markdown as written.")
    problem_statement_html: str = Field(description="The Markdown rendered and sanitised.")
    status: Status
    phase: Phase = Field(description="Derived from the status and the dates at the time of the request.")
    host: HostRead
    co_hosts: list[HostRead]
    target_groups: list[TargetGroup]
    sdg_goals: list[int]
    prize_text: str
    prize_amount: int | None = Field(description="Minor units: 5000000 = 50 000 kr.")
    prize_currency: str
    prize_split: FixedSplit | SharedSplit | None
    follow_up_text: str
    cover_url: str | None = Field(
        description="The cover image; the address changes whenever the image does, so it may be cached for good.",
        examples=["/challenges/baerekraftig-sentrumshandel/cover/9f86d081884c7d65"],
    )
    team_size_min: int
    team_size_max: int
    max_submissions_per_person: int
    allowed_file_types: list[FileType]
    max_file_mb: int
    scoring_scale_max: int
    submissions_public: SubmissionVisibility
    terms_text: str = Field(description="Markdown as written.")
    terms_html: str = Field(description="The terms rendered and sanitised.")
    voting_method: VotingMethod
    votes_per_voter: int
    max_points_per_concept: int
    voter_rule: VoterRule
    voter_email_domains: list[str]
    self_vote_allowed: bool
    live_counts: bool
    jury_weight: int
    criteria: list[CriterionRead]
    opens_at: datetime | None
    submissions_close_at: datetime | None
    review_ends_at: datetime | None
    voting_opens_at: datetime | None
    voting_closes_at: datetime | None
    announce_at: datetime | None
    published_at: datetime | None
    cancel_reason: str
    cancelled_at: datetime | None
    copied_from: SourceRead | None
    reuse_count: int = Field(description="How many challenges were copied from this one.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_model(cls, challenge: Challenge, *, now: datetime, reuse_count: int) -> ChallengeRead:
        source = challenge.copied_from
        split = challenge.prize_split
        return cls(
            id=challenge.id or 0,
            slug=challenge.slug,
            url=urls.challenge(challenge.slug),
            title=challenge.title,
            summary=challenge.summary,
            problem_statement=challenge.problem_statement,
            problem_statement_html=str(render_markdown(challenge.problem_statement)),
            status=challenge.status,
            phase=phase_of(challenge, now),
            host=HostRead.from_model(challenge.host),
            co_hosts=[HostRead.from_model(cohost.organization) for cohost in challenge.cohosts],
            target_groups=[TargetGroup(group) for group in challenge.target_groups],
            sdg_goals=challenge.sdg_goals,
            prize_text=challenge.prize_text,
            prize_amount=challenge.prize_amount,
            prize_currency=challenge.prize_currency,
            prize_split=(FixedSplit if split["kind"] == "fixed" else SharedSplit).model_validate(split)
            if split
            else None,
            follow_up_text=challenge.follow_up_text,
            cover_url=cover_url(challenge),
            team_size_min=challenge.team_size_min,
            team_size_max=challenge.team_size_max,
            max_submissions_per_person=challenge.max_submissions_per_person,
            allowed_file_types=[FileType(kind) for kind in challenge.allowed_file_types],
            max_file_mb=challenge.max_file_mb,
            scoring_scale_max=challenge.scoring_scale_max,
            submissions_public=SubmissionVisibility(challenge.submissions_public),
            terms_text=challenge.terms_text,
            terms_html=str(render_markdown(challenge.terms_text)),
            voting_method=challenge.voting_method,
            votes_per_voter=challenge.votes_per_voter,
            max_points_per_concept=challenge.max_points_per_concept,
            voter_rule=VoterRule(challenge.voter_rule),
            voter_email_domains=list(challenge.voter_email_domains),
            self_vote_allowed=challenge.self_vote_allowed,
            live_counts=challenge.live_counts,
            jury_weight=challenge.jury_weight,
            criteria=criteria_read(challenge.criteria),
            opens_at=challenge.opens_at,
            submissions_close_at=challenge.submissions_close_at,
            review_ends_at=challenge.review_ends_at,
            voting_opens_at=challenge.voting_opens_at,
            voting_closes_at=challenge.voting_closes_at,
            announce_at=challenge.announce_at,
            published_at=challenge.published_at,
            cancel_reason=challenge.cancel_reason,
            cancelled_at=challenge.cancelled_at,
            copied_from=SourceRead(
                slug=source.slug, title=source.title, host_name=source.host.name, url=urls.challenge(source.slug)
            )
            if source is not None
            else None,
            reuse_count=reuse_count,
            created_at=challenge.created_at,
            updated_at=challenge.updated_at,
        )


def cover_url(challenge: Challenge) -> str | None:
    """The cover image's address; it names the image's hash, so a new image gets a new address."""
    if not challenge.cover_sha256:
        return None
    return urls.challenge(challenge.slug, f"/cover/{challenge.cover_sha256}")


@dataclass(frozen=True)
class PrizeSplitView:
    """How the prize is split, in whole currency units, for the public page."""

    kind: Literal["fixed", "shared"]
    currency: str
    amounts: list[int]  # fixed: 1st, 2nd, 3rd place
    best: int = 0  # shared: how many entries share the total
    each: int | None = None  # shared: each one's share, when the total is given


def prize_split_view(challenge: Challenge) -> PrizeSplitView | None:
    """The challenge's prize split as the public reads it ("1st 25 000 NOK, …" or "the best 3: 16 667 NOK each")."""
    split = challenge.prize_split
    if not split:
        return None
    currency = challenge.prize_currency
    if split.get("kind") == "fixed":
        return PrizeSplitView(kind="fixed", currency=currency, amounts=[int(a) // 100 for a in split["amounts"]])
    best = int(split["best"])
    total = challenge.prize_amount
    return PrizeSplitView(
        kind="shared", currency=currency, amounts=[], best=best, each=round(total / best / 100) if total else None
    )


class ChallengeSort(StrEnum):
    """The orders a list of challenges comes in (the service's `SORTS`)."""

    DEADLINE = "deadline"  # the next closing first
    NEWEST = "newest"
    PRIZE = "prize"  # the largest prize first


class ChallengePage(pagination.Page[ChallengeRead]):
    """One page of challenges; `next` is the address of the following page, or null on the last one."""

    # Challenges are served at most MAX_PAGE_SIZE a page (the list caps `size` with it), and documented so.
    size: int = Field(ge=1, le=MAX_PAGE_SIZE, examples=[20])
    next: str | None = Field(default=None, examples=["http://testserver/api/v1/challenges?page=2&size=20"])
