"""`samskap createadmin`: a new verified platform admin, or an existing user promoted; both audited."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from app.accounts import service
from app.accounts.models import User
from app.actor import Actor
from app.audit.models import AuditEvent
from app.errors import Forbidden, ValidationFailed
from app.security import verify_password
from tests.conftest import NOW
from tests.factories import PASSWORD, make_user


def _events(db: Session, action: str) -> list[AuditEvent]:
    return list(db.exec(select(AuditEvent).where(AuditEvent.action == action)).all())


def test_creates_a_verified_platform_admin(db: Session) -> None:
    user = service.create_platform_admin(
        db, email="Admin@Samskap.no", display_name="Driftsansvarlig", password="et-sterkt-passord", now=NOW
    )
    assert user.email == "admin@samskap.no"
    assert user.is_platform_admin
    assert user.email_verified_at == NOW
    assert verify_password("et-sterkt-passord", user.password_hash)
    [event] = _events(db, "user.create_platform_admin")
    assert event.target_id == str(user.id)


def test_promotes_an_existing_user_and_keeps_the_password_unless_given(db: Session) -> None:
    existing = make_user(db, verified=False)
    promoted = service.create_platform_admin(db, email=existing.email, display_name="", password="", now=NOW)
    assert promoted.id == existing.id
    assert promoted.is_platform_admin
    assert promoted.email_verified
    assert verify_password(PASSWORD, promoted.password_hash)
    [event] = _events(db, "user.promote_platform_admin")
    assert event.before == {"is_platform_admin": False}
    service.create_platform_admin(db, email=existing.email, display_name="", password="helt-nytt-passord", now=NOW)
    assert verify_password("helt-nytt-passord", promoted.password_hash)


def test_validates_like_sign_up(db: Session) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service.create_platform_admin(db, email="not-an-email", display_name="", password="short", now=NOW)
    assert set(refused.value.errors) == {"email", "display_name", "password"}
    assert not db.exec(select(User).where(User.is_platform_admin)).all()


def test_only_a_platform_admin_may_appoint_one(db: Session) -> None:
    citizen = make_user(db)
    with pytest.raises(Forbidden):
        service.create_platform_admin(
            db, email="x@example.no", display_name="X", password="et-sterkt-passord", now=NOW, actor=Actor(user=citizen)
        )
