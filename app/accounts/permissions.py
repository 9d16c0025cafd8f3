"""Who may do what with accounts, sessions and tokens: pure predicates, shared by services, pages and tests."""

from __future__ import annotations

from app.accounts.models import PersonalAccessToken, User, UserSession
from app.actor import Actor


def can_sign_in(user: User | None) -> bool:
    """An account that exists, is active and was not deleted."""
    return user is not None and user.is_active and user.deleted_at is None and user.password_hash is not None


def user_of(actor: Actor) -> User | None:
    """The acting user's account row (the actors `app.auth` builds carry this domain's `User`)."""
    return actor.user if isinstance(actor.user, User) else None


def can_manage_account(actor: Actor) -> bool:
    """The signed-in user may read and change their own account."""
    user = user_of(actor)
    return user is not None and user.is_active and user.deleted_at is None


def can_create_token(actor: Actor) -> bool:
    """New tokens are made from a browser session, so a leaked token cannot mint more tokens."""
    return can_manage_account(actor) and actor.via == "session"


def owns_session(actor: Actor, user_session: UserSession) -> bool:
    return actor.user_id is not None and user_session.user_id == actor.user_id


def owns_token(actor: Actor, token: PersonalAccessToken) -> bool:
    return actor.user_id is not None and token.user_id == actor.user_id


def needs_email_verification(actor: Actor) -> bool:
    """True when the signed-in user has not yet confirmed their email address."""
    return actor.user is not None and not actor.user.email_verified


def can_make_platform_admin(actor: Actor) -> bool:
    """Only the platform itself (the CLI) or an existing platform admin may appoint platform admins."""
    return actor.is_platform_admin


def can_sign_in_with_identity(user: User | None) -> bool:
    """An account that exists, is active and was not deleted (a password is not needed)."""
    return user is not None and user.is_active and user.deleted_at is None
