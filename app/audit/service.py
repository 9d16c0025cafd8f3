"""Recording and checking the append-only audit log; each event's hash covers the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, text
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


def compute_hash(event: AuditEvent, previous_hash: str) -> str:
    """SHA-256 over the event's content and the previous event's hash."""
    content = {
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
    return hashlib.sha256(_canonical(content).encode()).hexdigest()


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
) -> AuditEvent:
    """Append one event (in the caller's transaction) for a write by `actor`."""
    # Before/after go through JSON once so what is hashed now is exactly what is read back later.
    event = AuditEvent(
        occurred_at=now,
        actor_user_id=actor.user_id,
        actor_label=actor.label[:255],
        action=action,
        target_type=target_type,
        target_id=str(target_id if target_id is not None else ""),
        organization_id=organization_id,
        before=json.loads(_canonical(before)) if before is not None else None,
        after=json.loads(_canonical(after)) if after is not None else None,
        request_id=request_id_var.get(),
        previous_hash="",
        hash="",
    )
    event.previous_hash = _last_hash(session)
    event.hash = compute_hash(event, event.previous_hash)
    session.add(event)
    session.flush()
    return event


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
            if compute_hash(event, previous) != event.hash:
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
    """One page of events, newest first, limited to `organization_ids` (None: every event); and the total."""
    conditions: list[ColumnElement[bool]] = []
    if organization_ids is not None:
        conditions.append(col(AuditEvent.organization_id).in_(sorted(organization_ids)))
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
            # The label keeps the email even after the user is gone, so the log still answers "who?".
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
    """The events `actor` may read (platform admins: all; owners and admins: their organisations')."""
    permissions.check_view_audit_log(actor)
    return list_events(
        session, organization_ids=permissions.visible_organization_ids(actor), filters=filters, page=page, size=size
    )
