"""Demo data: the Nordic municipalities behind the idea, with members and citizens. Loading twice changes nothing.

Everything is fixed data (names, texts, logos) stamped with the `now` it is given, so two loads at the same
instant give the same rows. The one exception is the invitation tokens: they are random, because a token
published in this file could be used to join a demo organisation.
"""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.accounts import service as accounts
from app.accounts import sessions
from app.accounts.models import User
from app.actor import Actor
from app.audit import service as audit
from app.challenges import follows, questions
from app.challenges import service as challenges
from app.challenges.models import Challenge, Follow, Question, TargetGroup, VotingMethod
from app.challenges.schemas import ChallengeCopy, ChallengeCreate, ChallengeUpdate, CriterionIn
from app.config import get_settings
from app.errors import NotFound
from app.organizations.models import Invitation, Membership, Organization, OrganizationKind, Role
from app.security import hash_password, new_token, token_hash
from app.submissions.models import (
    Attachment,
    AttachmentContent,
    Comment,
    Feedback,
    MemberRole,
    Report,
    ReportTarget,
    Submission,
    SubmissionCover,
    SubmissionMember,
    SubmissionStatus,
    SubmissionVersion,
)

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
    """Create the demo data unless it is there; True when something was created. Flushes, never commits.

    A database loaded before the demo had challenges gets them on the next load, once.
    """
    created = False
    if not is_loaded(session):
        _load_organizations(session, now=now)
        created = True
    if not challenges_loaded(session):
        _load_challenges(session, now=now)
        created = True
    if not follows_loaded(session):
        _load_follows(session, now=now)
        created = True
    if not covers_loaded(session):
        _load_covers(session, now=now)
        created = True
    if not questions_loaded(session):
        _load_questions(session, now=now)
        created = True
    if not submissions_loaded(session):
        _load_submissions(session, now=now)
        created = True
    if not gallery_loaded(session):
        _load_gallery(session, now=now)
        created = True
    if not comments_loaded(session):
        _load_comments(session, now=now)
        created = True
    if not team_finder_loaded(session):
        _load_team_finder(session, now=now)
        created = True
    return created


def _load_organizations(session: Session, *, now: datetime) -> None:
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


# --- challenges ----------------------------------------------------------------------------------------------------

CHALLENGE_MARKER_SLUG = "baerekraftig-sentrumshandel"  # the demo challenges are present when this one exists


@dataclass(frozen=True)
class DemoChallenge:
    """A challenge in a given phase at load time; `start` is when submissions open, in days from `now`."""

    slug: str
    host: str
    title: str
    summary: str
    problem: str
    target_groups: tuple[str, ...]
    sdg_goals: tuple[int, ...]
    criteria: tuple[tuple[str, str, int], ...]
    start: int
    prize_text: str = ""
    prize_amount: int | None = None  # minor units
    prize_currency: str = "NOK"
    prize_split: dict[str, Any] | None = None
    follow_up: str = ""
    open_days: int = 35
    review_days: int | None = 14
    voting_days: int | None = None
    status: str = "published"  # draft, published or cancelled
    cancel_reason: str = ""
    cohosts: tuple[str, ...] = ()
    team_size_max: int = 5
    # Used when the challenge has a public vote (`voting_days`).
    voting_method: str = "single"
    votes_per_voter: int = 1
    live_counts: bool = False
    jury_weight: int = 100
    cover: bool = True


