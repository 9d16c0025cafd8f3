"""Private feedback: the hosts write to a team; only the team and the hosts ever see it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from app.clock import FrozenClock
from app.submissions.models import Feedback
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_submission
from tests.mail import emails_to
from tests.submissions.conftest import Team
from tests.submissions.discussion import fixtures as comments_fixtures
from tests.submissions.discussion.fixtures import api_url, audit_actions, nb, page_url

concept = comments_fixtures.concept  # the shared fixture


def stored(db: Session) -> list[Feedback]:
    db.expire_all()
    return list(db.exec(select(Feedback)).all())


def people(cast: Cast, team: Team) -> dict[str, Any]:
    return {
        "anonymous": None, "citizen": cast.citizen, "lead": team.lead, "member": team.member,
        "host_editor": cast.halden_editor, "cohost_editor": cast.baerum_editor,
        "other_org_editor": cast.stavanger_editor, "platform_admin": cast.platform_admin,
    }  # fmt: skip


def test_a_host_writes_feedback_and_the_team_reads_it_on_the_concept_page(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any
) -> None:
    client.sign_in(cast.halden_editor)
    assert nb("Write feedback to the team") in client.get(page_url(concept)).text
    sent = client.post_form(page_url(concept, "/feedback"), {"feedback": "Vis kostnadene tydeligere."})
    assert sent.status_code == 303
    assert sent.headers["location"] == page_url(concept, "#feedback")
    assert [m.payload["language"] for m in emails_to(db, team.member.email)] == ["sv"]
    assert "Vis kostnadene tydeligere." in emails_to(db, team.lead.email)[0].body
    team_page = client.sign_in(team.member).get(page_url(concept)).text
    assert "Vis kostnadene tydeligere." in team_page
    assert "Rut Redaktør" in team_page
    assert nb("Write feedback to the team") not in team_page
    for outsider in (cast.citizen, cast.stavanger_editor):
        assert "Vis kostnadene tydeligere." not in client.sign_in(outsider).get(page_url(concept)).text
    assert "Vis kostnadene tydeligere." not in client.sign_out().get(page_url(concept)).text
    assert "feedback.create" in audit_actions(db)


@pytest.mark.parametrize(
    ("who", "write", "read"),
    [
        ("anonymous", 401, 404),
        ("citizen", 404, 404),
        ("lead", 403, 200),
        ("member", 403, 200),
        ("host_editor", 201, 200),
        ("cohost_editor", 201, 200),
        ("other_org_editor", 404, 404),
        ("platform_admin", 201, 200),
    ],
)
def test_who_may_write_and_read_feedback(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, who: str, write: int, read: int
) -> None:
    person = people(cast, team)[who]
    if person is not None:
        client.sign_in(person)
    assert client.api("POST", api_url(concept, "/feedback"), json={"body": "Godt jobba."}).status_code == write
    assert len(stored(db)) == (1 if write == 201 else 0)
    assert client.get(api_url(concept, "/feedback")).status_code == read


def test_feedback_on_a_draft_is_impossible_because_hosts_do_not_see_drafts(
    client: Client, db: Session, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = make_submission(db, challenge, team.lead, title="Utkast")
    db.commit()
    client.sign_in(cast.halden_editor)
    assert client.api("POST", api_url(draft, "/feedback"), json={"body": "Hei"}).status_code == 404
    assert stored(db) == []


def test_its_author_changes_feedback_for_15_minutes(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, clock: FrozenClock
) -> None:
    client.sign_in(cast.halden_editor)
    made = client.api("POST", api_url(concept, "/feedback"), json={"body": "Godt jobba"}).json()
    url = api_url(concept, f"/feedback/{made['id']}")
    assert client.sign_in(cast.baerum_editor).api("PATCH", url, json={"body": "Nei"}).status_code == 403
    assert client.sign_in(team.lead).api("PATCH", url, json={"body": "Nei"}).status_code == 403
    client.sign_in(cast.halden_editor)
    assert client.api("PATCH", url, json={"body": "  "}).status_code == 422
    assert client.api("PATCH", url, json={"body": "Godt jobba!"}).status_code == 200
    edit_page = page_url(concept, f"/feedback/{made['id']}/edit")
    assert "Godt jobba!</textarea>" in client.get(edit_page).text
    clock.at = clock.at + timedelta(minutes=16)
    assert client.api("PATCH", url, json={"body": "For sent"}).status_code == 409
    assert client.get(edit_page).status_code == 409
    assert [row.body for row in stored(db)] == ["Godt jobba!"]
    assert audit_actions(db).count("feedback.edit") == 1


def test_empty_feedback_is_shown_again_with_a_message(client: Client, db: Session, cast: Cast, concept: Any) -> None:
    failed = client.sign_in(cast.halden_editor).post_form(page_url(concept, "/feedback"), {"feedback": " "})
    assert failed.status_code == 422
    assert "ds-error-summary" in failed.text
    assert 'id="field-feedback"' in failed.text
    too_long = client.api("POST", api_url(concept, "/feedback"), json={"body": "x" * 5001})
    assert too_long.status_code == 422
    assert stored(db) == []
