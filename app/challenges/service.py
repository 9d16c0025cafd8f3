"""Challenges: drafting, editing under the freeze rules, publishing, cancelling, co-hosts, criteria and copies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ColumnElement, case, exists, func, literal, or_, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption
from sqlmodel import Session, cast, col, select

from app.actor import Actor
from app.audit import service as audit
from app.challenges import permissions
from app.challenges.models import (
    Challenge,
    ChallengeCoHost,
    ChallengeCover,
    Criterion,
    Status,
    SubmissionVisibility,
    VoterRule,
    VotingMethod,
)
from app.challenges.phases import Phase, phase_condition
from app.challenges.schemas import (
    DATE_FIELDS,
    MAX_COVER_BYTES,
    RULE_FIELDS,
    VOTING_FIELDS,
    ChallengeCopy,
    ChallengeCreate,
    ChallengeUpdate,
    CriterionIn,
)
from app.errors import (
    Conflict,
    Forbidden,
    NotFound,
    PhaseClosed,
    ValidationFailed,
)
from app.i18n import gettext as _
from app.kit import images
from app.organizations import service as organizations
from app.organizations.models import Organization

# What every challenge read shows, loaded up front in a fixed number of queries whatever the page size.
LOAD: tuple[ExecutableOption, ...] = (
    selectinload(Challenge.host),  # type: ignore[arg-type]
    selectinload(Challenge.cohosts).selectinload(ChallengeCoHost.organization),  # type: ignore[arg-type]
    selectinload(Challenge.criteria),  # type: ignore[arg-type]
    selectinload(Challenge.copied_from).selectinload(Challenge.host),  # type: ignore[arg-type]
)
SORTS = ("deadline", "newest", "prize")
# Sent when a field may be cleared (`null`), so "left out" and "set to null" can be told apart.
NULLABLE_FIELDS = frozenset({"prize_amount", "prize_split", *DATE_FIELDS})


@dataclass(frozen=True)
class ListFilters:
    """Allow-listed filters for the challenge list."""

    phases: Sequence[Phase] = ()
    organization: str | None = None
    target_group: str | None = None
    sdg_goal: int | None = None
    q: str | None = None


@dataclass(frozen=True)
class Listing:
    items: Sequence[Challenge]
    total: int
    reuse_counts: dict[int, int] = field(default_factory=dict)


# --- reading -----------------------------------------------------------------------------------------------------


def _load(session: Session, *conditions: ColumnElement[bool]) -> Challenge | None:
    statement = select(Challenge).where(*conditions).options(*LOAD).execution_options(populate_existing=True)
    return session.exec(statement).first()


def _reload(session: Session, challenge: Challenge) -> Challenge:
    """The challenge again with everything a read shows (collections changed behind its back are refreshed)."""
    loaded = _load(session, col(Challenge.id) == challenge.id)
    assert loaded is not None  # noqa: S101  (it was just written in this transaction)
    return loaded


def get_for(session: Session, *, slug: str, actor: Actor) -> Challenge:
    """The challenge with `slug`, when `actor` may see it (a draft is a 404 to outsiders)."""
    challenge = _load(session, col(Challenge.slug) == slug)
    if challenge is None or not permissions.can_view(actor, challenge):
        raise NotFound(_("No such challenge."))
    return challenge


def get_public_row(session: Session, *, slug: str) -> Challenge:
    """A published or cancelled challenge's own row, without its host, co-hosts or criteria (a draft is a 404 to
    everyone here): for hot paths that need only its settings and dates, such as casting a vote."""
    challenge = session.exec(
        select(Challenge).where(col(Challenge.slug) == slug, col(Challenge.status) != Status.DRAFT)
    ).first()
    if challenge is None:
        raise NotFound(_("No such challenge."))
    return challenge


def reuse_counts(session: Session, *, ids: Sequence[int]) -> dict[int, int]:
    """How many challenges were copied from each of `ids` (one query)."""
    if not ids:
        return {}
    source = col(Challenge.copied_from_id)
    rows = session.exec(select(source, func.count()).where(source.in_(sorted(ids))).group_by(source)).all()
    return {int(source_id): int(count) for source_id, count in rows if source_id is not None}


def reuse_count(session: Session, *, challenge: Challenge) -> int:
    """How many challenges were copied from `challenge`."""
    return reuse_counts(session, ids=[challenge.id]).get(challenge.id or 0, 0) if challenge.id else 0


def _json_list_contains(session: Session, column: Any, value: str | int) -> ColumnElement[bool]:
    """`value` is an element of the JSON list in `column` (JSON containment is spelled per database)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(column, JSONB).contains([value])
    elements = func.json_each(column).table_valued("value").alias("element")
    return exists(select(literal(1)).select_from(elements).where(elements.c.value == value))


