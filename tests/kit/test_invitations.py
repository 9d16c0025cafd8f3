"""The one invitation mechanism (`app.kit.invitations`): states, tokens, the lookup by token, and claiming an
invitation under a row lock so that one link is used at most once, also when two requests race."""

from __future__ import annotations

import ast
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import delete
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app import i18n
from app.accounts.models import User
from app.actor import Actor
from app.db import begin_writing
from app.errors import AppError, Forbidden
from app.kit import invitations
from app.kit.invitations import InvitationState, InvitationUnusable, UnusableMessages
from app.organizations.models import Invitation, Organization, Role
from app.security import token_hash
from app.submissions.models import TeamInvitation
from tests.conftest import NOW
from tests.factories import make_organization, make_user

MESSAGES = UnusableMessages(accepted="used", revoked="withdrawn", expired="expired", declined="declined")


@dataclass
class Row:
    """An invitation of a table that keeps no `declined_at` (as the organisation's)."""

    email: str = "kari@example.no"
    token_hash: str = "x"
    expires_at: datetime = NOW + timedelta(days=7)
    accepted_at: datetime | None = None
    revoked_at: datetime | None = None
    id: int | None = 1


@dataclass
class RowWithDecline(Row):
    declined_at: datetime | None = None


def _invite(db: Session, organization: Organization, *, email: str = "kari@example.no") -> tuple[Invitation, str]:
    token = invitations.issue_token()
    invitation = Invitation(
        organization_id=organization.id,  # type: ignore[arg-type]
        email=email,
        role=Role.EDITOR,
        token_hash=token.hash,
        created_at=NOW,
        expires_at=NOW + timedelta(days=7),
    )
    db.add(invitation)
    db.flush()
    return invitation, token.raw


def _refusal(error: pytest.ExceptionInfo[AppError]) -> tuple[str, int, str]:
    return error.value.type, error.value.status, error.value.detail


# --- states ------------------------------------------------------------------------------------------------------


def test_a_fresh_invitation_is_pending_until_it_expires() -> None:
    row = Row()
    assert invitations.state(row, NOW) is InvitationState.PENDING
    assert invitations.state(row, row.expires_at - timedelta(seconds=1)) is InvitationState.PENDING
    assert invitations.state(row, row.expires_at) is InvitationState.EXPIRED
    assert invitations.state(row, row.expires_at + timedelta(days=1)) is InvitationState.EXPIRED


def test_accepted_declined_and_revoked_outrank_expiry() -> None:
    later = NOW + timedelta(days=30)
    assert invitations.state(Row(accepted_at=NOW), later) is InvitationState.ACCEPTED
    assert invitations.state(Row(revoked_at=NOW), later) is InvitationState.REVOKED
    assert invitations.state(RowWithDecline(declined_at=NOW), later) is InvitationState.DECLINED
    # Accepted wins over everything; declined is told apart from withdrawn where the table keeps it.
    assert invitations.state(RowWithDecline(accepted_at=NOW, declined_at=NOW), NOW) is InvitationState.ACCEPTED
    assert invitations.state(RowWithDecline(declined_at=NOW, revoked_at=NOW), NOW) is InvitationState.DECLINED


def test_the_state_values_are_the_api_values() -> None:
    assert [s.value for s in InvitationState] == ["pending", "accepted", "declined", "revoked", "expired"]


def test_check_usable_uses_the_domains_messages() -> None:
    invitations.check_usable(Row(), now=NOW, messages=MESSAGES)
    cases = [
        (Row(accepted_at=NOW), "used"),
        (Row(revoked_at=NOW), "withdrawn"),
        (Row(expires_at=NOW), "expired"),
        (RowWithDecline(declined_at=NOW), "declined"),
    ]
    for row, message in cases:
        with pytest.raises(InvitationUnusable) as error:
            invitations.check_usable(row, now=NOW, messages=MESSAGES)
        assert _refusal(error) == ("invitation-unusable", 409, message)


def test_a_declined_invitation_without_its_own_message_reads_as_withdrawn() -> None:
    messages = UnusableMessages(accepted="used", revoked="withdrawn or declined", expired="expired")
    with pytest.raises(InvitationUnusable, match="^withdrawn or declined$"):
        invitations.check_usable(RowWithDecline(declined_at=NOW), now=NOW, messages=messages)


