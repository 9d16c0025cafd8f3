"""What every demo module shares: generated images, row ids and the lookups of demo people and challenges."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, Protocol

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.auth import actors
from app.challenges import service as challenges
from app.challenges.models import Challenge
from app.errors import NotFound
from app.organizations.models import Invitation, Membership, Organization


class HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def id_of(row: HasId) -> int:
    """The id of a row that has been flushed."""
    if row.id is None:  # pragma: no cover  (rows are flushed before their id is read)
        raise RuntimeError("row was not flushed")
    return row.id


def add_audited(
    session: Session, row: Organization | User | Membership | Invitation, *, after: dict[str, Any], now: datetime
) -> None:
    """Add and flush a row the platform creates, and record its creation in the audit log."""
    session.add(row)
    session.flush()
    match row:
        case Organization():
            kind, organization_id = "organization", row.id
        case User():
            kind, organization_id = "user", None
        case Membership():
            kind, organization_id = "membership", row.organization_id
        case Invitation():
            kind, organization_id = "invitation", row.organization_id
    audit.record(
        session,
        actor=Actor.system(),
        action=f"{kind}.create",
        target_type=kind,
        target_id=row.id,
        organization_id=organization_id,
        now=now,
        after=after,
    )


def users_by_email(session: Session, emails: Iterable[str]) -> dict[str, User]:
    """The demo people with these emails that are in the database, by email."""
    statement = select(User).where(col(User.email).in_(sorted(set(emails))))
    return {user.email: user for user in session.exec(statement).all()}


def actor_for(session: Session, email: str) -> Actor:
    """A demo person acting through a session, with their organisation roles."""
    user = session.exec(select(User).where(User.email == email)).one()
    return Actor(user=user, roles=actors.roles_of(session, id_of(user)), via="session")


def challenge_by_slug(session: Session, slug: str) -> Challenge:
    """The challenge with this slug, as the platform sees it."""
    return challenges.get_for(session, slug=slug, actor=Actor.system())


def opened_challenge(session: Session, slug: str, *, now: datetime) -> tuple[Challenge, datetime] | None:
    """The published challenge with this slug and when its submissions opened, if that was by `now`; else None."""
    try:
        found = challenge_by_slug(session, slug)
    except NotFound:
        return None
    if found.opens_at is None or found.opens_at > now or found.status != "published":
        return None
    return found, found.opens_at


def png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """A truecolour PNG image, encoded with zlib (no imaging library needed)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter type: none
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, RGB, deflate, no filter, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


def cover_for(index: int, colour: tuple[int, int, int], width: int = 480, height: int = 160) -> bytes:
    """A wide cover in the host's colour: a gradient to a light tint, diagonal bands and a sun, varied by `index`."""
    light = tuple(channel + (255 - channel) * 3 // 4 for channel in colour)
    centre_x, centre_y, radius = width * (0.62 + 0.08 * (index % 4)), height * 0.45, height * 0.32
    band = 18 + 6 * (index % 3)

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        share = x / (width - 1)
        if (x + 2 * y + 7 * index) // band % 2 == 0:
            share = min(1.0, share + 0.08)
        if (x - centre_x) ** 2 + (y - centre_y) ** 2 <= radius * radius:
            share = 0.95
        r, g, b = (round(dark + (bright - dark) * share) for dark, bright in zip(colour, light, strict=True))
        return r, g, b

    return png(width, height, pixel)
