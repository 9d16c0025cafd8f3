"""Demo organisations: the Nordic municipalities, the company and the network of cities behind the idea, with their
logos, and the invitations they have sent but nobody has accepted yet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, select

from app.accounts.models import User
from app.config import get_settings
from app.demo.base import add_audited, id_of, png
from app.organizations.models import Invitation, Organization, OrganizationKind, Role
from app.security import new_token, token_hash

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


# (organisation slug, email, role, invited by): invitations not yet accepted.
INVITATIONS: tuple[tuple[str, str, Role, str], ...] = (
    ("halden", "sindre.moe@halden.example", Role.EDITOR, "ingrid.haugen@halden.example"),
    ("stavanger", "hanne.vik@stavanger.example", Role.ADMIN, "tor.eriksen@stavanger.example"),
    ("helsingborg", "lina.holm@helsingborg.example", Role.EDITOR, "sofia.lindqvist@helsingborg.example"),
)
DEFAULT_COLOUR = (40, 110, 90)  # for a host that is not a demo organisation


def name_of(slug: str) -> str:
    """The name of the demo organisation with this slug."""
    return next(spec.name for spec in ORGANIZATIONS if spec.slug == slug)


def colour_of(slug: str) -> tuple[int, int, int]:
    """The colour of the demo organisation with this slug (covers are drawn in the host's colour)."""
    return next((spec.colour for spec in ORGANIZATIONS if spec.slug == slug), DEFAULT_COLOUR)


def logo_for(organization: DemoOrganization, size: int = 96) -> bytes:
    """A square in the organisation's colour with a white shape of its own."""
    white = (255, 255, 255)
    half = (size - 1) / 2

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        return white if organization.shape((x - half) / half, (y - half) / half) else organization.colour

    return png(size, size, pixel)


def _snapshot(organization: Organization) -> dict[str, Any]:
    return {
        "slug": organization.slug,
        "name": organization.name,
        "kind": organization.kind.value,
        "timezone": organization.timezone,
        "default_language": organization.default_language,
    }


def is_loaded(session: Session) -> bool:
    """True when the demo organisations are in the database."""
    return session.exec(select(Organization.id).where(Organization.slug == MARKER_SLUG)).first() is not None


def load(session: Session, *, now: datetime) -> dict[str, Organization]:
    """Create the demo organisations, each with its logo; returns them by slug."""
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
        add_audited(session, organization, after=_snapshot(organization), now=now)
        organizations[spec.slug] = organization
    return organizations


def load_invitations(
    session: Session, *, organizations: dict[str, Organization], users: dict[str, User], now: datetime
) -> None:
    """Invitations to join demo organisations, sent by their owners and not yet accepted (the tokens are random)."""
    expires_at = now + timedelta(days=get_settings().invitation_days)
    for slug, email, role, invited_by in INVITATIONS:
        invitation = Invitation(
            organization_id=id_of(organizations[slug]),
            email=email,
            role=role,
            token_hash=token_hash(new_token()),
            invited_by_id=id_of(users[invited_by]),
            created_at=now,
            expires_at=expires_at,
        )
        after = {"email": email, "role": role.value, "expires_at": expires_at.isoformat()}
        add_audited(session, invitation, after=after, now=now)