def test_is_for_compares_email_addresses_case_insensitively() -> None:
    row = Row(email="Kari.Nordmann@Example.no")
    assert invitations.is_for(row, Actor(user=User(email="kari.nordmann@example.NO", display_name="Kari")))
    assert not invitations.is_for(row, Actor(user=User(email="ola@example.no", display_name="Ola")))
    assert not invitations.is_for(row, Actor.anonymous())


# --- tokens and lookup -------------------------------------------------------------------------------------------


def test_an_issued_token_is_fresh_and_only_its_hash_is_kept() -> None:
    first, second = invitations.issue_token(), invitations.issue_token()
    assert first.raw != second.raw
    assert first.hash == token_hash(first.raw)
    assert first.hash != first.raw


def test_an_invitation_is_found_by_its_raw_token_only(db: Session) -> None:
    invitation, raw = _invite(db, make_organization(db))
    assert invitations.by_token(db, Invitation, raw_token=raw) is invitation
    assert invitations.by_token(db, Invitation, raw_token=invitation.token_hash) is None
    assert invitations.by_token(db, Invitation, raw_token="not-a-real-token") is None
    # A token of one kind of invitation finds nothing in another kind's table.
    assert invitations.by_token(db, TeamInvitation, raw_token=raw) is None


def test_pending_conditions_select_the_open_invitations(db: Session) -> None:
    organization = make_organization(db)
    pending, _ = _invite(db, organization, email="open@example.no")
    used, _ = _invite(db, organization, email="used@example.no")
    used.accepted_at = NOW
    revoked, _ = _invite(db, organization, email="revoked@example.no")
    revoked.revoked_at = NOW
    expired, _ = _invite(db, organization, email="expired@example.no")
    expired.expires_at = NOW
    db.add_all([used, revoked, expired])
    db.flush()
    found = db.exec(
        select(Invitation.email).where(
            Invitation.organization_id == organization.id, *invitations.pending_conditions(Invitation, NOW)
        )
    ).all()
    assert found == ["open@example.no"]
    # A table that keeps declines leaves declined invitations out too.
    team_sql = [str(c.compile(dialect=sqlite.dialect())) for c in invitations.pending_conditions(TeamInvitation, NOW)]
    assert "team_invitations.declined_at IS NULL" in team_sql


# --- claiming ----------------------------------------------------------------------------------------------------


def test_claim_returns_the_invitation_for_its_invitee(db: Session) -> None:
    organization = make_organization(db)
    user = make_user(db, email="kari@example.no")
    invitation, _ = _invite(db, organization, email="KARI@example.no")
    claimed = invitations.claim(db, invitation, actor=Actor(user=user, via="session"), now=NOW, messages=MESSAGES)
    assert claimed is invitation


@pytest.mark.parametrize(
    ("column", "message"), [("accepted_at", "used"), ("revoked_at", "withdrawn"), ("expires_at", "expired")]
)
def test_claim_refuses_a_used_withdrawn_or_expired_invitation(db: Session, column: str, message: str) -> None:
    organization = make_organization(db)
    user = make_user(db, email="kari@example.no")
    invitation, _ = _invite(db, organization)
    setattr(invitation, column, NOW)
    db.add(invitation)
    db.flush()
    with pytest.raises(InvitationUnusable) as error:
        invitations.claim(db, invitation, actor=Actor(user=user, via="session"), now=NOW, messages=MESSAGES)
    assert _refusal(error) == ("invitation-unusable", 409, message)


def test_claim_rereads_the_row_so_a_change_by_another_request_counts(db: Session) -> None:
    organization = make_organization(db)
    user = make_user(db, email="kari@example.no")
    invitation, _ = _invite(db, organization)
    # Another request's write reaches the row while this session holds a stale copy of it.
    db.exec(  # type: ignore[call-overload]
        Invitation.__table__.update().where(Invitation.__table__.c.id == invitation.id).values(accepted_at=NOW)  # type: ignore[attr-defined]
    )
    assert invitation.accepted_at is None
    with pytest.raises(InvitationUnusable, match="^used$"):
        invitations.claim(db, invitation, actor=Actor(user=user, via="session"), now=NOW, messages=MESSAGES)