CHALLENGES: tuple[DemoChallenge, ...] = (
    DemoChallenge(
        slug=CHALLENGE_MARKER_SLUG,
        host="halden",
        title="Bærekraftig sentrumshandel",
        summary="Hvordan får vi flere til å handle, møtes og bli værende i sentrum av Halden – uten mer biltrafikk?",
        problem=(
            "Sentrum av Halden har **mange tomme butikklokaler**, og handelen flytter ut til kjøpesentrene. "
            "Samtidig vil kommunen redusere klimautslipp og gjøre sentrum til et sted der folk vil være.\n\n"
            "Gjennom «Smart By Halden» vil vi heller være med på å utvikle løsninger enn å kjøpe ferdige produkter. "
            "Vi søker konsepter som:\n\n"
            "- gir tomme lokaler nytt liv, for eksempel gjennom gjenbruk, reparasjon eller midlertidig bruk\n"
            "- gjør det enkelt å handle lokalt uten bil\n"
            "- involverer handelsstanden og innbyggerne i utviklingen\n"
        ),
        target_groups=("students", "citizens", "start-ups"),
        sdg_goals=(11, 12),
        criteria=(
            ("Nytteverdi", "Hvor mye bidrar konseptet til et levende og bærekraftig sentrum?", 3),
            ("Gjennomførbarhet", "Kan kommunen og handelsstanden teste ideen innen et år?", 2),
            ("Innbyggerinvolvering", "Tar konseptet med innbyggerne i utviklingen?", 1),
        ),
        start=-10,
        prize_text="50 000 kroner delt likt mellom de tre beste konseptene",
        prize_amount=5_000_000,
        prize_split={"kind": "shared", "best": 3},
        follow_up="Vinneren får et betalt oppdrag på 100 000 kroner for å teste konseptet i Storgata sammen med "
        "Halden kommune og Smart Innovation Norway.",
    ),
    DemoChallenge(
        slug="flere-unge-i-jobb",
        host="baerum",
        title="Flere unge i jobb",
        summary="Hvordan kan Bærum kommune og næringslivet hjelpe flere unge mellom 18 og 29 år inn i arbeid?",
        problem=(
            "Bærum har blitt en mangfoldig kommune, og vi har fått pris for integreringsarbeidet vårt. Likevel står "
            "for mange unge utenfor arbeid og utdanning.\n\n"
            "Vi vil **stjele gode løsninger** fra andre byer – og høre fra de unge selv. Hvordan kan arbeidsgivere, "
            "NAV og kommunen sammen gjøre veien til den første jobben kortere?"
        ),
        target_groups=("young-professionals", "students", "companies"),
        sdg_goals=(4, 8, 10),
        criteria=(
            ("Effekt for de unge", "Hvor mange unge kan konseptet hjelpe, og hvor mye?", 4),
            ("Samarbeid", "Bygger konseptet på samarbeid mellom kommune, arbeidsgivere og unge?", 2),
            ("Gjennomførbarhet", "", 2),
        ),
        start=-45,
        prize_text="30 000, 15 000 og 5 000 kroner til de tre beste",
        prize_amount=5_000_000,
        prize_split={"kind": "fixed", "amounts": [3_000_000, 1_500_000, 500_000]},
        follow_up="Det beste konseptet prøves ut i Sandvika i et halvt år, med oppfølging fra seksjon for arbeid og "
        "inkludering.",
    ),
    DemoChallenge(
        slug="smartere-mobilitet",
        host="stavanger",
        cohosts=("helsingborg",),
        title="Smartere mobilitet",
        summary="Stavanger og Helsingborg søker sammen løsninger som gjør det enklere å reise grønt i hverdagen.",
        problem=(
            "To byer, ett problem: for mange korte turer tas med bil. Stavanger utvikler smartbyen sammen med "
            "næringsliv, akademia og innbyggere, og Helsingborg tester nye tjenester i kommuneakseleratoren "
            "Hbg Works.\n\n"
            "Vi søker konsepter for sykkel, gange, kollektivtrafikk og delte kjøretøy som kan **testes i begge byene** "
            "og deles med andre kommuner etterpå."
        ),
        target_groups=("start-ups", "students", "companies"),
        sdg_goals=(9, 11, 13),
        criteria=(
            ("Klimaeffekt", "Hvor mange bilturer kan konseptet erstatte?", 3),
            ("Overførbarhet", "Kan løsningen brukes i begge byene og deles med andre?", 2),
            ("Brukervennlighet", "Er løsningen enkel for alle, også uten smarttelefon?", 2),
        ),
        start=-5,
        open_days=42,
        prize_text="100 000 kroner delt likt mellom de to beste, og et pilotprosjekt i begge byene",
        prize_amount=10_000_000,
        prize_split={"kind": "shared", "best": 2},
        follow_up="Vinnerne inviteres til en pilot i Stavanger og i Hbg Works i Helsingborg.",
        voting_days=7,
        voting_method="points",
        votes_per_voter=5,
        jury_weight=70,
    ),
    DemoChallenge(
        slug="trygga-och-levande-stadsdelar",
        host="helsingborg",
        title="Trygga och levande stadsdelar",
        summary="Hur kan invånare, föreningar och staden tillsammans göra stadsdelarna tryggare och mer levande?",
        problem=(
            "Helsingborg vill vara **en plats för handling**. I flera stadsdelar känner sig invånarna otrygga på "
            "kvällarna, och mötesplatserna är för få.\n\n"
            "Vi söker koncept som använder öppna data, nya tjänster eller enkla fysiska förändringar – och som tas "
            "fram tillsammans med dem som bor i stadsdelen."
        ),
        target_groups=("citizens", "students", "start-ups"),
        sdg_goals=(11, 16),
        criteria=(
            ("Trygghet", "Hur mycket tryggare blir stadsdelen?", 3),
            ("Delaktighet", "Är invånarna med och formar lösningen?", 2),
            ("Genomförbarhet", "", 1),
        ),
        start=10,
        prize_text="60 000 kronor delas lika mellan de tre bästa",
        prize_amount=6_000_000,
        prize_currency="SEK",
        prize_split={"kind": "shared", "best": 3},
        follow_up="Det vinnande konceptet testas i en stadsdel tillsammans med Hbg Works.",
        voting_days=7,
    ),
    DemoChallenge(
        slug="open-data-for-everyday-services",
        host="6aika",
        title="Open data for everyday services",
        summary="Build a concept that turns the six cities' open data into a service residents use every week.",
        problem=(
            "Finland's six largest cities share **open data** about transport, services, the environment and "
            "events. Much of it is still used only by experts.\n\n"
            "We are looking for concepts that make this data useful in everyday life – and that can be tested on "
            "the cities' platforms: schools, streets, shopping centres and neighbourhoods."
        ),
        target_groups=("start-ups", "students", "young-professionals"),
        sdg_goals=(9, 11, 17),
        criteria=(
            ("Use of open data", "How well does the concept use the cities' open data?", 3),
            ("Value for residents", "", 3),
            ("Scalability", "Can the service work in all six cities?", 2),
        ),
        start=-3,
        prize_text="EUR 10,000 shared equally by the best four concepts",
        prize_amount=1_000_000,
        prize_currency="EUR",
        prize_split={"kind": "shared", "best": 4},
        follow_up="The best concepts are offered a pilot on a 6Aika city platform.",
    ),
    DemoChallenge(
        slug="energismarte-hjem",
        host="smart-innovation-norway",
        cohosts=("halden",),
        title="Energismarte hjem",
        summary="Hvordan kan husholdninger i Halden bruke strøm smartere når prisene svinger?",
        problem=(
            "Smart Innovation Norway leder klyngen NCE Smart Energy Markets. Sammen med Halden kommune vil vi finne "
            "enkle måter for vanlige husholdninger å flytte strømforbruket sitt på."
        ),
        target_groups=("citizens", "students", "start-ups"),
        sdg_goals=(7, 11, 13),
        criteria=(("Energisparing", "", 2), ("Enkelhet", "Kan alle bruke løsningen?", 2)),
        start=-60,
        open_days=35,
        review_days=20,
        voting_days=10,
        voting_method="multiple",
        votes_per_voter=3,
        live_counts=True,
        jury_weight=60,
        prize_text="20 000 kroner til vinneren og 10 000 kroner til publikums favoritt",
        prize_amount=3_000_000,
        prize_split={"kind": "fixed", "amounts": [2_000_000, 1_000_000]},
    ),
    DemoChallenge(
        slug="samskapingshuset",
        host="stavanger",
        title="Samskapingshuset",
        summary="Hvordan bør et hus der innbyggere, frivillighet og næringsliv møter kommunen fungere?",
        problem=(
            "Stavanger har hatt innbyggerdialog i et rullende idéverksted og latt unge planlegge byen i Minecraft. "
            "Nå tester vi et **samskapingshus**. Hva skal til for at det blir brukt av alle?"
        ),
        target_groups=("citizens", "students"),
        sdg_goals=(11, 16, 17),
        criteria=(("Nytteverdi", "", 3), ("Inkludering", "Når konseptet grupper som sjelden deltar?", 2)),
        start=-65,
        open_days=40,
        review_days=20,
        prize_text="40 000 kroner delt likt mellom de fire beste",
        prize_amount=4_000_000,
        prize_split={"kind": "shared", "best": 4},
    ),
    DemoChallenge(
        slug="virtuell-korttidsavdeling",
        host="halden",
        title="Hjemme etter sykehuset",
        summary="Hvordan kan teknologi gi utskrevne pasienter trygghet hjemme de første dagene?",
        problem=(
            "Pilotprosjektet Virtuell Korttidsavdeling gir utskrevne pasienter et tilbud i eget hjem ved hjelp av "
            "teknologi. Vi ba om konsepter som gjør tilbudet tryggere og enklere for pasienter og pårørende."
        ),
        target_groups=("students", "young-professionals", "companies"),
        sdg_goals=(3, 10),
        criteria=(("Pasientnytte", "", 3), ("Gjennomførbarhet", "", 2), ("Personvern", "", 1)),
        start=-120,
        open_days=35,
        review_days=21,
        voting_days=7,
        prize_text="30 000 kroner delt likt mellom de tre beste",
        prize_amount=3_000_000,
        prize_split={"kind": "shared", "best": 3},
        follow_up="Vinnerkonseptet inngår i neste fase av Virtuell Korttidsavdeling.",
    ),
    DemoChallenge(
        slug="gronnare-skolgardar",
        host="helsingborg",
        title="Grönnare skolgårdar",
        summary="Hur kan skolgårdarna bli gröna mötesplatser för hela stadsdelen efter skoltid?",
        problem="Staden planerade att öppna skolgårdarna för alla efter skoltid.",
        target_groups=("citizens", "students"),
        sdg_goals=(4, 11, 15),
        criteria=(("Nytta", "", 2), ("Genomförbarhet", "", 1)),
        start=-7,
        prize_text="30 000 kronor till det bästa konceptet",
        prize_amount=3_000_000,
        prize_currency="SEK",
        status="cancelled",
        cancel_reason="Skolförvaltningen har skjutit upp ombyggnaden av skolgårdarna till nästa år. Utmaningen "
        "kommer tillbaka när budgeten är klar.",
    ),
    DemoChallenge(
        slug="gronnere-skolevei",
        host="baerum",
        title="Grønnere skolevei",
        summary="Hvordan får vi flere barn til å gå eller sykle til skolen i Bærum?",
        problem="Utkast: beskriv problemet sammen med skolene før utfordringen publiseres.",
        target_groups=("citizens", "students"),
        sdg_goals=(3, 11),
        criteria=(("Trygghet", "", 2), ("Klimaeffekt", "", 1)),
        start=30,
        status="draft",
    ),
)

