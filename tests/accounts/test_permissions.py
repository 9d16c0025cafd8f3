"""The accounts predicates on their own: the allowed and the refused side of each rule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts import permissions
from app.accounts.models import PersonalAccessToken, User, UserSession
from app.actor import Actor

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _user(user_id: int = 1, **fields: object) -> User:
    values: dict[str, object] = {"id": user_id, "email": f"u{user_id}@example.no", "display_name": "U",
                                 "password_hash": "x"}  # fmt: skip
    values.update(fields)
    return User(**values)


def _actor(user: User | None, via: str = "session") -> Actor:
    return Actor(user=user, via=via, session_id=1 if via == "session" else None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        (_user(), True),
        (None, False),
        (_user(is_active=False), False),
        (_user(deleted_at=NOW), False),
        (_user(password_hash=None), False),
    ],
)
def test_who_can_sign_in(user: User | None, allowed: bool) -> None:
    assert permissions.can_sign_in(user) is allowed


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (_actor(_user()), True),
        (_actor(_user(), via="token"), True),
        (Actor.anonymous(), False),
        (_actor(_user(deleted_at=NOW)), False),
    ],
)
def test_who_can_manage_an_account(actor: Actor, allowed: bool) -> None:
    assert permissions.can_manage_account(actor) is allowed


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [(_actor(_user()), True), (_actor(_user(), via="token"), False), (Actor.anonymous(), False)],
)
def test_who_can_create_a_token(actor: Actor, allowed: bool) -> None:
    assert permissions.can_create_token(actor) is allowed


def test_only_the_owner_owns_a_session_or_token() -> None:
    owner, stranger = _actor(_user(1)), _actor(_user(2))
    user_session = UserSession(id=5, token_hash="h", user_id=1, expires_at=NOW)
    token = PersonalAccessToken(id=6, user_id=1, name="t", prefix="smk_", token_hash="h")
    assert permissions.owns_session(owner, user_session)
    assert not permissions.owns_session(stranger, user_session)
    assert not permissions.owns_session(Actor.anonymous(), user_session)
    assert permissions.owns_token(owner, token)
    assert not permissions.owns_token(stranger, token)
    assert not permissions.owns_token(Actor.anonymous(), token)


def test_email_verification_is_needed_only_until_confirmed() -> None:
    assert permissions.needs_email_verification(_actor(_user(email_verified_at=None)))
    assert not permissions.needs_email_verification(_actor(_user(email_verified_at=NOW)))
    assert not permissions.needs_email_verification(Actor.anonymous())


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (Actor.system(), True),
        (_actor(_user(is_platform_admin=True)), True),
        (_actor(_user()), False),
        (Actor.anonymous(), False),
    ],
)
def test_who_can_make_platform_admins(actor: Actor, allowed: bool) -> None:
    assert permissions.can_make_platform_admin(actor) is allowed
