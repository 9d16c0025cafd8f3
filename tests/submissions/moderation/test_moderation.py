"""Reports and moderation: people report what they see, the hosts hide it with a reason (the author is told),
dismiss the reports or restore it; the public sees a placeholder or nothing, never a broken page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, select

from app.accounts import gdpr
from app.clock import FrozenClock
from app.submissions.models import Report, ReportResolution
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_comment, make_submission
from tests.mail import emails_to
from tests.submissions.conftest import Team
from tests.submissions.discussion import fixtures as comments_fixtures
from tests.submissions.discussion.fixtures import api_url, audit_actions, nb, page_url

concept = comments_fixtures.concept  # the shared fixture
QUEUE = "/manage/challenges/gronne-tak/moderation"


def reports(db: Session) -> list[Report]:
    db.expire_all()
    return list(db.exec(select(Report).order_by(col(Report.id))).all())


def report(client: Client, kind: str, target_id: int, reason: str = "Personangrep.") -> Any:
    return client.api("POST", "/api/v1/reports", json={"target_type": kind, "target_id": target_id, "reason": reason})


def test_reporting_twice_is_calm_and_stores_one_report(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, clock: FrozenClock
) -> None:
    comment = make_comment(db, concept, author=cast.citizen, body="Dere er idioter.", created_at=clock.now())
    db.commit()
    client.sign_in(team.member)
    first = report(client, "comment", comment.id)  # type: ignore[arg-type]
    assert first.status_code == 201
    again = report(client, "comment", comment.id, "Igjen!")  # type: ignore[arg-type]
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    form = page_url(concept, f"/comments/{comment.id}/report")
    assert "Dere er idioter." in client.get(form).text
    calm = client.post_form(form, {"reason": "En gang til"})
    assert calm.status_code == 303
    assert [r.reason for r in reports(db)] == ["Personangrep."]


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("unverified", 201), ("citizen", 201), ("host_editor", 201), ("other_org_editor", 201)],
)
def test_anyone_signed_in_reports_a_public_concept(
    client: Client, db: Session, cast: Cast, concept: Any, who: str, expected: int
) -> None:
    from tests.factories import make_user

    person = {
        "unverified": make_user(db, verified=False), "citizen": cast.citizen, "host_editor": cast.halden_editor,
        "other_org_editor": cast.stavanger_editor,
    }.get(who)  # fmt: skip
    if person is not None:
        client.sign_in(person)
    assert report(client, "submission", concept.id).status_code == expected
    assert len(reports(db)) == (1 if expected == 201 else 0)


def test_what_one_cannot_see_cannot_be_reported(
    client: Client, db: Session, cast: Cast, team: Team, challenge: Any, concept: Any, clock: FrozenClock
) -> None:
    draft = make_submission(db, challenge, team.invitee, title="Utkast")
    deleted = make_comment(db, concept, author=cast.citizen, body="", created_at=clock.now(), deleted_at=clock.now())
    db.commit()
    client.sign_in(cast.citizen)
    assert report(client, "submission", draft.id).status_code == 404
    assert report(client, "comment", 999_999).status_code == 404
    assert report(client, "comment", deleted.id).status_code == 404  # type: ignore[arg-type]
    assert report(client, "submission", concept.id, "  ").status_code == 422
    assert report(client, "essay", concept.id).status_code == 422
    assert client.get(page_url(draft, "/report")).status_code == 404
    assert reports(db) == []


def test_a_host_hides_a_reported_comment_and_its_author_is_told_why(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, clock: FrozenClock
) -> None:
    comment = make_comment(db, concept, author=cast.citizen, body="Dere er idioter.", created_at=clock.now())
    db.commit()
    filed = report(client.sign_in(team.lead), "comment", comment.id).json()  # type: ignore[arg-type]
    report(client.sign_in(team.member), "comment", comment.id, "Stygt.")  # type: ignore[arg-type]
    client.sign_in(cast.halden_editor)
    queue = client.api("GET", "/api/v1/challenges/gronne-tak/moderation").json()
    assert [(i["target_type"], i["report_count"], i["text"]) for i in queue["open"]] == [
        ("comment", 2, "Dere er idioter.")
    ]
    page = client.get(QUEUE).text
    assert "Dere er idioter." in page
    assert "Stygt." in page
    no_reason = client.api("POST", f"/api/v1/reports/{filed['id']}/hide", json={"reason": " "})
    assert no_reason.status_code == 422
    hidden = client.api("POST", f"/api/v1/reports/{filed['id']}/hide", json={"reason": "Personangrep"})
    assert hidden.status_code == 200, hidden.text
    assert hidden.json()["hidden_reason"] == "Personangrep"
    assert {r.resolution for r in reports(db)} == {ReportResolution.HIDDEN}
    told = emails_to(db, cast.citizen.email)
    assert len(told) == 1
    assert "Personangrep" in told[0].body
    public = client.sign_out().get(page_url(concept)).text
    assert nb("This comment was hidden by the hosts: %(reason)s", reason="Personangrep") in public
    assert "Dere er idioter." not in public
    item = client.get(api_url(concept, "/comments")).json()["items"][0]
    assert (item["state"], item["body"], item["hidden_reason"]) == ("hidden", None, "Personangrep")
    again = client.sign_in(cast.halden_editor).api("POST", f"/api/v1/reports/{filed['id']}/hide",
                                                   json={"reason": "Igjen"})  # fmt: skip
    assert again.status_code == 409
    assert "comment.hide" in audit_actions(db)


def test_a_hidden_concept_leaves_public_lists_but_its_team_and_hosts_see_why(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any
) -> None:
    client.sign_in(cast.citizen)
    report(client, "submission", concept.id)
    client.sign_in(cast.baerum_editor)  # a co-host moderates too
    form = {f"reason-submission-{concept.id}": "Kopiert fra et annet konsept"}
    assert client.post_form(f"{QUEUE}/submission/{concept.id}/hide", form).status_code == 303
    listed = client.sign_out().get("/api/v1/challenges/gronne-tak/submissions").json()
    assert listed["total"] == 0
    assert client.api("GET", f"/api/v1/challenges/gronne-tak/submissions/{concept.id}").status_code == 404
    # A link to it still leads somewhere: a placeholder with the hosts' reason, not the concept.
    placeholder = client.get(page_url(concept))
    assert placeholder.status_code == 200
    assert (
        nb("This concept was hidden by the hosts: %(reason)s", reason="Kopiert fra et annet konsept")
        in placeholder.text
    )
    assert concept.title not in placeholder.text
    for insider in (team.lead, cast.halden_editor):
        page = client.sign_in(insider).get(page_url(concept)).text
        assert nb("This concept was hidden by the hosts: %(reason)s", reason="Kopiert fra et annet konsept") in page
    assert len(emails_to(db, team.lead.email)) == 1
    assert len(emails_to(db, team.member.email)) == 1
    assert "Kopiert fra et annet konsept" in client.sign_in(cast.halden_editor).get(QUEUE).text
    restore = f"{QUEUE}/submission/{concept.id}/restore"
    failed = client.post_form(restore, {})
    assert failed.status_code == 422
    assert "ds-error-summary" in failed.text
    assert client.post_form(restore, {f"reason-submission-{concept.id}": "Ikke kopiert likevel"}).status_code == 303
    assert client.sign_out().get("/api/v1/challenges/gronne-tak/submissions").json()["total"] == 1
    assert {"submission.hide", "submission.restore"} <= set(audit_actions(db))


def test_dismissing_closes_the_reports_and_leaves_the_content(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, clock: FrozenClock
) -> None:
    comment = make_comment(db, concept, author=cast.citizen, body="Jeg er uenig.", created_at=clock.now())
    db.commit()
    filed = report(client.sign_in(team.lead), "comment", comment.id).json()  # type: ignore[arg-type]
    client.sign_in(cast.halden_editor)
    dismissed = client.api("POST", f"/api/v1/reports/{filed['id']}/dismiss")
    assert dismissed.status_code == 200
    assert [r.resolution for r in reports(db)] == [ReportResolution.DISMISSED]
    assert client.api("POST", f"/api/v1/reports/{filed['id']}/dismiss").status_code == 409
    assert "Jeg er uenig." in client.get(page_url(concept)).text
    assert nb("No open reports.") in client.get(QUEUE).text
    assert "comment.reports.dismiss" in audit_actions(db)


@pytest.mark.parametrize(
    ("who", "queue", "act"),
    [
        ("citizen", 403, 404),
        ("lead", 403, 404),
        ("member", 403, 404),
        ("host_editor", 200, 200),
        ("cohost_editor", 200, 200),
        ("other_org_editor", 403, 404),
        ("platform_admin", 200, 200),
    ],
)
def test_only_the_hosts_moderate(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, who: str, queue: int, act: int
) -> None:
    filed = report(client.sign_in(cast.citizen), "submission", concept.id).json()
    person = {
        "citizen": cast.citizen, "lead": team.lead, "member": team.member, "host_editor": cast.halden_editor,
        "cohost_editor": cast.baerum_editor, "other_org_editor": cast.stavanger_editor,
        "platform_admin": cast.platform_admin,
    }[who]  # fmt: skip
    client.sign_in(person)
    assert client.api("GET", "/api/v1/challenges/gronne-tak/moderation").status_code == queue
    assert client.get(QUEUE).status_code == queue
    assert client.api("POST", f"/api/v1/reports/{filed['id']}/dismiss").status_code == act
    assert (reports(db)[0].resolved_at is not None) is (act == 200)


def test_anonymous_people_are_sent_to_sign_in(client: Client, concept: Any) -> None:
    assert client.api("GET", "/api/v1/challenges/gronne-tak/moderation").status_code == 401
    assert client.get(page_url(concept, "/report"), follow_redirects=False).status_code == 303


def test_the_data_export_holds_comments_feedback_and_reports_and_deletion_leaves_a_deleted_user(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, clock: FrozenClock
) -> None:
    make_comment(db, concept, author=cast.citizen, body="Min kommentar", created_at=clock.now())
    db.commit()
    report(client.sign_in(cast.citizen), "submission", concept.id, "Min rapport")
    client.sign_in(cast.halden_editor).api("POST", api_url(concept, "/feedback"), json={"body": "Mine ord"})
    citizen_data = gdpr.export_sections(db, cast.citizen)
    assert [c["body"] for c in citizen_data["comments"]] == ["Min kommentar"]
    assert [r["reason"] for r in citizen_data["reports"]] == ["Min rapport"]
    assert [f["body"] for f in gdpr.export_sections(db, cast.halden_editor)["feedback_written"]] == ["Mine ord"]
    cast.citizen.deleted_at = clock.now()
    db.add(cast.citizen)
    db.commit()
    page = client.sign_out().get(page_url(concept), headers={"Accept-Language": "en"}).text
    assert "Min kommentar" in page
    assert "Kari Innbygger" not in page
    assert "Deleted user" in page or "Slettet bruker" in page


def test_the_hosts_find_the_queue_from_the_challenge_page(client: Client, cast: Cast, concept: Any) -> None:
    assert QUEUE not in client.sign_in(cast.citizen).get("/challenges/gronne-tak").text
    assert QUEUE in client.sign_in(cast.baerum_editor).get("/challenges/gronne-tak").text
    assert QUEUE in client.get(page_url(concept)).text


def test_a_host_hides_an_unreported_comment_from_the_concept_page_and_its_author_is_told(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, clock: FrozenClock
) -> None:
    comment = make_comment(db, concept, author=cast.citizen, body="Kjøp billige klokker her!", created_at=clock.now())
    db.commit()
    client.sign_in(cast.halden_editor)
    page = client.get(page_url(concept)).text
    hide_url = page_url(concept, f"/comments/{comment.id}/hide")
    assert f'href="{hide_url}"' in page
    assert client.get(hide_url).status_code == 200

    refused = client.post_form(hide_url, {"reason": "  "})
    assert refused.status_code == 422
    assert "ds-error-summary" in refused.text

    done = client.post_form(hide_url, {"reason": "Reklame."})
    assert done.status_code == 303
    db.refresh(comment)
    assert (comment.hidden_reason, comment.hidden_by_id) == ("Reklame.", cast.halden_editor.id)
    assert len(emails_to(db, cast.citizen.email)) == 1
    assert "comment.hide" in audit_actions(db)
    public = client.sign_out().get(page_url(concept)).text
    assert "Kjøp billige klokker her!" not in public
    assert "Reklame." in public


@pytest.mark.parametrize(
    ("who", "status"),
    [("citizen", 403), ("lead", 403), ("other_org_editor", 403), ("cohost_editor", 200), ("platform_admin", 200)],
)
def test_only_the_hosts_hide_a_concept_directly(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any, who: str, status: int
) -> None:
    person = {"citizen": cast.citizen, "lead": team.lead, "other_org_editor": cast.stavanger_editor,
              "cohost_editor": cast.baerum_editor, "platform_admin": cast.platform_admin}[who]  # fmt: skip
    client.sign_in(person)
    assert client.get(page_url(concept, "/hide")).status_code == status
    hidden = client.api("POST", api_url(concept, "/hide"), json={"reason": "Kopiert."})
    assert hidden.status_code == status
    db.refresh(concept)
    assert (concept.hidden_at is not None) is (status == 200)
    if status == 200:
        assert hidden.json()["hidden_reason"] == "Kopiert."
        assert client.api("POST", api_url(concept, "/hide"), json={"reason": "Igjen."}).status_code == 409


def test_an_anonymous_visitor_cannot_hide(client: Client, concept: Any) -> None:
    assert client.api("POST", api_url(concept, "/hide"), json={"reason": "Nei."}).status_code == 401
    assert client.post_form(page_url(concept, "/hide"), {"reason": "Nei."}).status_code == 303
