"""Demo data, loaded in the test database (SQLite or PostgreSQL): idempotent, deterministic, audited."""

from __future__ import annotations

import struct
import zlib
from datetime import timedelta

from sqlmodel import Session, col, func, select

from app import demo
from app.accounts.models import User
from app.audit import service as audit
from app.audit.models import AuditEvent
from app.challenges.models import Challenge
from app.challenges.phases import Phase, phase_of
from app.organizations.models import Invitation, Membership, Organization, Role
from app.security import verify_password
from tests.conftest import NOW, Client
from tests.factories import make_user

COUNTED = (Organization, User, Membership, Invitation, Challenge, AuditEvent)


def counts(db: Session) -> dict[str, int]:
    return {model.__name__: db.exec(select(func.count()).select_from(model)).one() for model in COUNTED}


def test_loading_twice_creates_once(db: Session) -> None:
    assert demo.load(db, now=NOW) is True
    loaded = counts(db)
    assert loaded["Organization"] == len(demo.ORGANIZATIONS)
    assert loaded["User"] == len(demo.USERS) + demo.VOTER_COUNT + demo.CAMPAIGN_COUNT
    assert loaded["Invitation"] == len(demo.INVITATIONS)
    assert loaded["Challenge"] == len(demo.CHALLENGES) + len(demo.COPIES)
    assert demo.load(db, now=NOW) is False
    assert counts(db) == loaded


def test_the_organisations_speak_their_own_language(db: Session) -> None:
    demo.load(db, now=NOW)
    by_slug = {org.slug: org for org in db.exec(select(Organization)).all()}
    assert by_slug["halden"].name == "Halden kommune"
    assert by_slug["baerum"].default_language == "nb"
    assert (by_slug["helsingborg"].default_language, by_slug["helsingborg"].timezone) == ("sv", "Europe/Stockholm")
    assert by_slug["6aika"].default_language == "en"
    assert "Hbg Works" in by_slug["helsingborg"].description
    assert all(org.description and org.website.startswith("https://") for org in by_slug.values())


def test_every_member_role_is_there(db: Session) -> None:
    demo.load(db, now=NOW)
    rows = db.exec(
        select(Organization.slug, Membership.role).join(Membership, col(Membership.organization_id) == Organization.id)
    ).all()
    roles_by_org: dict[str, set[str]] = {}
    for slug, role in rows:
        roles_by_org.setdefault(slug, set()).add(Role(role))
    assert all(Role.OWNER in roles for roles in roles_by_org.values())
    assert roles_by_org["halden"] == {Role.OWNER, Role.ADMIN, Role.EDITOR}


def test_everyone_signs_in_with_the_demo_password(db: Session) -> None:
    demo.load(db, now=NOW)
    hashes = set(db.exec(select(User.password_hash)).all())
    assert len(hashes) == 1
    assert verify_password(demo.DEMO_PASSWORD, hashes.pop())
    admin = db.exec(select(User).where(User.email == "admin@samskap.no")).one()
    assert admin.is_platform_admin
    assert admin.email_verified
    unverified = db.exec(select(User).where(col(User.email_verified_at).is_(None))).all()
    assert unverified
    assert not any(user.is_platform_admin for user in unverified)


def test_the_printed_sign_ins_exist(db: Session) -> None:
    demo.load(db, now=NOW)
    emails = set(db.exec(select(User.email)).all())
    shown = [email for email, _description in demo.DEMO_SIGN_INS["users"]]
    assert shown
    assert set(shown) <= emails
    assert all(email == email.lower() for email in emails)


def test_every_write_is_in_the_audit_log(db: Session) -> None:
    demo.load(db, now=NOW)
    events = db.exec(select(AuditEvent.action, AuditEvent.actor_label)).all()
    actions = [action for action, _label in events]
    assert actions.count("organization.create") == len(demo.ORGANIZATIONS)
    assert actions.count("user.create") == len(demo.USERS)
    assert actions.count("invitation.create") == len(demo.INVITATIONS)
    assert actions.count("challenge.create") == len(demo.CHALLENGES)
    assert actions.count("challenge.copy") == len(demo.COPIES)
    assert {label for _action, label in events} == {"system"}
    assert audit.verify_chain(db).ok


def test_an_existing_account_is_kept_as_it_is(db: Session) -> None:
    admin = make_user(db, email="admin@samskap.no", display_name="Eksisterende admin", platform_admin=True)
    assert demo.load(db, now=NOW)
    assert db.exec(select(User).where(User.email == "admin@samskap.no")).one().display_name == admin.display_name


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, position = [], 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind, body = data[position + 4 : position + 8], data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks.append((kind, body))
        position += 12 + length
    return chunks


def test_logos_are_valid_distinct_pngs() -> None:
    logos = [demo.logo_for(org) for org in demo.ORGANIZATIONS]
    assert len(set(logos)) == len(logos)
    for logo in logos:
        chunks = png_chunks(logo)
        assert [kind for kind, _body in chunks] == [b"IHDR", b"IDAT", b"IEND"]
        width, height, depth, colour_type = struct.unpack(">IIBB", chunks[0][1][:10])
        assert (width, height, depth, colour_type) == (96, 96, 8, 2)
        pixels = zlib.decompress(chunks[1][1])
        assert len(pixels) == height * (1 + width * 3)
        assert len(logo) < 2000


def test_the_demo_is_deterministic(db: Session) -> None:
    assert [demo.logo_for(org) for org in demo.ORGANIZATIONS] == [demo.logo_for(org) for org in demo.ORGANIZATIONS]
    demo.load(db, now=NOW)
    people = col(User.email).in_([person.email for person in demo.USERS])
    stamps = set(db.exec(select(Organization.created_at)).all()) | set(db.exec(select(User.created_at).where(people)))
    assert stamps == {NOW}
    # The voting citizens were made a year before, the campaign's accounts during a vote: both follow from NOW.
    voters = set(db.exec(select(User.created_at).where(col(User.email).like("velger%@example.org"))).all())
    assert voters == {NOW - timedelta(days=365)}


def test_the_front_page_shows_the_demo_organisations(client: Client) -> None:
    demo.load(client.db, now=NOW)
    page = client.get("/")
    for name in ("Halden kommune", "Bærum kommune", "Stavanger kommune", "Helsingborgs stad"):
        assert name in page.text


def test_a_demo_loaded_before_challenges_gets_them_once(db: Session) -> None:
    """An old demo database (organisations, no challenges) gets the challenges on the next load, once."""
    demo._load_organizations(db, now=NOW)
    assert demo.is_loaded(db)
    assert not demo.challenges_loaded(db)
    assert demo.load(db, now=NOW) is True
    loaded = counts(db)
    assert loaded["Organization"] == len(demo.ORGANIZATIONS)
    assert loaded["Challenge"] == len(demo.CHALLENGES) + len(demo.COPIES)
    assert demo.load(db, now=NOW) is False
    assert counts(db) == loaded


def test_the_demo_challenges_cover_every_phase(db: Session) -> None:
    demo.load(db, now=NOW)
    rows = db.exec(select(Challenge)).all()
    assert {phase_of(challenge, NOW) for challenge in rows} == set(Phase)
    by_slug = {challenge.slug: challenge for challenge in rows}
    assert by_slug["baerekraftig-sentrumshandel"].title == "Bærekraftig sentrumshandel"
    assert by_slug["levende-sandvika-sentrum"].copied_from_id == by_slug["baerekraftig-sentrumshandel"].id
    assert by_slug["trygga-och-levande-stadsdelar"].prize_currency == "SEK"
    assert all(challenge.sdg_goals and challenge.target_groups for challenge in rows)