def _visible_to(actor: Actor) -> ColumnElement[bool]:
    if actor.is_platform_admin:
        return true()
    organization_ids = sorted(actor.roles)
    cohosted = select(ChallengeCoHost.challenge_id).where(col(ChallengeCoHost.organization_id).in_(organization_ids))
    return or_(
        col(Challenge.status) != Status.DRAFT,
        col(Challenge.host_id).in_(organization_ids),
        col(Challenge.id).in_(cohosted),
    )


def _order(sort: str, now: datetime) -> list[Any]:
    closes = col(Challenge.submissions_close_at)
    if sort == "deadline":
        # Open deadlines soonest first, then passed ones most recent first, then those without a date.
        group = case((closes.is_(None), 2), (closes >= now, 0), else_=1)
        return [group, case((closes >= now, closes)).asc(), closes.desc(), col(Challenge.id)]
    if sort == "prize":
        amount = col(Challenge.prize_amount)
        return [amount.is_(None), amount.desc(), col(Challenge.id).desc()]
    return [func.coalesce(col(Challenge.published_at), col(Challenge.created_at)).desc(), col(Challenge.id).desc()]


def list_challenges(
    session: Session, *, actor: Actor, filters: ListFilters, sort: str, page: int, size: int, now: datetime
) -> Listing:
    """One page of the challenges `actor` may see, filtered and sorted; published ones unless phases are given."""
    if sort not in SORTS:
        raise ValidationFailed(
            _("Unknown sort order."), errors={"sort": _("Sort by one of: %(sorts)s.") % {"sorts": ", ".join(SORTS)}}
        )
    conditions: list[ColumnElement[bool]] = [_visible_to(actor)]
    if filters.phases:
        conditions.append(or_(*(phase_condition(phase, now) for phase in filters.phases)))
    else:
        conditions.append(col(Challenge.status) == Status.PUBLISHED)
    if filters.organization:
        organization_id = select(Organization.id).where(Organization.slug == filters.organization).scalar_subquery()
        cohosted = select(ChallengeCoHost.challenge_id).where(ChallengeCoHost.organization_id == organization_id)
        conditions.append(or_(col(Challenge.host_id) == organization_id, col(Challenge.id).in_(cohosted)))
    if filters.target_group:
        conditions.append(_json_list_contains(session, col(Challenge.target_groups), filters.target_group))
    if filters.sdg_goal is not None:
        conditions.append(_json_list_contains(session, col(Challenge.sdg_goals), filters.sdg_goal))
    if filters.q and filters.q.strip():
        words = filters.q.strip()
        conditions.append(
            or_(col(Challenge.title).icontains(words, autoescape=True), col(Challenge.summary).icontains(words,
                autoescape=True))
        )  # fmt: skip
    total = session.exec(select(func.count()).select_from(Challenge).where(*conditions)).one()
    items = session.exec(
        select(Challenge).where(*conditions).options(*LOAD).order_by(*_order(sort, now))
        .offset((page - 1) * size).limit(size)
    ).all()  # fmt: skip
    counts = reuse_counts(session, ids=[item.id for item in items if item.id is not None])
    return Listing(items=items, total=int(total), reuse_counts=counts)