# (source slug, new host, new slug, new title, start, prize text, prize amount): "steal and share" copies.
COPIES: tuple[tuple[str, str, str, str, int, str, int], ...] = (
    (
        CHALLENGE_MARKER_SLUG,
        "baerum",
        "levende-sandvika-sentrum",
        "Levende Sandvika sentrum",
        -2,
        "40 000 kroner delt likt mellom de to beste",
        4_000_000,
    ),
)


def _timeline(spec: DemoChallenge, now: datetime) -> dict[str, datetime | None]:
    """The challenge's dates, from submissions opening `spec.start` days from `now`."""
    day = timedelta(days=1)
    opens = now + spec.start * day
    closes = opens + spec.open_days * day
    review_ends = closes + spec.review_days * day if spec.review_days else None
    voting_opens = (review_ends or closes) if spec.voting_days else None
    voting_closes = voting_opens + spec.voting_days * day if voting_opens and spec.voting_days else None
    announce = (voting_closes or review_ends or closes) + 7 * day
    return {
        "opens_at": opens,
        "submissions_close_at": closes,
        "review_ends_at": review_ends,
        "voting_opens_at": voting_opens,
        "voting_closes_at": voting_closes,
        "announce_at": announce,
    }


def challenges_loaded(session: Session) -> bool:
    """True when the demo challenges are in the database."""
    try:
        challenges.get_for(session, slug=CHALLENGE_MARKER_SLUG, actor=Actor.system())
    except NotFound:
        return False
    return True


def _load_challenges(session: Session, *, now: datetime) -> None:
    actor = Actor.system()
    # Published a week before submissions open, so that challenges already past their deadline went through
    # the same rules (dates in order, a future deadline) as a real one.
    for spec in CHALLENGES:
        dates = _timeline(spec, now)
        opens = dates["opens_at"]
        assert opens is not None  # noqa: S101  (every demo challenge has an opening date)
        written = min(now, opens - timedelta(days=7))
        data = ChallengeCreate(
            organization=spec.host,
            slug=spec.slug,
            title=spec.title,
            summary=spec.summary,
            problem_statement=spec.problem,
            target_groups=[TargetGroup(group) for group in spec.target_groups],
            sdg_goals=list(spec.sdg_goals),
            prize_text=spec.prize_text,
            prize_amount=spec.prize_amount,
            prize_currency=spec.prize_currency,
            prize_split=spec.prize_split,
            follow_up_text=spec.follow_up,
            team_size_max=spec.team_size_max,
            voting_method=VotingMethod(spec.voting_method) if spec.voting_days else VotingMethod.NONE,
            votes_per_voter=spec.votes_per_voter,
            live_counts=spec.live_counts,
            jury_weight=spec.jury_weight if spec.voting_days else 100,
            criteria=[CriterionIn(name=name, description=text, weight=weight) for name, text, weight in spec.criteria],
            **dates,
        )
        challenge = challenges.create(session, actor=actor, data=data, now=written)
        for cohost in spec.cohosts:
            challenge = challenges.add_cohost(
                session, actor=actor, challenge=challenge, organization_slug=cohost, now=written
            )
        if spec.status == "draft":
            continue
        challenge = challenges.publish(session, actor=actor, challenge=challenge, now=written)
        if spec.status == "cancelled":
            challenges.cancel(session, actor=actor, challenge=challenge, reason=spec.cancel_reason, now=now)

    for source_slug, host, slug, title, start, prize_text, prize_amount in COPIES:
        source = challenges.get_for(session, slug=source_slug, actor=actor)
        written = now + timedelta(days=start - 7)
        copied = challenges.copy(
            session, actor=actor, source=source, data=ChallengeCopy(organization=host, slug=slug, title=title),
            now=written,
        )  # fmt: skip
        opens = now + timedelta(days=start)
        update = ChallengeUpdate(
            summary="Hvordan får vi flere til å handle, møtes og bli værende i Sandvika sentrum? Basert på Haldens "
            "utfordring – vi stjeler gode løsninger.",
            prize_text=prize_text,
            prize_amount=prize_amount,
            prize_currency="NOK",
            opens_at=opens,
            submissions_close_at=opens + timedelta(days=35),
            review_ends_at=opens + timedelta(days=49),
            announce_at=opens + timedelta(days=56),
        )
        copied = challenges.update(session, actor=actor, challenge=copied, data=update, now=written)
        challenges.publish(session, actor=actor, challenge=copied, now=written)