def test_claim_refuses_someone_elses_invitation(db: Session) -> None:
    organization = make_organization(db)
    other = make_user(db, email="ola@example.no")
    invitation, _ = _invite(db, organization, email="kari@example.no")
    with i18n.language("en"), pytest.raises(Forbidden) as error:
        invitations.claim(db, invitation, actor=Actor(user=other, via="session"), now=NOW, messages=MESSAGES)
    assert _refusal(error) == (
        "forbidden",
        403,
        "This invitation was sent to another email address. Sign in with the address it was sent to.",
    )
    with pytest.raises(Forbidden):
        invitations.claim(db, invitation, actor=Actor.anonymous(), now=NOW, messages=MESSAGES)


# --- two requests at once (two real connections; SQLite and PostgreSQL) ---------------------------------------


@dataclass(frozen=True)
class Committed:
    invitation_id: int
    raw_token: str
    user: User


@pytest.fixture
def committed(engine: Engine) -> Iterator[Committed]:
    """An invitation committed for real, so two connections see it; cleaned up afterwards."""
    with Session(engine, expire_on_commit=False) as session:
        organization = make_organization(session, slug="samtidig-invitasjon")
        user = make_user(session, email="samtidig-invitasjon@example.no")
        invitation, raw = _invite(session, organization, email=user.email)
        session.commit()
    assert invitation.id is not None
    try:
        yield Committed(invitation_id=invitation.id, raw_token=raw, user=user)
    finally:
        with Session(engine) as session:
            session.exec(delete(Invitation).where(col(Invitation.id) == invitation.id))  # type: ignore[call-overload]
            session.exec(delete(User).where(col(User.id) == user.id))  # type: ignore[call-overload]
            session.exec(delete(Organization).where(col(Organization.id) == organization.id))  # type: ignore[call-overload]
            session.commit()


def _accept(session: Session, *, raw_token: str, actor: Actor) -> Invitation:
    """What a domain's accept does with the mechanism, in a request's transaction: find, claim under the lock, mark
    used. Like every writing request, it begins as a writer (on SQLite, where FOR UPDATE is a no-op, the second
    writer then waits at BEGIN IMMEDIATE; on PostgreSQL at the row lock)."""
    begin_writing(session)
    found = invitations.by_token(session, Invitation, raw_token=raw_token)
    assert found is not None
    invitation = invitations.claim(session, found, actor=actor, now=NOW, messages=MESSAGES)
    invitation.accepted_at = NOW
    session.add(invitation)
    session.flush()
    return invitation


def test_a_second_claim_waits_for_the_first_and_then_is_refused(engine: Engine, committed: Committed) -> None:
    actor = Actor(user=committed.user, via="session")
    outcome: dict[str, str] = {}
    first = Session(engine, expire_on_commit=False)
    _accept(first, raw_token=committed.raw_token, actor=actor)
    # The first request holds the row lock and has not committed; the second must wait for it.

    def second_request() -> None:
        with Session(engine) as second:
            try:
                _accept(second, raw_token=committed.raw_token, actor=actor)
                second.commit()
                outcome["second"] = "accepted"
            except InvitationUnusable as error:
                second.rollback()
                outcome["second"] = error.detail

    thread = threading.Thread(target=second_request)
    thread.start()
    time.sleep(0.5)
    assert thread.is_alive(), "the second claim did not wait for the first one's lock"
    first.commit()
    first.close()
    thread.join(timeout=10)
    assert outcome == {"second": "used"}


def test_two_concurrent_claims_of_one_invitation_end_with_exactly_one_success(
    engine: Engine, committed: Committed
) -> None:
    actor = Actor(user=committed.user, via="session")
    start = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def request() -> None:
        with Session(engine) as session:
            start.wait(timeout=10)
            try:
                _accept(session, raw_token=committed.raw_token, actor=actor)
                time.sleep(0.2)  # hold the lock a moment, as a request that still has work to do
                session.commit()
                result = "accepted"
            except InvitationUnusable:
                session.rollback()
                result = "refused"
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)
    assert sorted(outcomes) == ["accepted", "refused"]
    with Session(engine) as check:
        stored = check.get(Invitation, committed.invitation_id)
        assert stored is not None
        assert stored.accepted_at == NOW


# --- the kit stays domain-free -----------------------------------------------------------------------------------


def test_the_mechanism_imports_no_domain() -> None:
    source = Path(invitations.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app")
    } | {
        alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import)
        for alias in node.names
        if alias.name.startswith("app")
    }
    assert imported <= {"app.errors", "app.security", "app.actor", "app.i18n"}
