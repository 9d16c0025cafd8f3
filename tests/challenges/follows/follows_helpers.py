"""Shared steps of the follow stories: acting as a user, running the worker's follow tick, reading follow mail."""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.models import User
from app.actor import Actor
from app.challenges.follows import service as follows
from app.clock import FrozenClock
from app.integrations.models import OutboxMessage
from tests.mail import emails_to


def as_user(user: User) -> Actor:
    return Actor(user=user, via="session")


def tick(db: Session, clock: FrozenClock) -> int:
    """What the worker does on each tick before sending: record due news, queue the emails. Returns emails queued."""
    follows.record_due_notices(db, now=clock.now())
    return follows.deliver_notifications(db, now=clock.now())


def follow_mail(db: Session, user: User) -> list[OutboxMessage]:
    """The follow emails (single news and digests) queued for `user`, oldest first."""
    return [m for m in emails_to(db, user.email) if (m.payload or {}).get("template", "").startswith("follow_")]