def challenges_by_organization(
    session: Session, *, actor: Actor, organization_ids: Sequence[int], now: datetime, limit: int = 50
) -> dict[int, list[Challenge]]:
    """Each organisation's hosted and co-hosted challenges (drafts included where `actor` may see them), newest
    first and at most `limit` each, fetched in one query for all the organisations together."""
    if not organization_ids:
        return {}
    cohosted = select(ChallengeCoHost.challenge_id).where(col(ChallengeCoHost.organization_id).in_(organization_ids))
    challenges = session.exec(
        select(Challenge)
        .where(_visible_to(actor), or_(col(Challenge.host_id).in_(organization_ids), col(Challenge.id).in_(cohosted)))
        .options(*LOAD)
        .order_by(*_order("newest", now))
    ).all()
    grouped: dict[int, list[Challenge]] = {organization_id: [] for organization_id in organization_ids}
    for challenge in challenges:
        for organization_id in challenge.host_ids:
            if organization_id in grouped and len(grouped[organization_id]) < limit:
                grouped[organization_id].append(challenge)
    return grouped


# --- rules on the whole challenge --------------------------------------------------------------------------------


def _values(challenge: Challenge) -> dict[str, Any]:
    """The challenge's columns by name, as stored."""
    return {column.key: getattr(challenge, column.key) for column in Challenge.__table__.columns}  # type: ignore[attr-defined]


def snapshot(challenge: Challenge) -> dict[str, Any]:
    """The challenge's own fields as the audit log records them."""
    data = {k: v for k, v in _values(challenge).items() if k not in {"id", "created_at", "updated_at"}}
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in data.items()}