def covers_loaded(session: Session) -> bool:
    """True when the demo challenges were given their covers (the marker challenge has one)."""
    statement = select(Challenge.cover_sha256).where(Challenge.slug == CHALLENGE_MARKER_SLUG)
    return session.exec(statement).first() is not None


def _load_covers(session: Session, *, now: datetime) -> None:
    """A generated cover for each demo challenge that asks for one and has none (older demo databases too)."""
    actor = Actor.system()
    colours = {spec.slug: spec.colour for spec in ORGANIZATIONS}
    for index, spec in enumerate(CHALLENGES):
        challenge = challenges.get_for(session, slug=spec.slug, actor=actor)
        if spec.cover and challenge.cover_sha256 is None and challenge.status != "cancelled":
            content = cover_for(index, colours[spec.host])
            challenges.set_cover(session, actor=actor, challenge=challenge, content=content, now=now)


# --- citizens following challenges -------------------------------------------------------------------------------

# (citizen, challenges they follow). Jonas takes his news as a daily digest; the others one email at a time.
FOLLOWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nora.dahl@example.org", ("baerekraftig-sentrumshandel", "smartere-mobilitet", "trygga-och-levande-stadsdelar")),
    (
        "jonas.aasen@example.org",
        ("baerekraftig-sentrumshandel", "open-data-for-everyday-services", "energismarte-hjem"),
    ),
    ("elsa.nilsson@example.org", ("trygga-och-levande-stadsdelar", "smartere-mobilitet")),
    ("liam.murphy@example.org", ("open-data-for-everyday-services",)),
)
DAILY_DIGEST_CITIZENS = ("jonas.aasen@example.org",)


def follows_loaded(session: Session) -> bool:
    """True when the demo citizens' follows are in the database."""
    first = select(User.id).where(User.email == FOLLOWS[0][0]).scalar_subquery()
    return session.exec(select(Follow.id).where(col(Follow.user_id) == first)).first() is not None


def _load_follows(session: Session, *, now: datetime) -> None:
    emails = [email for email, _slugs in FOLLOWS]
    users = {user.email: user for user in session.exec(select(User).where(col(User.email).in_(emails))).all()}
    for email, slugs in FOLLOWS:
        actor = Actor(user=users[email], via="session")
        if email in DAILY_DIGEST_CITIZENS:
            accounts.update_profile(session, actor=actor, email_frequency="daily")
        for slug in slugs:
            challenge = challenges.get_for(session, slug=slug, actor=actor)
            follows.follow(session, actor=actor, challenge=challenge, now=now)


# --- questions and answers ---------------------------------------------------------------------------------------

# (challenge slug, asker, question, answer or ""): asked a day after the challenge opened, answered the next day
# (by the platform, so that the audit log shows demo writes as "system").
QUESTIONS: tuple[tuple[str, str, str, str], ...] = (
    ("baerekraftig-sentrumshandel", "nora.dahl@example.org",
     "Kan vi foreslå midlertidig bruk av tomme lokaler, for eksempel pop-up-butikker eller verksteder?",
     "Ja! Kommunen har avtale med gårdeierne om **fire tomme lokaler i Storgata** som kan brukes gratis i en "
     "testperiode på tre måneder."),
    ("baerekraftig-sentrumshandel", "jonas.aasen@example.org",
     "Må konseptet gjelde hele sentrum, eller holder det med én gate?",
     "Det holder godt med én gate eller ett kvartal, så lenge dere forklarer hvordan ideen kan skaleres."),
    ("baerekraftig-sentrumshandel", "emma.solberg@example.org",
     "Får vi låne tomme butikklokaler til å teste ideen vår?", ""),
    ("baerekraftig-sentrumshandel", "sander.kristiansen@example.org",
     "Hvor mange sider kan konseptbeskrivelsen være?", ""),
    ("baerekraftig-sentrumshandel", "ida.halvorsen@example.org",
     "KJØP BILLIGE KLOKKER HER!!! www.example.com", ""),
    ("smartere-mobilitet", "elsa.nilsson@example.org",
     "Måste lösningen testas i både Stavanger och Helsingborg, eller räcker det med en av städerna?",
     "Det räcker att börja i en av städerna, men beskriv gärna hur lösningen kan flyttas till den andra. "
     "Piloten i Hbg Works kan starta redan i vår."),
    ("smartere-mobilitet", "mohammed.ali@example.org",
     "Finnes det åpne data om sykkeltrafikk i Stavanger som vi kan bruke?",
     "Ja, tellepunktene for sykkel ligger som åpne data på *opencom.no*. Vi legger også ut "
     "reisevaneundersøkelsen fra 2024 før fristen."),
    ("smartere-mobilitet", "oscar.persson@example.org",
     "Får man skicka in ett koncept som bara handlar om gångtrafik?", ""),
)  # fmt: skip
MERGED = ("baerekraftig-sentrumshandel", 2, 0)  # the third question duplicates the first
HIDDEN = ("baerekraftig-sentrumshandel", 4, "Reklame, ikke et spørsmål om utfordringen.")


