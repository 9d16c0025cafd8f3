"""The audit log is tamper-evident: a changed or deleted row breaks the hash chain."""

from __future__ import annotations

import pytest
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


def test_an_anchor_taken_earlier_shows_that_the_newest_events_were_deleted(db: Session, cast: Cast) -> None:
    events = three_events(db, cast)
    newest_id = events[2].id
    report = audit.verify_chain(db)
    assert report.anchor == f"{newest_id}:{events[2].hash}"
    anchor = audit.Anchor.parse(report.anchor)

    db.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": newest_id})
    db.expire_all()
    assert audit.verify_chain(db).ok  # the chain that is left is consistent: only the anchor can tell
    cut = audit.verify_chain(db, anchors=[anchor])
    assert not cut.ok
    assert cut.problem == f"event {newest_id} from an anchor is missing: the log was cut off"


def test_an_anchor_still_holds_while_the_log_grows(db: Session, cast: Cast) -> None:
    three_events(db, cast)
    anchor = audit.Anchor.parse(audit.verify_chain(db).anchor)
    later = three_events(db, cast)
    report = audit.verify_chain(db, anchors=[anchor])
    assert report.ok, report.problem
    assert report.head_id == later[2].id


def test_an_anchor_whose_event_was_rewritten_with_a_new_chain_is_refused(db: Session, cast: Cast) -> None:
    events = three_events(db, cast)
    forged = audit.Anchor(event_id=events[1].id or 0, hash="f" * 64)
    report = audit.verify_chain(db, anchors=[forged])
    assert not report.ok
    assert report.problem == f"event {events[1].id} is not the event the anchor recorded"


@pytest.mark.parametrize("text", ["", "12", "x:" + "a" * 64, "3:" + "a" * 63, "3:" + "G" * 64])
def test_a_malformed_anchor_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not an audit anchor"):
        audit.Anchor.parse(text)


def test_pseudonymising_a_person_keeps_the_chain_and_everyone_elses_data(db: Session, cast: Cast) -> None:
    owner, editor = Actor(user=cast.owner, via="session"), Actor(user=cast.editor, via="session")
    invited = audit.record(
        db,
        actor=owner,
        action="invitation.create",
        target_type="invitation",
        target_id=1,
        organization_id=cast.org.id,
        after={"email": "Red@Halden.no", "role": "editor"},
        now=NOW,
    )
    acted = audit.record(
        db,
        actor=editor,
        action="challenge.update",
        target_type="challenge",
        target_id=1,
        organization_id=cast.org.id,
        after={"title": "Grønnere sentrum"},
        now=NOW,
    )
    untouched = audit.record(
        db,
        actor=owner,
        action="invitation.create",
        target_type="invitation",
        target_id=2,
        organization_id=cast.org.id,
        after={"email": "ola@halden.no"},
        now=NOW,
    )
    db.commit()

    erased = audit.pseudonymise_person(db, user_id=cast.editor.id or 0, emails=["red@halden.no"])
    db.commit()
    db.expire_all()
    assert erased == 2
    assert (invited.actor_label, invited.after) == (
        "Eva Eier <eier@halden.no>",
        {"email": "[deleted]", "role": "editor"},
    )
    assert (acted.actor_label, acted.after) == ("Deleted user", {"title": "Grønnere sentrum"})
    assert untouched.after == {"email": "ola@halden.no"}
    report = audit.verify_chain(db)
    assert report.ok, report.problem
    assert report.checked == 3


def test_dropping_a_personal_fields_commitment_with_sql_is_detected(db: Session, cast: Cast) -> None:
    events = three_events(db, cast)
    db.execute(text("UPDATE audit_events SET personal = '{}' WHERE id = :id"), {"id": events[0].id})
    db.expire_all()
    report = audit.verify_chain(db)
    assert not report.ok
    assert report.problem == f"event {events[0].id} was changed after it was written"


def test_events_written_before_personal_fields_had_commitments_still_verify(db: Session, cast: Cast) -> None:
    event = three_events(db, cast)[0]
    # As the migration left them: no commitments, the hash over the values themselves.
    db.execute(text("DELETE FROM audit_events WHERE id > :id"), {"id": event.id})
    event.personal, event.personal_salts = None, None
    event.hash = audit.compute_hash(event, event.previous_hash)
    db.add(event)
    db.commit()
    assert audit.verify_chain(db).ok
    assert audit.pseudonymise_person(db, user_id=cast.owner.id or 0, emails=[cast.owner.email]) == 0
    db.execute(text("UPDATE audit_events SET actor_label = 'someone else' WHERE id = :id"), {"id": event.id})
    db.expire_all()
    assert audit.verify_chain(db).problem == f"event {event.id} was changed after it was written"
