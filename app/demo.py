"""Demo data: the Nordic municipalities behind the idea, with members and citizens. Loading twice changes nothing.

Everything is fixed data (names, texts, logos) stamped with the `now` it is given, so two loads at the same
instant give the same rows. The one exception is the invitation tokens: they are random, because a token
published in this file could be used to join a demo organisation.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.config import get_settings
from app.organizations.models import Invitation, Membership, Organization, OrganizationKind, Role
from app.security import hash_password, new_token, token_hash

DEMO_PASSWORD = "samskap-demo-2026"  # noqa: S105  (published demo sign-in)
MARKER_SLUG = "halden"  # the demo is present when this organisation exists

Shape = Callable[[float, float], bool]
"""Whether the point (x, y), both in -1..1 from the logo's centre, is inside the logo's white shape."""


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    kind: OrganizationKind
    language: str
    timezone: str
    website: str
    description: str
    colour: tuple[int, int, int]
    shape: Shape


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    language: str = "nb"
    verified: bool = True
    platform_admin: bool = False
    # (organisation slug, role) pairs.
    roles: tuple[tuple[str, Role], ...] = ()


def _circle(x: float, y: float) -> bool:
    return x * x + y * y <= 0.36


def _ring(x: float, y: float) -> bool:
    return 0.2 <= x * x + y * y <= 0.42


def _diamond(x: float, y: float) -> bool:
    return abs(x) + abs(y) <= 0.7


def _triangle(x: float, y: float) -> bool:
    return -0.55 <= y <= 0.55 and abs(x) <= (y + 0.55) * 0.6


def _stripes(x: float, y: float) -> bool:
    return abs(x) <= 0.6 and abs(y) < 0.55 and int((y + 0.55) / 0.22) % 2 == 0


def _hexagon(x: float, y: float) -> bool:
    ax, ay = abs(x), abs(y)
    return ay <= 0.55 and ax * 0.866 + ay * 0.5 <= 0.55


ORGANIZATIONS: tuple[DemoOrganization, ...] = (
    DemoOrganization(
        slug="halden",
        name="Halden kommune",
        kind=OrganizationKind.MUNICIPALITY,
        language="nb",
        timezone="Europe/Oslo",
        website="https://www.halden.kommune.no",
        description=(
            "Halden kommune har sammen med Smart Innovation Norway startet «Smart By Halden», et strukturert "
            "arbeid for å finne gode løsninger på framtidige utfordringer – både i tjenestene kommunen driver og "
            "i samfunnsutviklingen. Kommunen vil ha mer brukerinvolvering, og heller være med på å utvikle "
            "løsninger enn å kjøpe ferdige produkter som ikke er tilpasset behovene."
        ),
        colour=(0x1F, 0x4E, 0x8C),
        shape=_circle,
    ),
    DemoOrganization(
        slug="baerum",
        name="Bærum kommune",
        kind=OrganizationKind.MUNICIPALITY,
        language="nb",
        timezone="Europe/Oslo",
        website="https://www.baerum.kommune.no",
        description=(
            "Bærum kommune gjennomfører store og små innovasjonsprosjekter og bruker tjenestedesign og samskaping "
            "for å ta med innbyggerne i utviklingsarbeidet. Innovasjonsstrategien sier at kommunen skal stjele "
            "gode løsninger fra andre der de allerede er utviklet og testet – og dele sine egne."
        ),
        colour=(0xB3, 0x26, 0x1E),
        shape=_diamond,
    ),
    DemoOrganization(
        slug="stavanger",
        name="Stavanger kommune",
        kind=OrganizationKind.MUNICIPALITY,
        language="nb",
        timezone="Europe/Oslo",
        website="https://www.stavanger.kommune.no",
        description=(
            "Stavanger kommune utvikler smartbyen sammen med næringsliv, organisasjoner, akademia og innbyggere. "
            "Kommunen har hatt innbyggerdialog i et rullende idéverksted og latt unge planlegge byen i Minecraft, "
            "og tester nå et samskapingshus der innbyggere, frivillighet og næringsliv møter kommunen."
        ),
        colour=(0x0B, 0x6E, 0x4F),
        shape=_triangle,
    ),
    DemoOrganization(
        slug="helsingborg",
        name="Helsingborgs stad",
        kind=OrganizationKind.MUNICIPALITY,
        language="sv",
        timezone="Europe/Stockholm",
        website="https://helsingborg.se",
        description=(
            "Helsingborgs stad vill vara en plats för handling. Staden arbetar med öppna data och driver "
            "kommunacceleratorn Hbg Works, där offentliga och privata aktörer testar och utvecklar idéer för att "
            "skapa bättre tjänster för invånarna – tillsammans med andra städer, regioner och företag."
        ),
        colour=(0x6A, 0x2C, 0x91),
        shape=_ring,
    ),
    DemoOrganization(
        slug="smart-innovation-norway",
        name="Smart Innovation Norway",
        kind=OrganizationKind.COMPANY,
        language="nb",
        timezone="Europe/Oslo",
        website="https://smartinnovationnorway.com",
        description=(
            "Smart Innovation Norway i Halden leder næringsklyngen NCE Smart Energy Markets og arbeider med "
            "smarte byer og samfunn, blant annet i samarbeidet «Smart By Halden» med Halden kommune."
        ),
        colour=(0xC2, 0x5B, 0x00),
        shape=_hexagon,
    ),
    DemoOrganization(
        slug="6aika",
        name="6Aika",
        kind=OrganizationKind.NETWORK,
        language="en",
        timezone="Europe/Helsinki",
        website="https://6aika.fi/in-english/",
        description=(
            "6Aika is the joint strategy of Finland's six largest cities. The cities open schools, shopping "
            "centres, hospitals, streets and neighbourhoods as platforms where companies and residents develop "
            "and test new products and services, and they share open data with their partners."
        ),
        colour=(0x00, 0x5F, 0x87),
        shape=_stripes,
    ),
)

OWNER, ADMIN, EDITOR = Role.OWNER, Role.ADMIN, Role.EDITOR

USERS: tuple[DemoUser, ...] = (
    DemoUser("admin@samskap.no", "Astrid Moen", platform_admin=True),
    # Halden
    DemoUser("ingrid.haugen@halden.example", "Ingrid Haugen", roles=(("halden", OWNER),)),
    DemoUser("lars.berg@halden.example", "Lars Berg", roles=(("halden", ADMIN),)),
    DemoUser(
        "ole.johansen@halden.example",
        "Ole Johansen",
        roles=(("halden", EDITOR), ("smart-innovation-norway", EDITOR)),
    ),
    # Bærum
    DemoUser("kari.bakken@baerum.example", "Kari Bakken", roles=(("baerum", OWNER),)),
    DemoUser("henrik.lie@baerum.example", "Henrik Lie", roles=(("baerum", ADMIN),)),
    DemoUser("silje.strand@baerum.example", "Silje Strand", roles=(("baerum", EDITOR),)),
    # Stavanger
    DemoUser("tor.eriksen@stavanger.example", "Tor Eriksen", roles=(("stavanger", OWNER),)),
    DemoUser("maria.larsen@stavanger.example", "Maria Larsen", roles=(("stavanger", EDITOR),)),
    # Helsingborg
    DemoUser("sofia.lindqvist@helsingborg.example", "Sofia Lindqvist", "sv", roles=(("helsingborg", OWNER),)),
    DemoUser("anna.svensson@helsingborg.example", "Anna Svensson", "sv", roles=(("helsingborg", ADMIN),)),
    DemoUser("erik.johansson@helsingborg.example", "Erik Johansson", "sv", roles=(("helsingborg", EDITOR),)),
    # Smart Innovation Norway
    DemoUser("camilla.holm@smartinnovation.example", "Camilla Holm", roles=(("smart-innovation-norway", OWNER),)),
    # 6Aika
    DemoUser("aino.virtanen@6aika.example", "Aino Virtanen", "en", roles=(("6aika", OWNER),)),
    DemoUser("mikko.korhonen@6aika.example", "Mikko Korhonen", "en", roles=(("6aika", EDITOR),)),
    # Citizens
    DemoUser("nora.dahl@example.org", "Nora Dahl"),
    DemoUser("jonas.aasen@example.org", "Jonas Aasen"),
    DemoUser("emma.solberg@example.org", "Emma Solberg"),
    DemoUser("sander.kristiansen@example.org", "Sander Kristiansen"),
    DemoUser("ida.halvorsen@example.org", "Ida Halvorsen"),
    DemoUser("mohammed.ali@example.org", "Mohammed Ali"),
    DemoUser("elsa.nilsson@example.org", "Elsa Nilsson", "sv"),
    DemoUser("oscar.persson@example.org", "Oscar Persson", "sv"),
    DemoUser("maja.karlsson@example.org", "Maja Karlsson", "sv"),
    DemoUser("liam.murphy@example.org", "Liam Murphy", "en"),
    DemoUser("thea.nygaard@example.org", "Thea Nygaard", verified=False),
    DemoUser("william.andersson@example.org", "William Andersson", "sv", verified=False),
    DemoUser("amalie.fredriksen@example.org", "Amalie Fredriksen", verified=False),
)

# (organisation slug, email, role, invited by): invitations not yet accepted.
INVITATIONS: tuple[tuple[str, str, Role, str], ...] = (
    ("halden", "sindre.moe@halden.example", EDITOR, "ingrid.haugen@halden.example"),
    ("stavanger", "hanne.vik@stavanger.example", ADMIN, "tor.eriksen@stavanger.example"),
    ("helsingborg", "lina.holm@helsingborg.example", EDITOR, "sofia.lindqvist@helsingborg.example"),
)


def _describe(user: DemoUser) -> str:
    if user.platform_admin:
        return "platform admin"
    if user.roles:
        names = {org.slug: org.name for org in ORGANIZATIONS}
        return ", ".join(f"{role.value} of {names[slug]}" for slug, role in user.roles)
    return "citizen" if user.verified else "citizen, email not verified"


# The accounts worth trying first, printed by `samskap serve`.
SHOWN_SIGN_INS = (
    "admin@samskap.no",
    "ingrid.haugen@halden.example",
    "ole.johansen@halden.example",
    "kari.bakken@baerum.example",
    "tor.eriksen@stavanger.example",
    "sofia.lindqvist@helsingborg.example",
    "aino.virtanen@6aika.example",
    "nora.dahl@example.org",
    "thea.nygaard@example.org",
)


def _sign_ins() -> list[tuple[str, str]]:
    by_email = {user.email: user for user in USERS}
    return [(email, _describe(by_email[email])) for email in SHOWN_SIGN_INS]


DEMO_SIGN_INS: dict[str, Any] = {"password": DEMO_PASSWORD, "users": _sign_ins()}


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


def logo_for(organization: DemoOrganization, size: int = 96) -> bytes:
    """A square in the organisation's colour with a white shape of its own."""
    white = (255, 255, 255)
    half = (size - 1) / 2

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        return white if organization.shape((x - half) / half, (y - half) / half) else organization.colour

    return png(size, size, pixel)


