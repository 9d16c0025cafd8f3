"""Deleting an account reaches the audit log: the person's name and email are pseudonymised, the chain verifies."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from app import cli
from tests.conftest import Client
from tests.factories import PASSWORD
from tests.organizations.conftest import Cast, cast, emails_to, invitation_token  # noqa: F401  (fixture)


def verify_audit(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str]:
    """`samskap verify-audit`, run in process against the test's own transaction."""
    monkeypatch.setattr(cli, "get_engine", lambda: client.db.connection())
    code = cli.main(["verify-audit"])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.fixture
def halden(client: Client, cast: Cast) -> Cast:  # noqa: F811
    """Halden's owner invites Kari by email; Kari accepts (both written to the audit log, with her name and email)."""
    client.sign_in(cast.owner)
    invited = client.api("POST", "/api/v1/organisations/halden/invitations", json={"email": "kari@example.no"})
    assert invited.status_code == 201, invited.text
    token = invitation_token(emails_to(client.db, "kari@example.no")[-1])
    client.sign_in(cast.citizen)
    assert client.api("POST", f"/api/v1/invitations/{token}/accept").status_code == 200
    return cast


def test_the_audit_log_forgets_a_deleted_persons_name_and_email_and_still_verifies(
    client: Client,
    halden: Cast,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client.sign_in(halden.platform_admin)
    before = client.api("GET", "/api/v1/audit-events").text
    assert "Kari Innbygger <kari@example.no>" in before

    client.sign_in(halden.citizen)
    assert client.post_form("/account/delete", {"password": PASSWORD}).status_code == 303

    client.sign_in(halden.platform_admin)
    response = client.api("GET", "/api/v1/audit-events")
    page = client.get("/manage/audit")
    for shown in (response.text, page.text):
        assert "kari@example.no" not in shown
        assert "Kari Innbygger" not in shown
    events = {item["action"]: item for item in response.json()["items"]}
    assert events["invitation.create"]["actor_label"] == "Eva Eier <eier@halden.no>"  # others keep their names
    assert events["invitation.create"]["after"]["email"] == "[deleted]"
    assert events["membership.create"]["actor_label"] == "Deleted user"
    assert events["membership.create"]["actor_user_id"] == halden.citizen.id  # still linked, to a pseudonym
    assert events["membership.leave"]["actor_label"] == "Deleted user"  # written while the account was deleted
    assert client.api("GET", "/api/v1/audit-events", params={"actor": "kari@example.no"}).json()["total"] == 0
    by_id = client.api("GET", "/api/v1/audit-events", params={"actor": str(halden.citizen.id)}).json()["items"]
    assert [item["action"] for item in by_id] == ["membership.leave", "membership.create", "invitation.accept"]
    assert {item["actor_label"] for item in by_id} == {"Deleted user"}
    stored = client.db.execute(text("SELECT actor_label, before, after, personal_salts FROM audit_events")).all()
    assert "kari@example.no" not in repr(stored)

    code, out = verify_audit(client, monkeypatch, capsys)
    assert code == 0, out
    assert "Audit log intact" in out


def test_rewriting_a_pseudonym_after_the_deletion_is_still_caught(
    client: Client,
    halden: Cast,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    client.sign_in(halden.citizen)
    assert client.post_form("/account/delete", {"password": PASSWORD}).status_code == 303
    client.db.execute(
        text("UPDATE audit_events SET actor_label = 'Ola Nordmann <ola@example.no>' WHERE actor_user_id = :id"),
        {"id": halden.citizen.id},
    )
    client.db.expire_all()
    code, out = verify_audit(client, monkeypatch, capsys)
    assert code == 2
    assert "TAMPERED" in out