def questions_loaded(session: Session) -> bool:
    """True when the demo questions are in the database."""
    marker = select(Challenge.id).where(Challenge.slug == CHALLENGE_MARKER_SLUG).scalar_subquery()
    return session.exec(select(Question.id).where(Question.challenge_id == marker)).first() is not None


def _actor_for(session: Session, email: str) -> Actor:
    user = session.exec(select(User).where(User.email == email)).one()
    return Actor(user=user, roles=sessions.roles_of(session, _id(user)), via="session")


def _load_questions(session: Session, *, now: datetime) -> None:
    asked: dict[str, list[Question]] = {}
    for slug, asker, body, text in QUESTIONS:
        challenge = challenges.get_for(session, slug=slug, actor=Actor.system())
        opens = challenge.opens_at or now
        moment = min(now, opens + timedelta(days=1, hours=len(asked.get(slug, []))))
        question = questions.ask(session, actor=_actor_for(session, asker), challenge=challenge, body=body, now=moment)
        asked.setdefault(slug, []).append(question)
        if text:
            questions.answer(session, actor=Actor.system(), challenge=challenge, question=question,
                             text=text, now=min(now, moment + timedelta(days=1)))  # fmt: skip
    slug, duplicate, original = MERGED
    challenge = challenges.get_for(session, slug=slug, actor=Actor.system())
    questions.merge(session, actor=Actor.system(), challenge=challenge, question=asked[slug][duplicate],
                    into_id=asked[slug][original].id or 0, now=now)  # fmt: skip
    slug, index, reason = HIDDEN
    questions.hide(session, actor=Actor.system(), challenge=challenge, question=asked[slug][index], reason=reason,
                   now=now)  # fmt: skip


# --- submissions (concepts) --------------------------------------------------------------------------------------

# (challenge slug, lead, other members, title, versions submitted, withdrawn, files): members have accepted the
# terms when the concept was submitted; drafts wait for some. Concepts on challenges not yet open are skipped.
SUBMISSIONS: tuple[tuple[str, str, tuple[str, ...], str, int, bool, tuple[str, ...]], ...] = (
    ("baerekraftig-sentrumshandel", "nora.dahl@example.org", ("jonas.aasen@example.org",),
     "Pop-up-gata: tomme lokaler som verksteder", 2, False, ("pdf", "png")),
    ("baerekraftig-sentrumshandel", "emma.solberg@example.org", (), "Handlerunden: en app for lokale tilbud", 1,
     False, ("pdf",)),
    ("baerekraftig-sentrumshandel", "sander.kristiansen@example.org", ("ida.halvorsen@example.org",),
     "Bytteboden i Storgata", 0, False, ()),
    ("baerekraftig-sentrumshandel", "mohammed.ali@example.org", (), "Lørdagsmarked hele året", 1, True, ()),
    ("smartere-mobilitet", "elsa.nilsson@example.org", ("oscar.persson@example.org", "maja.karlsson@example.org"),
     "Cykelbussen: trygg väg till skolan", 2, False, ("pdf", "png")),
    ("smartere-mobilitet", "liam.murphy@example.org", (), "Shared e-bikes for shift workers", 1, False, ("png",)),
    ("smartere-mobilitet", "nora.dahl@example.org", (), "Gåvennlige snarveier", 0, False, ()),
    ("flere-unge-i-jobb", "jonas.aasen@example.org", ("emma.solberg@example.org",), "Sommerjobb-broen", 1, False,
     ("pdf",)),
    ("flere-unge-i-jobb", "ida.halvorsen@example.org", (), "Mentor i lomma", 2, False, ()),
    ("virtuell-korttidsavdeling", "sander.kristiansen@example.org", ("mohammed.ali@example.org",),
     "Hjemme med nettbrett og nattevakt", 1, False, ("pdf",)),
    ("samskapingshuset", "maja.karlsson@example.org", (), "Ett rum för alla föreningar", 1, False, ("png",)),
    ("gronnare-skolgardar", "oscar.persson@example.org", ("liam.murphy@example.org",), "Skolgårdsodlingen", 0,
     False, ()),
)  # fmt: skip


