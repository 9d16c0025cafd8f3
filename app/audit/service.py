"""Recording and checking the append-only audit log; each event's hash covers the previous event's hash."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, cast, false, func, or_, text
from sqlmodel import Session, col, select

from app.actor import Actor
from app.audit import permissions
from app.audit.models import AuditEvent
from app.db import MAX_ROW_ID
from app.logging import request_id_var

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 7_263_521  # PostgreSQL advisory lock that serialises appends to the chain


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)


# Keys of `before`/`after` that hold personal data; with the actor's label they are the event's personal fields.
PERSONAL_KEYS = ("email",)
# What a personal field reads once its person deleted their account (by field: "actor_label" or a key above).
PSEUDONYMS = {"actor_label": "Deleted user", "email": "[deleted]"}


def _field(path: str) -> str:
    return path.rpartition(".")[2]


def _value_at(event: AuditEvent, path: str) -> Any:
    if path == "actor_label":
        return event.actor_label
    side, _dot, key = path.partition(".")
    values = event.before if side == "before" else event.after if side == "after" else None
    return values.get(key) if isinstance(values, dict) else None


def _personal_values(event: AuditEvent) -> dict[str, str]:
    """The event's personal fields by path: a person's label, and the emails in before/after."""
    found = {"actor_label": event.actor_label} if event.actor_user_id is not None else {}
    for side, values in (("before", event.before), ("after", event.after)):
        for key in PERSONAL_KEYS:
            value = values.get(key) if isinstance(values, dict) else None
            if isinstance(value, str):
                found[f"{side}.{key}"] = value
    return found


def _commitment(salt: str, value: str) -> str:
    return hmac.new(bytes.fromhex(salt), value.encode(), hashlib.sha256).hexdigest()


def compute_hash(event: AuditEvent, previous_hash: str) -> str:
    """SHA-256 over the event's content and the previous event's hash.

    Personal fields enter as their salted commitments (`event.personal`), not as their values: pseudonymising
    them later changes no hash. Events from before commitments existed (`personal` is None) hash their values.
    """
    content: dict[str, Any] = {
        "occurred_at": event.occurred_at.isoformat(),
        "actor_user_id": event.actor_user_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "organization_id": event.organization_id,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
        "previous_hash": previous_hash,
    }
    if event.personal is not None:
        content["team_private"] = event.team_private
        content["personal"] = event.personal
        for side in ("before", "after"):
            if isinstance(content[side], dict):
                content[side] = dict(content[side])
        for path in event.personal:
            side, _dot, key = path.partition(".")
            if path == "actor_label":
                content["actor_label"] = None
            elif side in ("before", "after") and isinstance(content[side], dict):
                content[side][key] = None
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


def _personal_fields_hold(event: AuditEvent) -> bool:
    """Each personal field still matches its commitment, or reads as the pseudonym once its salt is gone."""
    salts = event.personal_salts or {}
    for path, commitment in (event.personal or {}).items():
        value = _value_at(event, path)
        salt = salts.get(path)
        if salt is None:
            if value != PSEUDONYMS.get(_field(path)):
                return False
        elif not isinstance(value, str) or not hmac.compare_digest(_commitment(salt, value), commitment):
            return False
    return True


def _last_hash(session: Session) -> str:
    if session.get_bind().dialect.name == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=_CHAIN_LOCK_KEY))  # type: ignore[call-overload]
    last = session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1)).first()
    return last or GENESIS_HASH


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: int | str | None,
    now: datetime,
    organization_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    team_private: bool = False,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one event (in the caller's transaction) for a write by `actor`.

    `team_private` marks a team's own work on its concept (left out of the host organisation's view);
    `actor_label` names the actor otherwise than "Name <email>" (a team member as the hosts know them).
    """
    # Before/after go through JSON once so what is hashed now is exactly what is read back later.
    event = AuditEvent(
        occurred_at=now,
        actor_user_id=actor.user_id,
        actor_label=(actor.label if actor_label is None else actor_label)[:255],
        action=action,
        target_type=target_type,
        target_id=str(target_id if target_id is not None else ""),
        organization_id=organization_id,
        team_private=team_private,
        before=json.loads(_canonical(before)) if before is not None else None,
        after=json.loads(_canonical(after)) if after is not None else None,
        request_id=request_id_var.get(),
        previous_hash="",
        hash="",
    )
    salts = {path: secrets.token_hex(16) for path in _personal_values(event)}
    event.personal_salts = salts
    event.personal = {path: _commitment(salts[path], value) for path, value in _personal_values(event).items()}
    event.previous_hash = _last_hash(session)
    event.hash = compute_hash(event, event.previous_hash)
    session.add(event)
    session.flush()
    return event


