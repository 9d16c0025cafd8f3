"""Scoring through the API: a juror saves a draft, submits, sees the others' scores only after their own is in and
only when the chair allows; bad scores are refused and nothing is stored; hosts follow progress, remind and
reopen; blind review hides the team."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from app.accounts.models import User
from app.jury.models import Juror, JuryPanel, Review, ReviewScore
from app.submissions.models import SubmissionVersion
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_assignment, make_review
from tests.jury.conftest import AFTER_REVIEW, OPEN, REVIEW, Jury, jury_url
from tests.mail import emails_to


def review_url(jury: Jury, concept: Any, rest: str = "") -> str:
    return jury_url(jury, f"/reviews/{concept.id}{rest}")


def scores(jury: Jury, first: int | None, second: int | None, *, submit: bool = False) -> dict[str, Any]:
    values = [{"criterion": jury.criteria[0], "value": first, "comment": "Tydelig behov."}]
    values.append({"criterion": jury.criteria[1], "value": second})
    return {"scores": values, "overall_comment": "Godt arbeid.", "submit": submit}


def assigned(jury: Jury, juror: int, *concepts: int) -> None:
    for concept in concepts:
        make_assignment(jury_db(jury), jury.jurors[juror], jury.concepts[concept])


def jury_db(jury: Jury) -> Any:
    from sqlmodel import Session

    session = Session.object_session(jury.challenge)
    assert session is not None
    return session


def stored_reviews(client: Client) -> list[tuple[int, int, str, dict[int, int | None]]]:
    client.db.expire_all()
    found = []
    for review in client.db.exec(select(Review).order_by(Review.id)).all():  # type: ignore[arg-type]
        values = client.db.exec(select(ReviewScore).where(ReviewScore.review_id == review.id)).all()
        found.append((review.juror_id, review.submission_id, review.status, {s.criterion_id: s.value for s in values}))
    return found


def test_a_juror_saves_a_draft_then_submits_and_it_is_final(client: Client, jury: Jury) -> None:
    assigned(jury, 1, 2, 3)
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    mine = client.api("GET", jury_url(jury, "/reviews")).json()
    assert [(c["title"], c["progress"]) for c in mine] == [("Regnbed", "not-started"), ("Lesebenker", "not-started")]
    assert mine[0]["team_name"] is not None  # not a blind review

    draft = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 7, None))
    assert draft.status_code == 200, draft.text
    assert draft.json()["status"] == "draft"
    done = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 7, 4, submit=True))
    assert done.status_code == 200, done.text
    assert done.json() | {"status": "submitted", "version_number": 1} == done.json()
    assert stored_reviews(client) == [
        (jury.jurors[1].id, jury.concepts[2].id, "submitted", dict(zip(jury.criteria, [7, 4], strict=True)))
    ]

    again = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 1, 1))
    assert again.status_code == 409
    assert again.json()["type"].endswith("/review-submitted")
    assert [c["progress"] for c in client.api("GET", jury_url(jury, "/reviews")).json()] == ["submitted", "not-started"]


def test_bad_scores_are_refused_with_field_messages_and_nothing_is_stored(client: Client, jury: Jury) -> None:
    assigned(jury, 1, 2)
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    over = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 11, 4))
    assert over.status_code == 422
    assert over.json()["errors"] == [
        {"field": f"score-{jury.criteria[0]}", "message": "Give a whole number from 0 to 10."}
    ]
    missing = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 5, None, submit=True))
    assert missing.status_code == 422
    assert [error["field"] for error in missing.json()["errors"]] == [f"score-{jury.criteria[1]}"]
    unknown = {"scores": [{"criterion": 999999, "value": 3}], "submit": False}
    assert client.api("PUT", review_url(jury, jury.concepts[2]), json=unknown).status_code == 422
    negative = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, -1, 2))
    assert negative.status_code == 422
    assert stored_reviews(client) == []


def test_a_juror_scores_only_assigned_concepts_and_only_during_the_review(client: Client, jury: Jury) -> None:
    assigned(jury, 1, 2)
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    unassigned = client.api("PUT", review_url(jury, jury.concepts[4]), json=scores(jury, 5, 5))
    assert unassigned.status_code == 403
    assert unassigned.json()["type"].endswith("/not-assigned")
    assert client.api("GET", review_url(jury, jury.concepts[4])).status_code == 403

    client.clock.at = AFTER_REVIEW
    client.sign_in(jury.people[1])
    late = client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 5, 5))
    assert late.status_code == 409
    assert late.json()["type"].endswith("/phase-closed")
    client.clock.at = OPEN
    client.sign_in(jury.people[1])
    assert client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 5, 5)).status_code == 409
    assert stored_reviews(client) == []


def test_people_off_the_jury_have_no_reviews_to_see(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = REVIEW
    for outsider in (cast.citizen, cast.halden_editor, jury.team_lead):
        client.sign_in(outsider)
        assert client.api("GET", jury_url(jury, "/reviews")).status_code == 404, outsider.email
        assert client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 5, 5)).status_code == 404


def test_the_others_scores_are_shown_only_after_submitting_and_when_the_chair_allows(
    client: Client, jury: Jury
) -> None:
    assigned(jury, 0, 2)
    assigned(jury, 1, 2)
    make_review(jury_db(jury), jury.jurors[0], jury.concepts[2], dict(zip(jury.criteria, [9, 8], strict=True)))
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(jury.people[0])  # the chair allows it
    assert client.api("PATCH", jury_url(jury), json={"scores_shared": True}).status_code == 200

    client.sign_in(jury.people[1])
    before = client.api("GET", review_url(jury, jury.concepts[2])).json()
    assert before["others"] is None
    client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 3, 4, submit=True))
    after = client.api("GET", review_url(jury, jury.concepts[2])).json()
    assert after["others"] == [
        {
            "juror": "Juror 1",
            "scores": [{"criterion": c, "value": v, "comment": ""} for c, v in zip(jury.criteria, [9, 8], strict=True)],
            "overall_comment": "",
        }
    ]

    client.sign_in(jury.people[0])
    assert client.api("PATCH", jury_url(jury), json={"scores_shared": False}).status_code == 200
    client.sign_in(jury.people[1])
    assert client.api("GET", review_url(jury, jury.concepts[2])).json()["others"] is None


def test_hosts_follow_progress_remind_and_reopen(client: Client, jury: Jury, cast: Cast) -> None:
    assigned(jury, 1, 2, 3)
    assigned(jury, 2, 4)
    make_review(jury_db(jury), jury.jurors[2], jury.concepts[4], dict(zip(jury.criteria, [6, 6], strict=True)))
    jury.people[1].language = jury.people[2].language = "en"  # Bo and Cia read their email in English
    client.db.add_all([jury.people[1], jury.people[2]])
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    jurors = {j["name"]: (j["assigned"], j["submitted"]) for j in client.api("GET", jury_url(jury)).json()["jurors"]}
    assert jurors["Bo Streng"] == (2, 0)
    assert jurors["Cia Fjord"] == (1, 1)

    reminded = client.api("POST", jury_url(jury, "/reminders"), json={})
    assert reminded.json() == {"emailed": 1}  # Bo has reviews left; Cia is done; Ada and Dag have none assigned
    assert "1 review" not in emails_to(client.db, "bo@ntnu.no")[0].body
    assert "2 reviews of 2" in emails_to(client.db, "bo@ntnu.no")[0].body

    reopened = client.api("POST", review_url(jury, jury.concepts[4], f"/jurors/{jury.jurors[2].id}/reopen"))
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "draft"
    assert "reopened" in emails_to(client.db, "cia@fjordlab.no")[-1].subject
    client.sign_in(jury.people[2])
    changed = client.api("PUT", review_url(jury, jury.concepts[4]), json=scores(jury, 2, 2, submit=True))
    assert changed.status_code == 200

    client.sign_in(jury.people[1])  # a juror may not reopen or remind
    assert (
        client.api("POST", review_url(jury, jury.concepts[4], f"/jurors/{jury.jurors[2].id}/reopen")).status_code == 403
    )
    assert client.api("POST", jury_url(jury, "/reminders"), json={}).status_code == 403


def test_blind_review_hides_the_team_from_the_jury(client: Client, jury: Jury) -> None:
    concept = jury.concepts[2]
    concept.team_name = "Regnlaget"
    for version in client.db.exec(select(SubmissionVersion).where(SubmissionVersion.submission_id == concept.id)):
        version.team_name = "Regnlaget"
        client.db.add(version)
    lead = client.db.get(User, concept.created_by_id)
    jury_db(jury).add_all([concept, JuryPanel(challenge_id=jury.challenge.id, blind_review=True)])
    assigned(jury, 1, 2)
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(jury.people[1])
    assert [c["team_name"] for c in client.api("GET", jury_url(jury, "/reviews")).json()] == [None]
    sheet = client.api("GET", review_url(jury, jury.concepts[2])).json()
    assert sheet["team_name"] is None
    assert "lag2" not in str(sheet)
    concept = f"/api/v1/challenges/{jury.challenge.slug}/submissions/{jury.concepts[2].id}"
    for url in (f"/api/v1/challenges/{jury.challenge.slug}/submissions", concept, f"{concept}/versions/1"):
        answered = client.api("GET", url)
        assert answered.status_code == 200, url
        assert "Regnlaget" not in answered.text, url
        assert lead is not None
        assert lead.display_name not in answered.text, url
    body = client.api("GET", concept).json()
    assert (body["team_name"], body["members"]) == (None, [])


def test_a_juror_who_left_keeps_nothing_to_score(client: Client, jury: Jury, cast: Cast) -> None:
    assigned(jury, 1, 2)
    client.db.commit()
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    assert client.api("DELETE", jury_url(jury, f"/jurors/{jury.jurors[1].id}")).status_code == 204
    client.sign_in(jury.people[1])
    assert client.api("PUT", review_url(jury, jury.concepts[2]), json=scores(jury, 5, 5)).status_code == 404
    client.db.expire_all()
    assert client.db.get(Juror, jury.jurors[1].id).left_at is not None  # type: ignore[union-attr]