def demo_pdf(title: str) -> bytes:
    """A small, valid one-page PDF with `title` on it (ASCII only), made here rather than downloaded."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def submissions_loaded(session: Session) -> bool:
    """True when the demo concepts are in the database."""
    marker = select(Challenge.id).where(Challenge.slug == CHALLENGE_MARKER_SLUG).scalar_subquery()
    return session.exec(select(Submission.id).where(col(Submission.challenge_id) == marker)).first() is not None


def _load_submissions(session: Session, *, now: datetime) -> None:
    """A dozen concepts written straight into the tables as if their teams had worked on them while the
    challenges were open (the services refuse writes after a deadline, which is right for people, not for
    history)."""
    emails = {email for spec in SUBMISSIONS for email in (spec[1], *spec[2])}
    users = {user.email: user for user in session.exec(select(User).where(col(User.email).in_(emails))).all()}
    for index, (slug, lead, members, title, versions, withdrawn, files) in enumerate(SUBMISSIONS):
        try:
            challenge = challenges.get_for(session, slug=slug, actor=Actor.system())
        except NotFound:
            continue
        if challenge.opens_at is None or challenge.opens_at > now or challenge.status != "published":
            continue
        moment = min(now, challenge.opens_at + timedelta(days=2, hours=index))
        submission = Submission(
            challenge_id=_id_of(challenge), title=title,
            summary=f"{title}: et konsept fra innbyggere til «{challenge.title}».",
            body=f"## Problemet\n{challenge.summary}\n\n## Ideen\n{title}. Vi vil teste ideen i liten skala først.\n\n"
                 "- hvem: innbyggere og lag\n- når: i løpet av et halvt år\n",
            team_name=f"Team {title.split()[0].rstrip(':')}", created_by_id=_id(users[lead]),
            created_at=moment, updated_at=moment,
        )  # fmt: skip
        accepted = moment if versions else None
        submission.members = [SubmissionMember(user_id=_id(users[lead]), role=MemberRole.LEAD, joined_at=moment,
                                               terms_accepted_at=moment)]  # fmt: skip
        submission.members += [SubmissionMember(user_id=_id(users[email]), joined_at=moment, terms_accepted_at=accepted)
                               for email in members]  # fmt: skip
        session.add(submission)
        session.flush()
        attachment_ids: list[int] = []
        for kind in files:
            content = demo_pdf(title) if kind == "pdf" else cover_for(index, (40 + index * 15, 110, 90), 240, 120)
            attachment = Attachment(
                submission_id=_id_of(submission), filename=f"{title[:60]}.{kind}",
                content_type="application/pdf" if kind == "pdf" else "image/png", size=len(content),
                sha256=hashlib.sha256(content).hexdigest(), uploaded_by_id=_id(users[lead]), created_at=moment,
            )  # fmt: skip
            session.add(attachment)
            session.flush()
            session.add(AttachmentContent(attachment_id=_id_of(attachment), content=content))
            attachment_ids.append(_id_of(attachment))
        for number in range(1, versions + 1):
            submitted = min(now, moment + timedelta(days=number))
            session.add(SubmissionVersion(
                submission_id=_id_of(submission), number=number,
                title=title if number == versions else f"{title} (første utkast)", summary=submission.summary,
                body=submission.body if number == versions else submission.body.split("- hvem")[0],
                team_name=submission.team_name, attachment_ids=attachment_ids, submitted_by_id=_id(users[lead]),
                created_at=submitted,
            ))  # fmt: skip
            submission.submitted_at = submitted
        if versions:
            submission.version_count = versions
            submission.status = SubmissionStatus.WITHDRAWN if withdrawn else SubmissionStatus.SUBMITTED
            submission.withdrawn_at = now if withdrawn else None
        session.add(submission)
        session.flush()


def _id_of(row: Challenge | Submission | Attachment) -> int:
    if row.id is None:  # pragma: no cover  (rows are flushed before their id is read)
        raise RuntimeError("row was not flushed")
    return row.id


# --- a gallery that paginates, with covers ------------------------------------------------------------------------

# More concepts for the marker challenge, so its gallery (12 cards a page) runs to a second page: (title, summary).
GALLERY_CONCEPTS: tuple[tuple[str, str], ...] = (
    ("Reparasjonskafé hver torsdag", "Frivillige fikser klær, sykler og lamper i et tomt butikklokale."),
    ("Sentrumskortet", "Ett kort med rabatter hos lokale butikker, betalt av kommunen i et prøveår."),
    ("Grønne bakgårder", "Bakgårdene bak Storgata blir små parker med benker og plantekasser."),
    ("Kveldsåpent på fredager", "Butikkene holder åpent til ni med musikk og matboder i gata."),
    ("Lokalt levert", "Sykkelbud bringer varer fra sentrumsbutikkene hjem samme dag."),
    ("Studentverkstedet", "Studenter låner tomme lokaler gratis mot å holde dem åpne for publikum."),
    ("Torget som stue", "Flyttbare møbler og tak over deler av torget gjør det til et sted å være."),
    ("Butikkvandring for nye innbyggere", "En guidet runde som viser nyinnflyttede hva sentrum har."),
    ("Delingsbiblioteket", "Lån verktøy, telt og kjøkkenmaskiner på biblioteket i stedet for å kjøpe."),
    ("Barnas handlegate", "En lørdag i måneden stenges gata for biler og blir lekeplass."),
    ("Sentrum på skjermen", "Et kart som viser ledige lokaler og hva de kan brukes til."),
    ("Gjenbrukstorget", "Et fast marked for brukte varer, drevet av lag og foreninger."),
    ("Lysløypa gjennom byen", "Belysning og kunst langs en gangrute som binder sentrum sammen."),
    ("Pop-up-kontor", "Kontorplasser i tomme butikker for dem som jobber hjemmefra."),
)


def gallery_loaded(session: Session) -> bool:
    """True when the extra gallery concepts are in the database."""
    return session.exec(select(Submission.id).where(Submission.title == GALLERY_CONCEPTS[0][0])).first() is not None


def _load_gallery(session: Session, *, now: datetime) -> None:
    """Submitted concepts (every other with a generated cover, every fifth anonymous) on the marker challenge, and
    covers for two of the older demo concepts; written straight into the tables like the other demo concepts."""
    try:
        challenge = challenges.get_for(session, slug=CHALLENGE_MARKER_SLUG, actor=Actor.system())
    except NotFound:
        return
    if challenge.opens_at is None or challenge.opens_at > now or challenge.status != "published":
        return
    emails = sorted({spec[1] for spec in SUBMISSIONS})
    users = session.exec(select(User).where(col(User.email).in_(emails)).order_by(col(User.email))).all()
    if not users:
        return
    colours = {spec.slug: spec.colour for spec in ORGANIZATIONS}
    colour = colours.get(challenge.host.slug, (40, 110, 90))

    def add_cover(submission: Submission, index: int) -> None:
        content = cover_for(index, colour)
        digest = hashlib.sha256(content).hexdigest()
        session.add(SubmissionCover(submission_id=_id_of(submission), content=content, content_type="image/png",
                                    sha256=digest, updated_at=now))  # fmt: skip
        submission.cover_sha256 = digest
        session.add(submission)

    for index, (title, summary) in enumerate(GALLERY_CONCEPTS):
        lead = users[index % len(users)]
        moment = min(now, challenge.opens_at + timedelta(days=3, hours=5 * index))
        submission = Submission(
            challenge_id=_id_of(challenge), title=title, summary=summary,
            body=f"## Ideen\n{summary}\n\n## Hvordan\nVi prøver i tre måneder og måler hvor mange som kommer.\n",
            team_name=f"Lag {title.split()[0]}", anonymous=index % 5 == 4, created_by_id=_id(lead),
            status=SubmissionStatus.SUBMITTED, version_count=1, submitted_at=moment, created_at=moment,
            updated_at=moment,
        )  # fmt: skip
        submission.members = [SubmissionMember(user_id=_id(lead), role=MemberRole.LEAD, joined_at=moment,
                                               terms_accepted_at=moment)]  # fmt: skip
        session.add(submission)
        session.flush()
        session.add(SubmissionVersion(
            submission_id=_id_of(submission), number=1, title=title, summary=summary, body=submission.body,
            team_name=submission.team_name, attachment_ids=[], submitted_by_id=_id(lead), created_at=moment,
        ))  # fmt: skip
        if index % 2 == 0:
            add_cover(submission, index + 3)
    older = ("Pop-up-gata: tomme lokaler som verksteder", "Cykelbussen: trygg väg till skolan")
    for index, found in enumerate(session.exec(select(Submission).where(col(Submission.title).in_(older))).all()):
        if found.cover_sha256 is None:
            add_cover(found, index + 1)
    session.flush()


# --- comments, feedback and reports ------------------------------------------------------------------------------

# (concept title, author, text, replies as (author, text)): Norwegian and Swedish talk under public demo concepts.
COMMENTS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Pop-up-gata: tomme lokaler som verksteder",
        "emma.solberg@example.org",
        "Flott idé! Hvem betaler husleien mens lokalene står som verksteder?",
        (
            ("nora.dahl@example.org", "Gårdeierne får lavere eiendomsskatt i prøveperioden, det er tanken."),
            ("ida.halvorsen@example.org", "Vi har et tomt lokale i Storgata 12 som kan passe."),
        ),
    ),
    (
        "Pop-up-gata: tomme lokaler som verksteder",
        "mohammed.ali@example.org",
        "Kunne verkstedene også holde åpent på lørdager?\nDa kommer det flere barnefamilier.",
        (),
    ),
    (
        "Sommerjobb-broen",
        "sander.kristiansen@example.org",
        "Bedriftene i Halden trenger sommervikarer. Hvordan finner de ungdommene?",
        (("jonas.aasen@example.org", "Gjennom en enkel liste på skolene og en kontaktperson i NAV."),),
    ),
    (
        "Cykelbussen: trygg väg till skolan",
        "maja.karlsson@example.org",
        "Vi provade något liknande i vår stadsdel. Föräldrarna turades om att cykla först.",
        (("elsa.nilsson@example.org", "Tack! Hur många barn var med som mest?"),),
    ),
    (
        "Ett rum för alla föreningar",
        "oscar.persson@example.org",
        "Bra förslag. Vem ansvarar för nycklarna på kvällarna?",
        (),
    ),
)
# (concept title, text): private feedback from an editor of the concept's host.
FEEDBACK: tuple[tuple[str, str], ...] = (
    (
        "Pop-up-gata: tomme lokaler som verksteder",
        "Et sterkt konsept. Vis gjerne hva et prøveår koster kommunen, og hvem som har ansvaret for lokalene.",
    ),
)
# (concept title, comment index in COMMENTS or None for the concept, reporter, reason): left open for the hosts.
REPORTS: tuple[tuple[str, int | None, str, str], ...] = (
    (
        "Cykelbussen: trygg väg till skolan",
        None,
        "liam.murphy@example.org",
        "Liknar ett konsept som redan finns i en annan kommun.",
    ),
    ("Pop-up-gata: tomme lokaler som verksteder", 1, "jonas.aasen@example.org", "Utenfor tema, synes jeg."),
)
HIDDEN_COMMENT = ("Sommerjobb-broen", "liam.murphy@example.org", "Kjøp billige solbriller på min nettside!",
                  "Reklame for en nettbutikk.")  # fmt: skip


def comments_loaded(session: Session) -> bool:
    """True when the demo comments are in the database."""
    return session.exec(select(Comment.id).where(Comment.body == COMMENTS[0][2])).first() is not None


def _load_comments(session: Session, *, now: datetime) -> None:
    """Comments with replies, a piece of feedback, two open reports and a hidden comment, written straight into the
    tables (as the other demo history is: no emails, no audit entries in the name of demo people)."""
    titles = {spec[0] for spec in COMMENTS} | {HIDDEN_COMMENT[0]}
    concepts = {
        row.title: row
        for row in session.exec(
            select(Submission).where(col(Submission.title).in_(sorted(titles)), col(Submission.version_count) > 0)
        ).all()
    }
    emails = {spec[1] for spec in COMMENTS} | {r[0] for spec in COMMENTS for r in spec[3]}
    emails |= {spec[2] for spec in REPORTS} | {HIDDEN_COMMENT[1]}
    users = {user.email: user for user in session.exec(select(User).where(col(User.email).in_(sorted(emails)))).all()}
    written: list[Comment | None] = []
    for index, (title, author, text, replies) in enumerate(COMMENTS):
        concept = concepts.get(title)
        if concept is None or author not in users:
            written.append(None)
            continue
        moment = min(now, (concept.submitted_at or now) + timedelta(hours=3 + index))
        top = Comment(submission_id=_id_of(concept), author_id=_id(users[author]), body=text, created_at=moment)
        session.add(top)
        session.flush()
        written.append(top)
        for number, (replier, answer) in enumerate(replies, start=1):
            if replier in users:
                session.add(Comment(submission_id=_id_of(concept), author_id=_id(users[replier]), parent_id=top.id,
                                    body=answer, created_at=min(now, moment + timedelta(hours=number))))  # fmt: skip
    for title, text in FEEDBACK:
        concept = concepts.get(title)
        challenge = session.get(Challenge, concept.challenge_id) if concept else None
        editor = session.exec(
            select(User).join(Membership, col(Membership.user_id) == User.id)
            .where(col(Membership.organization_id) == (challenge.host_id if challenge else None))
            .order_by(col(Membership.id))
        ).first()  # fmt: skip
        if concept is not None and editor is not None:
            session.add(Feedback(submission_id=_id_of(concept), author_id=_id(editor), body=text,
                                 created_at=min(now, (concept.submitted_at or now) + timedelta(days=1))))  # fmt: skip
    for title, comment_index, reporter, reason in REPORTS:
        concept = concepts.get(title)
        comment = written[comment_index] if comment_index is not None else None
        if concept is None or reporter not in users or (comment_index is not None and comment is None):
            continue
        target_id = comment.id if comment is not None else concept.id
        session.add(Report(
            challenge_id=concept.challenge_id, target_type=ReportTarget.COMMENT if comment else ReportTarget.SUBMISSION,
            target_id=target_id or 0, reporter_id=_id(users[reporter]), reason=reason, created_at=now,
        ))  # fmt: skip
    title, author, text, reason = HIDDEN_COMMENT
    concept = concepts.get(title)
    if concept is not None and author in users:
        session.add(Comment(submission_id=_id_of(concept), author_id=_id(users[author]), body=text, created_at=now,
                            hidden_at=now, hidden_reason=reason))  # fmt: skip
    session.flush()


# --- submission settings, the team finder and a join request -----------------------------------------------------

# When each challenge's concepts become public, and its own terms for participants (the others keep the defaults).
SUBMISSION_SETTINGS: dict[str, tuple[str, str]] = {
    CHALLENGE_MARKER_SLUG: ("at-submission", "Halden kommune kan bruke ideene fritt i arbeidet med sentrum. Teamet "
                           "beholder opphavsretten og blir **navngitt** når ideen brukes."),
    "smartere-mobilitet": ("after-review", "Konseptene publiseres når juryen er ferdig. Kommunene kan bruke dem i "
                           "anbud om ny mobilitet, og teamet blir spurt først."),
    "virtuell-korttidsavdeling": ("never", "Konseptene berører helsetjenester og vises bare for teamet og kommunen. "
                                  "Ikke skriv inn opplysninger om enkeltpasienter."),
    "trygga-och-levande-stadsdelar": ("after-review", "Helsingborgs stad får använda idéerna i stadsdelsarbetet. "
                                      "Teamet nämns när en idé används."),
}  # fmt: skip
# (challenge, email, note) on open challenges; the first leads a draft there, so the entry speaks for the team.
TEAM_FINDER: tuple[tuple[str, str, str], ...] = (
    ("smartere-mobilitet", "nora.dahl@example.org", "Vi trenger en som kan kart og trafikkdata, og gjerne en som "
                                                    "har snakket med foreldre om skoleveien."),
    ("smartere-mobilitet", "ida.halvorsen@example.org", "Økonom. Kan regne på kostnader og søke om tilskudd."),
    ("smartere-mobilitet", "mohammed.ali@example.org", "Sykler til jobben hver dag og kan teste ideer i praksis."),
    ("open-data-for-everyday-services", "elsa.nilsson@example.org", "Tjänstedesigner med erfarenhet av intervjuer "
                                                                     "och workshops med invånare."),
    ("open-data-for-everyday-services", "oscar.persson@example.org", "Jag kodar (Python, lite JavaScript) och gör "
                                                                      "gärna en prototyp på öppna data."),
)  # fmt: skip
JOIN_REQUEST = ("ida.halvorsen@example.org", "Hei! Jeg kan ta budsjettet og søknaden om tilskudd.")


def team_finder_loaded(session: Session) -> bool:
    """True when the demo's submission settings (and with them the team finder) are in the database."""
    terms = session.exec(select(Challenge.terms_text).where(Challenge.slug == CHALLENGE_MARKER_SLUG)).first()
    return terms is None or terms != ""