def _criteria_snapshot(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    return [{"name": c.name, "description": c.description, "weight": c.weight} for c in criteria]


def _order_errors(values: dict[str, Any]) -> dict[str, str]:
    """Dates in order: opening < closing ≤ end of review ≤ voting window ≤ announcement."""
    errors: dict[str, str] = {}
    opens, closes = values["opens_at"], values["submissions_close_at"]
    review_ends, announce = values["review_ends_at"], values["announce_at"]
    voting_opens, voting_closes = values["voting_opens_at"], values["voting_closes_at"]
    if opens and closes and closes <= opens:
        errors["submissions_close_at"] = _("Submissions must close after they open.")
    if review_ends and closes and review_ends <= closes:
        errors["review_ends_at"] = _("The jury's review must end after submissions close.")
    if (voting_opens is None) != (voting_closes is None):
        missing = "voting_closes_at" if voting_closes is None else "voting_opens_at"
        errors[missing] = _("Give both the start and the end of the public vote, or neither.")
    before_vote = review_ends or closes
    if voting_opens and before_vote and voting_opens < before_vote:
        errors["voting_opens_at"] = _("The public vote opens once submissions have closed and the jury is done.")
    if voting_opens and voting_closes and voting_closes <= voting_opens:
        errors["voting_closes_at"] = _("The public vote must close after it opens.")
    last = voting_closes or review_ends or closes
    if announce and last and announce < last:
        errors["announce_at"] = _("Results are announced after submissions, review and voting are over.")
    if values["team_size_max"] < values["team_size_min"]:
        errors["team_size_max"] = _("The largest team size cannot be smaller than the smallest.")
    split = values["prize_split"]
    if split and split.get("kind") == "fixed":
        if values["prize_amount"] is None:
            errors["prize_amount"] = _("Give the total prize amount when the prize is split in fixed amounts.")
        elif sum(split["amounts"]) > values["prize_amount"]:
            errors["prize_split"] = _("The fixed amounts add up to more than the total prize.")
    if values["voting_method"] == VotingMethod.NONE and voting_opens:
        errors["voting_method"] = _("Choose a voting method, or leave out the voting dates.")
    return errors | _voting_errors(values)


def _voting_errors(values: dict[str, Any]) -> dict[str, str]:
    """A public vote needs concepts the public can see, points that fit the total, and domains when it lists them."""
    errors: dict[str, str] = {}
    method = values["voting_method"]
    if method == VotingMethod.NONE:
        return errors
    if values["submissions_public"] == SubmissionVisibility.NEVER:
        errors["voting_method"] = _("A public vote needs concepts the public can see: choose when they are shown.")
    if method == VotingMethod.POINTS and values["max_points_per_concept"] > values["votes_per_voter"]:
        errors["max_points_per_concept"] = _("One concept cannot get more points than a person has to share out.")
    if values["voter_rule"] == VoterRule.EMAIL_DOMAIN and not values["voter_email_domains"]:
        errors["voter_email_domains"] = _("List at least one email domain, or let anyone with a verified email vote.")
    return errors


def _completeness_errors(values: dict[str, Any], criteria_count: int, now: datetime) -> dict[str, str]:
    """What a published challenge must have: criteria, its dates, and a vote only with its dates."""
    errors: dict[str, str] = {}
    if criteria_count == 0:
        errors["criteria"] = _("Add at least one criterion for the jury.")
    for name in ("opens_at", "submissions_close_at", "announce_at"):
        if values[name] is None:
            errors[name] = _("Set this date before publishing.")
    closes = values["submissions_close_at"]
    if closes is not None and closes <= now:
        errors["submissions_close_at"] = _("Submissions must close in the future.")
    if values["voting_method"] != VotingMethod.NONE and values["voting_opens_at"] is None:
        errors["voting_opens_at"] = _("Set the voting dates, or choose no public vote.")
    return errors


def _refuse(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationFailed(_("Please correct the fields marked below."), errors=errors)


def _stored(value: Any) -> Any:
    """A schema value as the model stores it (enums as strings, nested models as dicts)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [str(item) if isinstance(item, str) else item for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def _insert(session: Session, challenge: Challenge) -> None:
    if session.exec(select(Challenge.id).where(Challenge.slug == challenge.slug)).first() is not None:
        raise _slug_taken()
    try:
        # A concurrent request may take the slug between the check and the insert; the unique index decides.
        with session.begin_nested():
            session.add(challenge)
            session.flush()
    except IntegrityError as error:
        raise _slug_taken() from error


def _slug_taken() -> Conflict:
    return Conflict(_("That address is already used by another challenge."), field="slug")


def _organization(session: Session, slug: str) -> Organization:
    try:
        return organizations.get_by_slug(session, slug=slug)
    except NotFound as error:
        raise ValidationFailed(
            _("Please correct the fields marked below."), errors={"organization": _("No such organisation.")}
        ) from error


def _id(organization: Organization) -> int:
    assert organization.id is not None  # noqa: S101  (organisations come from the database)
    return organization.id


def _criteria(items: Sequence[CriterionIn]) -> list[Criterion]:
    return [
        Criterion(name=item.name, description=item.description, weight=item.weight, position=position)
        for position, item in enumerate(items)
    ]


def _record(session: Session, *, actor: Actor, challenge: Challenge, action: str, now: datetime,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:  # fmt: skip
    audit.record(
        session, actor=actor, action=action, target_type="challenge", target_id=challenge.id,
        organization_id=challenge.host_id, before=before, after=after, now=now,
    )  # fmt: skip


# --- writing -----------------------------------------------------------------------------------------------------


def create(session: Session, *, actor: Actor, data: ChallengeCreate, now: datetime) -> Challenge:
    """A new draft in an organisation the actor edits for."""
    organization = _organization(session, data.organization)
    if not permissions.can_create(actor, organization):
        raise Forbidden(_("Only the organisation's editors can create challenges for it."))
    fields = {name: _stored(getattr(data, name)) for name in data.model_fields_set - {"organization", "criteria"}}
    fields = {name: value for name, value in fields.items() if value is not None or name in NULLABLE_FIELDS}
    challenge = Challenge(**fields, host_id=_id(organization), created_at=now, updated_at=now)
    _refuse(_order_errors(_values(challenge)))
    challenge.criteria = _criteria(data.criteria)
    _insert(session, challenge)
    _record(session, actor=actor, challenge=challenge, action="challenge.create", now=now,
            after={**snapshot(challenge), "criteria": _criteria_snapshot(challenge.criteria)})  # fmt: skip
    return _reload(session, challenge)


def _frozen(fields: set[str], actor: Actor, challenge: Challenge, now: datetime) -> None:
    rules = sorted(fields & set(RULE_FIELDS))
    if rules and not permissions.can_edit_rules(actor, challenge, now):
        raise PhaseClosed(_("Submission rules and the scoring scale cannot change once submissions have opened."),
                          fields=rules)  # fmt: skip
    voting = sorted(fields & set(VOTING_FIELDS))
    if voting and not permissions.can_edit_voting(actor, challenge, now):
        raise PhaseClosed(_("Voting settings cannot change once voting has opened."), fields=voting)


def _date_errors(challenge: Challenge, changes: dict[str, Any], now: datetime) -> dict[str, str]:
    """Once published, a date that has passed stays; others move only later, and never into the past."""
    if challenge.status == Status.DRAFT:
        return {}
    errors: dict[str, str] = {}
    for name in DATE_FIELDS:
        if name not in changes:
            continue
        old, new = getattr(challenge, name), changes[name]
        if old is not None and old <= now:
            raise PhaseClosed(_("A date that has passed cannot be changed."), fields=[name])
        if new is None:
            continue
        if new <= now:
            errors[name] = _("A published challenge's dates cannot be moved into the past.")
        elif old is not None and new < old:
            errors[name] = _("A published challenge's dates can only be moved later.")
    return errors


def update(session: Session, *, actor: Actor, challenge: Challenge, data: ChallengeUpdate, now: datetime) -> Challenge:
    """Change a challenge under the freeze rules; nothing is stored when any rule refuses."""
    permissions.check_edit(actor, challenge, now)
    changes: dict[str, Any] = {}
    for name in data.model_fields_set:
        value = _stored(getattr(data, name))
        if value is None and name not in NULLABLE_FIELDS:
            continue
        if value != getattr(challenge, name):
            changes[name] = value
    if not changes:
        return challenge
    _frozen(set(changes), actor, challenge, now)
    values = {**_values(challenge), **changes}
    errors = {**_date_errors(challenge, changes, now), **_order_errors(values)}
    if challenge.status != Status.DRAFT:
        completeness = _completeness_errors(values, len(challenge.criteria), now)
        # A published challenge keeps its required dates; the closing date's "future" rule is the date rule's.
        errors.update({k: v for k, v in completeness.items() if k in changes and k != "submissions_close_at"})
    _refuse(errors)
    before = snapshot(challenge)
    for name, value in changes.items():
        setattr(challenge, name, value)
    challenge.updated_at = now
    session.add(challenge)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.update", now=now,
            before={k: before[k] for k in changes}, after={k: snapshot(challenge)[k] for k in changes})  # fmt: skip
    return _reload(session, challenge)


def publish(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> Challenge:
    """Make a draft public once it is complete: criteria, dates in order and in the future."""
    if not permissions.can_publish(actor, challenge, now):
        if not permissions.is_host(actor, challenge):
            raise Forbidden(_("Only the host organisation can publish this challenge."))
        raise Conflict(_("Only a draft can be published."))
    values = _values(challenge)
    _refuse({**_order_errors(values), **_completeness_errors(values, len(challenge.criteria), now)})
    challenge.status = Status.PUBLISHED
    challenge.published_at = now
    challenge.updated_at = now
    session.add(challenge)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.publish", now=now,
            after={"status": str(challenge.status), "published_at": now.isoformat()})  # fmt: skip
    return _reload(session, challenge)


def cancel(session: Session, *, actor: Actor, challenge: Challenge, reason: str, now: datetime) -> Challenge:
    """Call off a published challenge; the reason is shown publicly."""
    if not permissions.can_cancel(actor, challenge, now):
        if not permissions.is_host(actor, challenge):
            raise Forbidden(_("Only the host organisation can cancel this challenge."))
        raise Conflict(_("Only a published challenge that has not announced its results can be cancelled."))
    challenge.status = Status.CANCELLED
    challenge.cancel_reason = reason
    challenge.cancelled_at = now
    challenge.updated_at = now
    session.add(challenge)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.cancel", now=now,
            after={"status": str(challenge.status), "cancel_reason": reason})  # fmt: skip
    return _reload(session, challenge)


def replace_criteria(
    session: Session, *, actor: Actor, challenge: Challenge, criteria: Sequence[CriterionIn], now: datetime
) -> Challenge:
    """The challenge's criteria, replaced as a whole, until submissions open."""
    permissions.check_edit(actor, challenge, now)
    if not permissions.can_edit_rules(actor, challenge, now):
        raise PhaseClosed(_("Criteria cannot change once submissions have opened."), fields=["criteria"])
    before = _criteria_snapshot(challenge.criteria)
    challenge.criteria = _criteria(criteria)  # the old ones are deleted as orphans
    challenge.updated_at = now
    session.add(challenge)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.criteria", now=now,
            before={"criteria": before}, after={"criteria": _criteria_snapshot(challenge.criteria)})  # fmt: skip
    return _reload(session, challenge)


def add_cohost(
    session: Session, *, actor: Actor, challenge: Challenge, organization_slug: str, now: datetime
) -> Challenge:
    """Another organisation runs the challenge with the host; its editors may edit it, its admins are emailed."""
    if not permissions.can_manage_cohosts(actor, challenge, now):
        raise Forbidden(_("Only the host organisation's owners and admins can manage co-hosts."))
    organization = _organization(session, organization_slug)
    if organization.id in challenge.host_ids:
        raise Conflict(_("This organisation already hosts the challenge."), field="organization")
    cohost = ChallengeCoHost(challenge_id=challenge.id, organization_id=organization.id, created_at=now)  # type: ignore[arg-type]
    try:
        with session.begin_nested():  # two admins adding the same co-host at once: the unique pair decides
            session.add(cohost)
            session.flush()
    except IntegrityError as error:
        raise Conflict(_("This organisation already hosts the challenge."), field="organization") from error
    _record(session, actor=actor, challenge=challenge, action="challenge.cohost.add", now=now,
            after={"organization": organization.slug})  # fmt: skip
    added = _reload(session, challenge)
    # The new co-host's owners and admins hear that they now run the challenge too.
    inviter = actor.user.display_name if actor.user else added.host.name
    organizations.email_administrators(
        session, organization=organization, template="cohost_added", now=now,
        context={"challenge": added, "host": added.host, "inviter": inviter},
    )  # fmt: skip
    return added


def remove_cohost(
    session: Session, *, actor: Actor, challenge: Challenge, organization_slug: str, now: datetime
) -> Challenge:
    """The organisation no longer co-hosts the challenge."""
    if not permissions.can_manage_cohosts(actor, challenge, now):
        raise Forbidden(_("Only the host organisation's owners and admins can manage co-hosts."))
    cohost = next((c for c in challenge.cohosts if c.organization.slug == organization_slug), None)
    if cohost is None:
        raise NotFound(_("This organisation does not co-host the challenge."))
    challenge.cohosts.remove(cohost)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.cohost.remove", now=now,
            before={"organization": organization_slug})  # fmt: skip
    return _reload(session, challenge)


