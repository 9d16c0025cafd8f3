"""Who is acting, from the request's credentials: the user behind a session cookie or an access token, with the
roles of their memberships. Above accounts and organisations, whose tables it reads; below every page and API."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from app.accounts.models import PersonalAccessToken, User, UserSession
from app.actor import Actor, Role
from app.organizations.models import Membership
from app.security import token_hash

# Writes for "last seen" are throttled so reads stay reads.
TOUCH_INTERVAL = timedelta(minutes=5)


def roles_of(session: Session, user_id: int) -> dict[int, Role]:
    rows = session.exec(select(Membership.organization_id, Membership.role).where(Membership.user_id == user_id)).all()
    return {org_id: Role(role) for org_id, role in rows}


def _usable(user: User | None) -> bool:
    return user is not None and user.is_active and user.deleted_at is None


def actor_for_session(session: Session, *, raw_token: str, now: datetime) -> Actor | None:
    """The actor behind a session cookie, or None when it is unknown or expired."""
    row = session.exec(
        select(UserSession, User)
        .join(User, col(User.id) == UserSession.user_id)
        .where(UserSession.token_hash == token_hash(raw_token))
    ).first()
    if row is None:
        return None
    user_session, user = row
    if user_session.expires_at <= now or not _usable(user):
        return None
    if now - user_session.last_seen_at > TOUCH_INTERVAL:
        user_session.last_seen_at = now
    return Actor(user=user, roles=roles_of(session, user.id), via="session", session_id=user_session.id)  # type: ignore[arg-type]


def actor_for_token(session: Session, *, raw_token: str, now: datetime) -> Actor | None:
    """The actor behind a personal access token, or None when it is unknown or revoked."""
    row = session.exec(
        select(PersonalAccessToken, User)
        .join(User, col(User.id) == PersonalAccessToken.user_id)
        .where(PersonalAccessToken.token_hash == token_hash(raw_token))
    ).first()
    if row is None:
        return None
    token, user = row
    if token.revoked_at is not None or not _usable(user):
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
    return Actor(user=user, roles=roles_of(session, user.id), via="token", token_id=token.id)  # type: ignore[arg-type]