def _load_team_finder(session: Session, *, now: datetime) -> None:
    """Varied submission settings and terms, a few team-finder entries with Norwegian and Swedish notes on open
    challenges, and one pending request to join the first entry's draft team; written straight into the tables like
    the other demo history (settings freeze once submissions open, which is right for organisers, not for a demo)."""
    from app.challenges.phases import Phase, phase_of
    from app.submissions.models import JoinRequest, TeammateSearch

    slugs = sorted(set(SUBMISSION_SETTINGS) | {slug for slug, _email, _note in TEAM_FINDER})
    rows = {row.slug: row for row in session.exec(select(Challenge).where(col(Challenge.slug).in_(slugs))).all()}
    for slug, (visibility, terms) in SUBMISSION_SETTINGS.items():
        if slug in rows:
            rows[slug].submissions_public, rows[slug].terms_text = visibility, terms  # type: ignore[assignment]
            session.add(rows[slug])
    emails = sorted({email for _slug, email, _note in TEAM_FINDER} | {JOIN_REQUEST[0]})
    users = {user.email: user for user in session.exec(select(User).where(col(User.email).in_(emails))).all()}
    for index, (slug, email, note) in enumerate(TEAM_FINDER):
        challenge = rows.get(slug)
        if challenge is None or email not in users or phase_of(challenge, now) != Phase.OPEN:
            continue
        moment = now - timedelta(hours=2 * (len(TEAM_FINDER) - index))
        session.add(TeammateSearch(challenge_id=_id_of(challenge), user_id=_id(users[email]), note=note,
                                   created_at=moment, updated_at=moment))  # fmt: skip
    session.flush()
    slug, lead_email, _note = TEAM_FINDER[0]
    lead, requester = users.get(lead_email), users.get(JOIN_REQUEST[0])
    if slug not in rows or lead is None or requester is None or phase_of(rows[slug], now) != Phase.OPEN:
        return
    draft = session.exec(
        select(Submission)
        .join(SubmissionMember, col(SubmissionMember.submission_id) == Submission.id)
        .where(Submission.challenge_id == rows[slug].id, Submission.status == SubmissionStatus.DRAFT,
               SubmissionMember.user_id == lead.id, SubmissionMember.role == MemberRole.LEAD)
    ).first()  # fmt: skip
    if draft is not None:
        session.add(JoinRequest(submission_id=_id_of(draft), user_id=_id(requester), note=JOIN_REQUEST[1],
                                created_at=now - timedelta(hours=1)))  # fmt: skip
        session.flush()