def _organization_snapshot(organization: Organization) -> dict[str, Any]:
    return {
        "slug": organization.slug,
        "name": organization.name,
        "kind": organization.kind.value,
        "timezone": organization.timezone,
        "default_language": organization.default_language,
    }


def _id(row: Organization | User) -> int:
    if row.id is None:  # pragma: no cover  (rows are flushed before their id is read)
        raise RuntimeError("row was not flushed")
    return row.id


def is_loaded(session: Session) -> bool:
    """True when the demo organisations are in the database."""
    return session.exec(select(Organization.id).where(Organization.slug == MARKER_SLUG)).first() is not None


def load(session: Session, *, now: datetime) -> bool:
    """Create the demo data unless it is there; True when something was created. Flushes, never commits."""
    if is_loaded(session):
        return False
    actor = Actor.system()
    organizations: dict[str, Organization] = {}
    for spec in ORGANIZATIONS:
        organization = Organization(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            description=spec.description,
            website=spec.website,
            timezone=spec.timezone,
            default_language=spec.language,
            logo=logo_for(spec),
            logo_content_type="image/png",
            created_at=now,
        )
        session.add(organization)
        session.flush()
        organizations[spec.slug] = organization
        audit.record(
            session, actor=actor, action="organization.create", target_type="organization",
            target_id=organization.id, organization_id=organization.id, now=now,
            after=_organization_snapshot(organization),
        )  # fmt: skip

    password_hash = hash_password(DEMO_PASSWORD)  # once: Argon2 is deliberately slow
    users: dict[str, User] = {}
    for spec_user in USERS:
        existing = session.exec(select(User).where(col(User.email) == spec_user.email)).first()
        if existing is not None:
            # Someone (e.g. `samskap createadmin`) made this account already; keep it as it is.
            users[spec_user.email] = existing
        else:
            user = User(
                email=spec_user.email,
                display_name=spec_user.name,
                password_hash=password_hash,
                email_verified_at=now if spec_user.verified else None,
                language=spec_user.language,
                is_platform_admin=spec_user.platform_admin,
                created_at=now,
            )
            session.add(user)
            session.flush()
            users[spec_user.email] = user
            audit.record(
                session, actor=actor, action="user.create", target_type="user", target_id=user.id, now=now,
                after={"email": user.email, "display_name": user.display_name, "language": user.language,
                       "is_platform_admin": user.is_platform_admin, "email_verified": user.email_verified},
            )  # fmt: skip
        for slug, role in spec_user.roles:
            organization = organizations[slug]
            membership = Membership(
                organization_id=_id(organization), user_id=_id(users[spec_user.email]), role=role, created_at=now
            )
            session.add(membership)
            session.flush()
            audit.record(
                session, actor=actor, action="membership.create", target_type="membership",
                target_id=membership.id, organization_id=organization.id, now=now,
                after={"user_id": membership.user_id, "email": spec_user.email, "role": role.value},
            )  # fmt: skip

    expires_at = now + timedelta(days=get_settings().invitation_days)
    for slug, email, role, invited_by in INVITATIONS:
        organization = organizations[slug]
        invitation = Invitation(
            organization_id=_id(organization),
            email=email,
            role=role,
            token_hash=token_hash(new_token()),
            invited_by_id=_id(users[invited_by]),
            created_at=now,
            expires_at=expires_at,
        )
        session.add(invitation)
        session.flush()
        audit.record(
            session, actor=actor, action="invitation.create", target_type="invitation",
            target_id=invitation.id, organization_id=organization.id, now=now,
            after={"email": email, "role": role.value, "expires_at": expires_at.isoformat()},
        )  # fmt: skip
    return True
