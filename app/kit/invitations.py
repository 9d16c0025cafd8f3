"""Email-link invitations, once for every domain: the token, the state, and claiming one under a row lock.

A domain keeps its own table (organisation, team, jury invitations) and its own rules (roles, team size, who may
invite); this module holds what every invitation shares. The link carries a raw token; only its hash is stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple, Protocol, TypeVar

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from app.actor import Actor
from app.errors import Conflict, Forbidden
from app.i18n import gettext as _
from app.security import new_token, token_hash


class InvitationUnusable(Conflict):
    type, title = "invitation-unusable", "Invitation cannot be used"


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    REVOKED = "revoked"
    EXPIRED = "expired"


class Invitation(Protocol):
    """The columns every invitation table has (a table may add `declined_at`, when saying no is kept apart)."""

    @property
    def id(self) -> int | None: ...
    @property
    def email(self) -> str: ...
    @property
    def token_hash(self) -> str: ...
    @property
    def expires_at(self) -> datetime: ...
    @property
    def accepted_at(self) -> datetime | None: ...
    @property
    def revoked_at(self) -> datetime | None: ...


InvitationT = TypeVar("InvitationT", bound=Invitation)


class IssuedToken(NamedTuple):
    raw: str  # goes into the link, never stored
    hash: str  # stored in the invitation's `token_hash`


@dataclass(frozen=True)
class UnusableMessages:
    """What to tell someone whose invitation cannot be used, in the domain's words (`declined` defaults to
    `revoked`, for tables that keep no `declined_at`)."""

    accepted: str
    revoked: str
    expired: str
    declined: str | None = None


def issue_token() -> IssuedToken:
    """A fresh single-use token: the raw one for the link and the hash to store."""
    raw = new_token()
    return IssuedToken(raw=raw, hash=token_hash(raw))


def state(invitation: Invitation, now: datetime) -> InvitationState:
    """Where the invitation stands at `now` (used, declined and withdrawn outrank expired)."""
    if invitation.accepted_at is not None:
        return InvitationState.ACCEPTED
    if getattr(invitation, "declined_at", None) is not None:
        return InvitationState.DECLINED
    if invitation.revoked_at is not None:
        return InvitationState.REVOKED
    if invitation.expires_at <= now:
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def pending_conditions(model: type[Any], now: datetime) -> list[ColumnElement[bool]]:
    """SQL conditions selecting `model`'s invitations that can still be accepted at `now`."""
    conditions: list[ColumnElement[bool]] = [
        col(model.accepted_at).is_(None),
        col(model.revoked_at).is_(None),
        col(model.expires_at) > now,
    ]
    if hasattr(model, "declined_at"):
        conditions.append(col(model.declined_at).is_(None))
    return conditions


def by_token(session: Session, model: type[InvitationT], *, raw_token: str) -> InvitationT | None:
    """The invitation of `model` behind a link's raw token, if there is one."""
    table: Any = model
    found: InvitationT | None = session.exec(select(table).where(table.token_hash == token_hash(raw_token))).first()
    return found


def is_for(invitation: Invitation, actor: Actor) -> bool:
    """True when the signed-in actor has the email address the invitation was sent to (case-insensitively)."""
    return actor.user is not None and actor.user.email.lower() == invitation.email.lower()


def check_usable(invitation: Invitation, *, now: datetime, messages: UnusableMessages) -> None:
    """Refuse, with the domain's message, an invitation that was used, declined, revoked or has expired."""
    current = state(invitation, now)
    if current is InvitationState.ACCEPTED:
        raise InvitationUnusable(messages.accepted)
    if current is InvitationState.DECLINED:
        raise InvitationUnusable(messages.declined or messages.revoked)
    if current is InvitationState.REVOKED:
        raise InvitationUnusable(messages.revoked)
    if current is InvitationState.EXPIRED:
        raise InvitationUnusable(messages.expired)


def claim(
    session: Session, invitation: InvitationT, *, actor: Actor, now: datetime, messages: UnusableMessages
) -> InvitationT:
    """Lock the invitation's row, re-read it, and check it can be used by `actor` (the invited address, confirmed:
    one rule for accepting and declining every kind of invitation); the caller then marks it used
    in the same transaction. The lock makes a second claim wait and then see the first one's result, so a double
    click (or two tabs) cannot use one invitation twice."""
    # populate_existing re-reads the row into the object the session already holds, under the lock.
    locked = session.get(type(invitation), invitation.id, with_for_update=True, populate_existing=True)
    if locked is None:
        # Gone between the lookup and the lock (its owner was deleted): nothing left to use.
        raise InvitationUnusable(messages.revoked)
    check_usable(locked, now=now, messages=messages)
    if not is_for(locked, actor):
        raise Forbidden(
            _("This invitation was sent to another email address. Sign in with the address it was sent to.")
        )
    if not actor.email_verified:
        # Anyone can sign up with any address; only a confirmed one proves the invitation reached its owner.
        raise Forbidden(
            _(
                "Confirm your email address before you answer this invitation: follow the link in the email we "
                "sent you, or ask for a new one on your account page."
            )
        )
    return locked
