"""People around one organisation (Halden), for the organisation and audit tests."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.integrations.models import OutboxMessage
from app.organizations.models import Organization, Role
from tests.factories import make_member, make_organization, make_user
from tests.mail import emails_to


@dataclass
class Cast:
    org: Organization
    other_org: Organization
    owner: User
    admin: User
    editor: User
    citizen: User
    other_owner: User
    platform_admin: User


@pytest.fixture
def cast(db: Session) -> Cast:
    """Halden with an owner, an admin and an editor; Bærum with its owner; a citizen; a platform admin.

    Committed (a savepoint inside the test's transaction), so a refused request's rollback keeps them.
    """
    org = make_organization(db, slug="halden", name="Halden kommune")
    other_org = make_organization(db, slug="baerum", name="Bærum kommune", timezone="Europe/Oslo")
    cast = Cast(
        org=org,
        other_org=other_org,
        owner=make_member(
            db, org, role=Role.OWNER, user=make_user(db, email="eier@halden.no", display_name="Eva Eier")
        ),
        admin=make_member(
            db, org, role=Role.ADMIN, user=make_user(db, email="admin@halden.no", display_name="Ali Admin")
        ),
        editor=make_member(
            db, org, role=Role.EDITOR, user=make_user(db, email="red@halden.no", display_name="Rut Redaktør")
        ),
        citizen=make_user(db, email="kari@example.no", display_name="Kari Innbygger"),
        other_owner=make_member(db, other_org, role=Role.OWNER, user=make_user(db, email="eier@baerum.no")),
        platform_admin=make_user(db, email="drift@samskap.no", platform_admin=True),
    )
    db.commit()
    return cast


def invitation_token(message: OutboxMessage) -> str:
    """The token in the invitation link of an email."""
    match = re.search(r"http://testserver/invitations/([A-Za-z0-9_-]+)", message.body)
    assert match, message.body
    return match.group(1)


__all__ = ["emails_to"]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 64
