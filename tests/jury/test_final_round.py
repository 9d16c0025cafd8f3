"""The final round: hosts shortlist concepts (proposed from the first round's ranking) and name a final panel; the
finalists are assigned to the whole panel and scored again in round 2; the results rank the finalists by the final
round (the first round still one click away), the awards follow it, and the teams see "shortlisted"."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.accounts.models import User
from app.jury.models import JuryAssignment, Review
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_assignment, make_review
from tests.jury.conftest import REVIEW, Jury, jury_url, make_jury


def first_round(db: Session, cast: Cast) -> Jury:
    """Every concept scored by Ada and Bo in the first round: Regnbed best, then Lesebenker, Bysykler, Delebiler;
    one prize, so the final round proposes three."""
    jury = make_jury(db, cast, voting_method="none", prize_split={"kind": "fixed", "amounts": [5_000_000]})
    totals = {2: 9, 3: 8, 1: 6, 4: 5, 0: 3}
    for concept, total in totals.items():
        for juror in (jury.jurors[0], jury.jurors[1]):
            make_assignment(db, juror, jury.concepts[concept])
            make_review(db, juror, jury.concepts[concept], dict.fromkeys(jury.criteria, total))
    db.commit()
    return jury


def begin(client: Client, jury: Jury, concepts: list[int], jurors: list[int]) -> Any:
    body = {"concepts": [jury.concepts[n].id for n in concepts], "jurors": [jury.jurors[n].id for n in jurors]}
    return client.api("POST", jury_url(jury, "/final-round"), json=body)


def test_the_finalists_are_scored_again_by_the_final_panel(client: Client, db: Session, cast: Cast) -> None:
    jury = first_round(db, cast)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    page = client.get(f"/manage/challenges/{jury.challenge.slug}/jury")
    for n in (2, 3, 1):  # the first round's best three are proposed
        assert f'name="concepts" value="{jury.concepts[n].id}" checked' in page.text
    assert f'name="concepts" value="{jury.concepts[0].id}" checked' not in page.text

    started = begin(client, jury, [2, 3, 1], [0, 2])  # Ada and Cia judge the final
    assert started.status_code == 200, started.text
    assert started.json()["added"] == 5  # each finalist to the whole final panel, but Cia's flag keeps her off Bysykler
    client.db.expire_all()
    final = {
        (a.juror_id, a.submission_id) for a in client.db.exec(select(JuryAssignment).where(JuryAssignment.round == 2))
    }
    assert final == {(jury.jurors[j].id, jury.concepts[c].id) for j in (0, 2) for c in (2, 3, 1)} - {
        (jury.jurors[2].id, jury.concepts[1].id)
    }
    panel = client.api("GET", jury_url(jury)).json()
    assert panel["round"] == 2
    assert panel["finalists"] == [jury.concepts[n].id for n in (2, 3, 1)]

    client.sign_in(jury.people[2])  # Cia scores Lesebenker highest in the final
    mine = client.api("GET", jury_url(jury, "/reviews")).json()
    assert {c["concept"] for c in mine} == {jury.concepts[n].id for n in (2, 3)}
    body = {"scores": [{"criterion": c, "value": 10} for c in jury.criteria], "submit": True}
    assert client.api("PUT", jury_url(jury, f"/reviews/{jury.concepts[3].id}"), json=body).status_code == 200
    low = {"scores": [{"criterion": c, "value": 4} for c in jury.criteria], "submit": True}
    assert client.api("PUT", jury_url(jury, f"/reviews/{jury.concepts[2].id}"), json=low).status_code == 200
    stored = client.db.exec(select(Review).where(Review.juror_id == jury.jurors[2].id)).all()
    assert {(r.submission_id, r.round) for r in stored} == {(jury.concepts[3].id, 2), (jury.concepts[2].id, 2)}

    client.sign_in(cast.halden_editor)
    final_results = client.api("GET", jury_url(jury, "/results")).json()
    assert final_results["round"] == 2
    assert [row["title"] for row in final_results["ranking"]] == ["Lesebenker", "Regnbed"]
    assert [row["title"] for row in final_results["not_yet_scored"]] == ["Bysykler"]
    first = client.api("GET", jury_url(jury, "/results?round=1")).json()
    assert [row["title"] for row in first["ranking"]][:2] == ["Regnbed", "Lesebenker"]


def test_the_final_round_is_begun_once_by_hosts_with_a_real_shortlist(client: Client, db: Session, cast: Cast) -> None:
    jury = first_round(db, cast)
    client.clock.at = REVIEW
    client.sign_in(jury.people[0])
    assert begin(client, jury, [2, 3], [0]).status_code == 403
    client.sign_in(cast.halden_editor)
    assert begin(client, jury, [2], [0]).status_code == 422  # at least two finalists
    assert (
        client.api(
            "POST",
            jury_url(jury, "/final-round"),
            json={"concepts": [jury.concepts[2].id, 999999], "jurors": [jury.jurors[0].id]},
        ).status_code
        == 422
    )
    assert client.db.exec(select(JuryAssignment).where(JuryAssignment.round == 2)).all() == []
    assert begin(client, jury, [2, 3], [0]).status_code == 200
    again = begin(client, jury, [2, 3], [0])
    assert again.status_code == 409


def test_teams_see_that_they_are_shortlisted(client: Client, db: Session, cast: Cast) -> None:
    jury = first_round(db, cast)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    assert begin(client, jury, [2, 3], [0, 1]).status_code == 200
    client.sign_in(client.db.exec(select(User).where(User.email == "lag2@lag.no")).one())
    assert "Shortlisted for the final round" in client.get("/account/submissions").text
    client.sign_in(jury.people[3])  # on the team of Grønne tak, not shortlisted
    assert "Under review" in client.get("/account/submissions").text
