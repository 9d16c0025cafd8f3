"""Recording and checking the append-only audit log; each event's hash covers the previous event's hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from app.actor import Actor
from app.audit.models import AuditEvent
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


def verify_chain(session: Session, *, batch: int = 1000) -> ChainReport:
    """Walk the log in order and recompute every hash; reports the first changed, inserted or deleted row."""
    previous = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        events = session.exec(
            select(AuditEvent).where(col(AuditEvent.id) > last_id).order_by(col(AuditEvent.id)).limit(batch)
        ).all()
        if not events:
            return ChainReport(ok=True, checked=checked)
        for event in events:
            if event.previous_hash != previous:
                return ChainReport(False, checked, f"event {event.id} does not follow the event before it")
            if compute_hash(event, previous) != event.hash:
                return ChainReport(False, checked, f"event {event.id} was changed after it was written")
            previous = event.hash
            checked += 1
            last_id = event.id or last_id
