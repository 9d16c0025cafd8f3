"""Demo people: the platform admin, the organisations' owners, admins and editors, and citizens (some with their
email not yet verified), all signing in with one published password."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.demo.base import add_audited, id_of
from app.demo.organizations import name_of
from app.organizations.models import Membership, Organization, Role
from app.security import hash_password

DEMO_PASSWORD = "samskap-demo-2026"  # noqa: S105  (published demo sign-in)


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    language: str = "nb"
    verified: bool = True
    platform_admin: bool = False
    # (organisation slug, role) pairs.
    roles: tuple[tuple[str, Role], ...] = ()


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


def _describe(user: DemoUser) -> str:
    if user.platform_admin:
        return "platform admin"
    if user.roles:
        return ", ".join(f"{role.value} of {name_of(slug)}" for slug, role in user.roles)
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


def load(session: Session, *, organizations: dict[str, Organization], now: datetime) -> dict[str, User]:
    """Create the demo people and their memberships of `organizations`; returns everyone by email.

    An account someone made already (e.g. with `samskap createadmin`) is kept as it is.
    """
    password_hash = hash_password(DEMO_PASSWORD)  # once: Argon2 is deliberately slow
    users: dict[str, User] = {}
    for spec in USERS:
        user = session.exec(select(User).where(col(User.email) == spec.email)).first()
        if user is None:
            user = User(
                email=spec.email,
                display_name=spec.name,
                password_hash=password_hash,
                email_verified_at=now if spec.verified else None,
                language=spec.language,
                is_platform_admin=spec.platform_admin,
                created_at=now,
            )
            after = {
                "email": user.email,
                "display_name": user.display_name,
                "language": user.language,
                "is_platform_admin": user.is_platform_admin,
                "email_verified": user.email_verified,
            }
            add_audited(session, user, after=after, now=now)
        users[spec.email] = user
        for slug, role in spec.roles:
            organization_id = id_of(organizations[slug])
            membership = Membership(organization_id=organization_id, user_id=id_of(user), role=role, created_at=now)
            after = {"user_id": membership.user_id, "email": spec.email, "role": role.value}
            add_audited(session, membership, after=after, now=now)
    return users