# --- cover image --------------------------------------------------------------------------------------------------


def cover_image(content: bytes) -> images.Image:
    """A cover image, judged by its content (PNG, JPEG or WebP) and refused when over 2 MB."""
    return images.accept(
        content,
        max_bytes=MAX_COVER_BYTES,
        too_large=_("The cover image is larger than 2 MB. Please upload a smaller image."),
        not_an_image=_("The cover image must be a PNG, JPEG or WebP image."),
    )


def cover_content_type(content: bytes) -> str:
    """The image type of a cover, judged by its content (PNG, JPEG or WebP) and refused when over 2 MB."""
    return cover_image(content).content_type


def _cover_key(challenge: Challenge) -> int:
    assert challenge.id is not None  # noqa: S101  (a stored challenge)
    return challenge.id


def set_cover(session: Session, *, actor: Actor, challenge: Challenge, content: bytes, now: datetime) -> Challenge:
    """Replace the challenge's cover image (checked by content and size); covers change until a cancellation."""
    permissions.check_edit(actor, challenge, now)
    image = cover_image(content)
    change = images.store(session, ChallengeCover, key=_cover_key(challenge), image=image, now=now)
    challenge.cover_sha256 = image.sha256
    challenge.updated_at = now
    session.add(challenge)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.cover", now=now, **change)
    return _reload(session, challenge)