def pseudonymise_person(session: Session, *, user_id: int, emails: Collection[str]) -> int:
    """Overwrite a deleted person's name and email addresses in the log with pseudonyms; returns how many fields.

    Their label where they acted (`actor_user_id` stays: it names no one once the account is anonymised) and every
    personal field holding one of `emails`. The salts go too, so no one can test a guess against a commitment;
    the hashes cover the commitments, so the chain still verifies. Events older than commitments keep their values.
    """
    wanted = {email.strip().lower() for email in emails if email.strip()}
    mentions: list[ColumnElement[bool]] = [col(AuditEvent.actor_user_id) == user_id]
    for email in sorted(wanted):
        needle = json.dumps(email)  # as the JSON columns store it; a coarse filter, checked exactly below
        for column in (AuditEvent.before, AuditEvent.after):
            mentions.append(func.lower(cast(col(column), String)).contains(needle, autoescape=True))
    erased = 0
    for event in session.exec(select(AuditEvent).where(or_(*mentions)).order_by(col(AuditEvent.id))).all():
        if event.personal is None:
            continue
        salts = dict(event.personal_salts or {})
        before = dict(event.before) if isinstance(event.before, dict) else event.before
        after = dict(event.after) if isinstance(event.after, dict) else event.after
        for path in event.personal:
            value = _value_at(event, path)
            mine = event.actor_user_id == user_id if path == "actor_label" else str(value).lower() in wanted
            if not mine or path not in salts:
                continue
            pseudonym = PSEUDONYMS[_field(path)]
            side, _dot, key = path.partition(".")
            if path == "actor_label":
                event.actor_label = pseudonym
            elif side == "before" and isinstance(before, dict):
                before[key] = pseudonym
            elif isinstance(after, dict):
                after[key] = pseudonym
            del salts[path]
            erased += 1
        # New objects, so the JSON columns are seen as changed.
        event.before, event.after, event.personal_salts = before, after, salts
        session.add(event)
    session.flush()
    return erased


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    problem: str = ""
    # The newest event: record "id:hash" somewhere the database's administrators can't write (a ticket, a
    # signed email, a notary) and pass it back as an anchor to prove that nothing after it was cut off.
    head_id: int = 0
    head_hash: str = GENESIS_HASH

    @property
    def anchor(self) -> str:
        return f"{self.head_id}:{self.head_hash}"


@dataclass(frozen=True)
class Anchor:
    """An event once seen as the chain's head: the chain must still hold it, unchanged."""

    event_id: int
    hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        """ "123:<64 hex>" as printed by `samskap verify-audit`; ValueError otherwise."""
        event_id, _sep, hash_ = text.strip().partition(":")
        if not event_id.isdigit() or len(hash_) != 64 or any(c not in "0123456789abcdef" for c in hash_):
            raise ValueError(f"not an audit anchor (expected <event id>:<64 hex digits>): {text!r}")
        return cls(int(event_id), hash_)


