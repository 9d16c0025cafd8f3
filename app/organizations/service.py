"""Organisations: creation by platform admins, members, roles and invitations."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, select

from app.organizations.models import Organization


def list_organizations(session: Session) -> Sequence[Organization]:
    """Every organisation, by name."""
    return session.exec(select(Organization).order_by(Organization.name)).all()