def remove_cover(session: Session, *, actor: Actor, challenge: Challenge, now: datetime) -> Challenge:
    """The challenge shows no cover image any more."""
    permissions.check_edit(actor, challenge, now)
    change = images.remove(
        session, ChallengeCover, key=_cover_key(challenge), missing=_("This challenge has no cover image.")
    )
    challenge.cover_sha256 = None
    challenge.updated_at = now
    session.add(challenge)
    session.flush()
    _record(session, actor=actor, challenge=challenge, action="challenge.cover.remove", now=now, **change)
    return _reload(session, challenge)


def cover_of(session: Session, *, challenge: Challenge, sha256: str) -> ChallengeCover:
    """The challenge's cover when `sha256` names the current one (an old address is gone, not redirected)."""
    missing = _("No such cover image.")
    key, shown = _cover_key(challenge), challenge.cover_sha256
    return images.current(session, ChallengeCover, key=key, current_sha256=shown, sha256=sha256, missing=missing)


COPIED_FIELDS = ("summary", "problem_statement", "target_groups", "sdg_goals", "follow_up_text", *RULE_FIELDS,
                 *VOTING_FIELDS)  # fmt: skip


def copy(session: Session, *, actor: Actor, source: Challenge, data: ChallengeCopy, now: datetime) -> Challenge:
    """A new draft of the actor's organisation from a published challenge: text, criteria and rules, no dates.

    The prize is left to the new host (it is their money); the copy credits its source.
    """
    if not permissions.can_copy(actor, source, now):
        raise Forbidden(_("Only organisation editors can copy a published challenge."))
    organization = _organization(session, data.organization)
    if not permissions.can_copy_into(actor, organization):
        raise Forbidden(_("You can only copy a challenge into an organisation you work in."))
    copied = Challenge(
        **{name: getattr(source, name) for name in COPIED_FIELDS},
        host_id=_id(organization),
        slug=data.slug,
        title=data.title or source.title,
        copied_from_id=source.id,
        created_at=now,
        updated_at=now,
    )
    copied.criteria = _criteria(
        [CriterionIn(name=c.name, description=c.description, weight=c.weight) for c in source.criteria]
    )
    _insert(session, copied)
    _record(session, actor=actor, challenge=copied, action="challenge.copy", now=now,
            after={**snapshot(copied), "source": source.slug})  # fmt: skip
    return _reload(session, copied)