def verify_chain(session: Session, *, batch: int = 1000, anchors: Sequence[Anchor] = ()) -> ChainReport:
    """Walk the log in order and recompute every hash; reports the first changed, inserted or deleted row.

    A hash chain alone cannot show that its newest events were deleted; each anchor (a head recorded earlier,
    outside the database) must still be in the chain with the same hash, which catches that too.
    """
    previous = GENESIS_HASH
    checked = 0
    last_id = 0
    expected = {anchor.event_id: anchor.hash for anchor in anchors}
    while True:
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > last_id).order_by(col(AuditEvent.id)).limit(batch)
        ).all()
        if not events:
            break
        for event in events:
            if event.previous_hash != previous:
                return ChainReport(False, checked, f"event {event.id} does not follow the event before it")
            if compute_hash(event, previous) != event.hash or not _personal_fields_hold(event):
                return ChainReport(False, checked, f"event {event.id} was changed after it was written")
            if expected.pop(event.id or 0, event.hash) != event.hash:
                return ChainReport(False, checked, f"event {event.id} is not the event the anchor recorded")
            previous = event.hash
            checked += 1
            last_id = event.id or last_id
    if expected:
        missing = min(expected)
        return ChainReport(False, checked, f"event {missing} from an anchor is missing: the log was cut off")
    return ChainReport(ok=True, checked=checked, head_id=last_id, head_hash=previous)


@dataclass(frozen=True)
class EventFilter:
    """Allow-listed filters for reading the log; dates are whole days in UTC, both ends included."""

    organization_id: int | None = None
    action: str | None = None
    actor: str | None = None  # an email address or a user id
    date_from: date | None = None
    date_to: date | None = None


def list_events(
    session: Session,
    *,
    organization_ids: frozenset[int] | None,
    filters: EventFilter,
    page: int,
    size: int,
) -> tuple[Sequence[AuditEvent], int]:
    """One page of events, newest first, limited to `organization_ids` (None: every event, team-private ones too;
    otherwise those organisations' events without the team-private ones); and the total."""
    conditions: list[ColumnElement[bool]] = []
    if organization_ids is not None:
        conditions.append(col(AuditEvent.organization_id).in_(sorted(organization_ids)))
        conditions.append(col(AuditEvent.team_private).is_(False))
    if filters.organization_id is not None:
        conditions.append(col(AuditEvent.organization_id) == filters.organization_id)
    if filters.action:
        action = filters.action.strip()
        # "membership" finds every membership.* event; "membership.role" finds exactly that action.
        conditions.append(
            or_(col(AuditEvent.action) == action, col(AuditEvent.action).startswith(f"{action}.", autoescape=True))
        )
    if filters.actor:
        who = filters.actor.strip()
        if who.isascii() and who.isdigit():
            # An id no row can have matches nothing (and must not reach the driver).
            user_id = int(who)
            conditions.append(col(AuditEvent.actor_user_id) == user_id if user_id <= MAX_ROW_ID else false())
        else:
            # The label holds the email until its person deletes their account; then only the id answers "who?".
            conditions.append(col(AuditEvent.actor_label).contains(f"<{who.lower()}>", autoescape=True))
    if filters.date_from is not None:
        start = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
        conditions.append(col(AuditEvent.occurred_at) >= start)
    if filters.date_to is not None and filters.date_to < date.max:  # up to the last day there is: no bound
        end = datetime.combine(filters.date_to, time.min, tzinfo=UTC) + timedelta(days=1)
        conditions.append(col(AuditEvent.occurred_at) < end)
    total = session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one()
    events = session.exec(
        select(AuditEvent).where(*conditions).order_by(col(AuditEvent.id).desc()).offset((page - 1) * size).limit(size)
    ).all()
    return events, int(total)


def events_for(
    session: Session, *, actor: Actor, filters: EventFilter, page: int, size: int
) -> tuple[Sequence[AuditEvent], int]:
    """The events `actor` may read: platform admins all; owners and admins their organisations', except teams' work.

    What a team writes before it submits is the team's alone, in the audit log as everywhere (DESIGN.md §5): a
    team's drafting, its invitations (with the invitees' emails), its members and its team-finder entries are
    recorded `team_private` and never shown to the host organisation. The hosts see a concept's submission and
    withdrawal, naming the member as the concept page does (no email). Platform admins, who run the installation,
    see every event, team-private ones included.
    """
    permissions.check_view_audit_log(actor)
    return list_events(
        session, organization_ids=permissions.visible_organization_ids(actor), filters=filters, page=page, size=size
    )
