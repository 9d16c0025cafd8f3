"""The audit log is tamper-evident: a changed or deleted row breaks the hash chain."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from app.actor import Actor
from app.audit import service as audit
from app.audit.models import AuditEvent
from tests.conftest import NOW, Client
from tests.organizations.conftest import Cast


def three_events(db: Session, cast: Cast) -> list[AuditEvent]:
    owner = Actor(user=cast.owner, via="session")
    events = [
        audit.record(db, actor=owner, action=f"membership.role.{n}", target_type="membership", target_id=n,
                     organization_id=cast.org.id, before={"role": "editor"}, after={"role": "admin"}, now=NOW)
        for n in range(3)
    ]  # fmt: skip
    db.commit()
    return events


def test_the_events_written_by_real_actions_form_an_intact_chain(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    client.api("POST", "/api/v1/organisations/halden/invitations", json={"email": "ola@halden.no"})
    client.api("PATCH", f"/api/v1/organisations/halden/members/{cast.editor.id}", json={"role": "admin"})
    client.api("PATCH", "/api/v1/organisations/halden", json={"description": "Festningsbyen ved Iddefjorden."})
    report = audit.verify_chain(client.db)
    assert report.ok, report.problem
    assert report.checked == 3


def test_changing_a_row_with_sql_is_detected(db: Session, cast: Cast) -> None:
    events = three_events(db, cast)
    assert audit.verify_chain(db).ok
    db.execute(text("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id"), {"id": events[1].id})
    db.expire_all()
    report = audit.verify_chain(db)
    assert not report.ok
    assert report.problem == f"event {events[1].id} was changed after it was written"
    assert report.checked == 1


def test_changing_the_before_and_after_with_sql_is_detected(db: Session, cast: Cast) -> None:
    events = three_events(db, cast)
    db.execute(text("UPDATE audit_events SET after = NULL WHERE id = :id"), {"id": events[2].id})
    db.expire_all()
    report = audit.verify_chain(db)
    assert not report.ok
    assert str(events[2].id) in report.problem


def test_deleting_a_middle_row_is_detected(db: Session, cast: Cast) -> None:
    events = three_events(db, cast)
    db.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": events[1].id})
    db.expire_all()
    report = audit.verify_chain(db)
    assert not report.ok
    assert report.problem == f"event {events[2].id} does not follow the event before it"