# --- co-host and copy choices for the pages ----------------------------------------------------------------------


def cohost_candidates(session: Session, *, challenge: Challenge) -> list[Organization]:
    """The organisations that could be invited to co-host `challenge` (any not already hosting it), by name."""
    hosting = set(challenge.host_ids)
    return [org for org in organizations.list_organizations(session) if org.id not in hosting]


def copy_targets(session: Session, *, actor: Actor, source: Challenge, now: datetime) -> list[Organization]:
    """The organisations `actor` may copy `source` into, by name (one query); refused (403) when there is none."""
    copyable = permissions.can_copy(actor, source, now)
    memberships = organizations.organizations_of(session, actor=actor) if copyable else []
    targets = [org for org, _role in memberships if permissions.can_copy_into(actor, org)]
    if not targets:
        raise Forbidden(_("Only organisation editors can copy a published challenge."))
    return targets


def creatable_organizations(session: Session, *, actor: Actor) -> list[Organization]:
    """The organisations `actor` may draft challenges in; refused (403) when there is none."""
    memberships = organizations.organizations_of(session, actor=actor)
    creatable = [org for org, _role in memberships if permissions.can_create(actor, org)]
    if not creatable:
        raise Forbidden(_("Only organisation editors can create challenges."))
    return creatable


def announce_now(session: Session, *, challenge: Challenge, now: datetime) -> None:
    """The hosts announce the results now: a later (or missing) announcement date becomes `now`, so the challenge is
    announced from this moment (and its followers are told, as on any announcement date)."""
    if challenge.announce_at is None or challenge.announce_at > now:
        challenge.announce_at = now
        challenge.updated_at = now
        session.add(challenge)
        session.flush()
