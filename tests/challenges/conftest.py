"""The people around a challenge: Halden hosts, Bærum co-hosts, Stavanger looks on; a moment in every phase."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.challenges.phases import Phase
from app.organizations.models import Organization, Role
from tests.factories import TIMELINE_START, make_member, make_organization, make_user

# A moment inside each phase of the standard timeline (tests/factories.py CHALLENGE_TIMELINE_DAYS).
PHASE_DAY = {
    Phase.DRAFT: 1,
    Phase.UPCOMING: 1,
    Phase.OPEN: 20,
    Phase.REVIEW: 45,
    Phase.VOTING: 60,
    Phase.CLOSED: 67,
    Phase.ANNOUNCED: 80,
    Phase.CANCELLED: 20,
}


def at(phase: Phase) -> datetime:
    """A moment when a challenge on the standard timeline is in `phase` (given the right status)."""
    return TIMELINE_START + timedelta(days=PHASE_DAY[phase])


def status_for(phase: Phase) -> str:
    return {Phase.DRAFT: "draft", Phase.CANCELLED: "cancelled"}.get(phase, "published")


@dataclass
class Cast:
    halden: Organization
    baerum: Organization
    stavanger: Organization
    halden_admin: User
    halden_editor: User
    baerum_editor: User
    stavanger_editor: User
    citizen: User
    platform_admin: User


@pytest.fixture
def cast(db: Session) -> Cast:
    """Committed (to the test's savepoint), so a refused request's rollback keeps them."""
    halden = make_organization(db, slug="halden", name="Halden kommune")
    baerum = make_organization(db, slug="baerum", name="Bærum kommune")
    stavanger = make_organization(db, slug="stavanger", name="Stavanger kommune")
    cast = Cast(
        halden=halden,
        baerum=baerum,
        stavanger=stavanger,
        halden_admin=make_member(db, halden, role=Role.ADMIN, user=make_user(db, email="admin@halden.no")),
        halden_editor=make_member(
            db, halden, role=Role.EDITOR, user=make_user(db, email="red@halden.no", display_name="Rut Redaktør")
        ),
        baerum_editor=make_member(db, baerum, role=Role.EDITOR, user=make_user(db, email="red@baerum.no")),
        stavanger_editor=make_member(db, stavanger, role=Role.EDITOR, user=make_user(db, email="red@stavanger.no")),
        citizen=make_user(db, email="kari@example.no", display_name="Kari Innbygger"),
        platform_admin=make_user(db, email="drift@samskap.no", platform_admin=True),
    )
    db.commit()
    return cast
