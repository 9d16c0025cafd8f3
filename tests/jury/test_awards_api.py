"""Awards and the announcement through the API: proposed from the ranking with the prize split's amounts, decided by
the hosts once the review and the vote are over, refused when they break a rule, announced once (never without
awards), then public, with every team emailed its outcome and, if the hosts choose, its feedback."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from app.accounts.models import User
from app.challenges.models import Challenge
from app.challenges.phases import Phase, phase_of
from app.jury.models import Announcement, Award
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_assignment, make_challenge, make_review, make_submission
from tests.jury.conftest import REVIEW, Jury, jury_url, make_jury
from tests.mail import emails_to

CLOSED = at(Phase.CLOSED)


def scored(db: Session, cast: Cast, **settings: Any) -> Jury:
    """The jury has scored every concept: Regnbed best, then Lesebenker, Bysykler, Delebiler, Grønne tak."""
    jury = make_jury(db, cast, voting_method="none", jury_weight=100, **settings)
    totals = {2: (9, 8), 3: (8, 7), 1: (6, 6), 4: (5, 4), 0: (3, 3)}
    for concept, (useful, doable) in totals.items():
        for juror in (jury.jurors[0], jury.jurors[1]):
            make_assignment(db, juror, jury.concepts[concept])
            make_review(
                db,
                juror,
                jury.concepts[concept],
                dict(zip(jury.criteria, (useful, doable), strict=True)),
                overall_comment=f"Helhet fra {juror.id}",
            )
    db.commit()
    return jury


def award(jury: Jury, concept: int, kind: str, **fields: Any) -> dict[str, Any]:
    return {"concept": jury.concepts[concept].id, "kind": kind, **fields}


def test_the_proposal_follows_the_ranking_and_the_prize_split(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast, prize_split={"kind": "fixed", "amounts": [3_000_000, 1_500_000, 500_000]})
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    state = client.api("GET", jury_url(jury, "/awards")).json()
    assert state["announced_at"] is None
    assert [(p["concept"], p["kind"], p["prize_amount"]) for p in state["proposal"]] == [
        (jury.concepts[2].id, "first", 3_000_000),
        (jury.concepts[3].id, "second", 1_500_000),
        (jury.concepts[1].id, "third", 500_000),
    ]


def test_concepts_that_tie_share_the_place_and_its_prizes(client: Client, db: Session, cast: Cast) -> None:
    jury = make_jury(db, cast, voting_method="none", prize_split={"kind": "fixed", "amounts": [3_000_000, 1_000_000]})
    for concept, total in {2: 9, 3: 9, 1: 6, 4: 5}.items():  # Regnbed and Lesebenker tie
        for juror in (jury.jurors[0], jury.jurors[1]):
            make_assignment(db, juror, jury.concepts[concept])
            make_review(db, juror, jury.concepts[concept], dict.fromkeys(jury.criteria, total))
    db.commit()
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    proposal = client.api("GET", jury_url(jury, "/awards")).json()["proposal"]
    assert sorted((p["concept"], p["kind"], p["prize_amount"]) for p in proposal) == sorted(
        [(jury.concepts[2].id, "first", 2_000_000), (jury.concepts[3].id, "first", 2_000_000)]
    )  # 1st and 2nd place's 30 000 and 10 000 shared: 20 000 each; nobody is 2nd
    shared = {"awards": [{"concept": p["concept"], "kind": "first"} for p in proposal]}
    assert client.api("PUT", jury_url(jury, "/awards"), json=shared).status_code == 200  # a shared 1st place


def test_a_shared_prize_goes_to_each_of_the_best(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast, prize_amount=5_000_000, prize_split={"kind": "shared", "best": 4})
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    proposal = client.api("GET", jury_url(jury, "/awards")).json()["proposal"]
    assert [(p["kind"], p["prize_amount"]) for p in proposal] == [
        ("first", 1_250_000),
        ("second", 1_250_000),
        ("third", 1_250_000),
        ("honourable-mention", 1_250_000),
    ]


def test_hosts_decide_the_awards_once_the_review_is_over(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    body = {
        "awards": [
            award(jury, 2, "first", motivation="Enkel og modig."),
            award(jury, 4, "honourable-mention"),
            award(jury, 1, "custom", name="Ungdommens pris", prize_amount=100_000),
        ]
    }
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    early = client.api("PUT", jury_url(jury, "/awards"), json=body)
    assert early.status_code == 409

    client.clock.at = CLOSED
    client.sign_in(cast.baerum_editor)  # a co-host's editor decides too
    saved = client.api("PUT", jury_url(jury, "/awards"), json=body)
    assert saved.status_code == 200, saved.text
    assert [(a["label"], a["title"]) for a in saved.json()["awards"]] == [
        ("1st place", "Regnbed"),
        ("Honourable mention", "Delebiler"),
        ("Ungdommens pris", "Bysykler"),
    ]
    assert client.api("PUT", jury_url(jury, "/awards"), json=body).json() == saved.json()  # the same twice
    assert client.api("GET", f"/api/v1/challenges/{jury.challenge.slug}/awards").status_code == 404  # not yet public


def test_awards_that_break_a_rule_are_refused_and_nothing_is_stored(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    other = make_challenge(db, cast.halden, slug="annen-by")
    foreign_concept = make_submission(db, other, cast.citizen, versions=1)
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    twice = {"awards": [award(jury, 2, "first"), award(jury, 2, "first")]}
    foreign = {"awards": [{"concept": foreign_concept.id, "kind": "first"}]}
    nameless = {"awards": [award(jury, 2, "custom")]}
    for body in (twice, foreign, nameless):
        refused = client.api("PUT", jury_url(jury, "/awards"), json=body)
        assert refused.status_code == 422, body
    assert client.api("PUT", jury_url(jury, "/awards"), json={"awards": [award(jury, 2, "gold")]}).status_code == 422
    assert client.db.exec(select(Award)).all() == []


def test_announcing_without_awards_is_refused_and_changes_nothing(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    refused = client.api("POST", jury_url(jury, "/announce"), json={})
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/awards-missing")
    client.db.expire_all()
    assert client.db.exec(select(Announcement)).all() == []
    assert phase_of(client.db.get(Challenge, jury.challenge.id), CLOSED) == Phase.CLOSED  # type: ignore[arg-type]


def test_announcing_makes_the_awards_public_and_emails_every_team(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    winner_lead = client.db.exec(select(User).where(User.email == "lag2@lag.no")).one()
    winner_lead.language = jury.people[3].language = "en"  # they read their email in English
    client.db.add_all([winner_lead, jury.people[3]])
    client.db.commit()
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    body = {"awards": [award(jury, 2, "first", prize_amount=2_500_000, motivation="Enkel og modig.")]}
    assert client.api("PUT", jury_url(jury, "/awards"), json=body).status_code == 200
    announced = client.api("POST", jury_url(jury, "/announce"), json={"feedback_to_entrants": True})
    assert announced.status_code == 200, announced.text
    assert announced.json()["announced_at"] is not None

    client.db.expire_all()
    challenge = client.db.get(Challenge, jury.challenge.id)
    assert challenge is not None
    assert phase_of(challenge, CLOSED) == Phase.ANNOUNCED  # announced from now, before its date
    public = client.api("GET", f"/api/v1/challenges/{jury.challenge.slug}/awards", token=None)
    assert [(a["title"], a["prize_amount"]) for a in public.json()["awards"]] == [("Regnbed", 2_500_000)]

    [winner] = emails_to(client.db, "lag2@lag.no")
    assert "won an award" in winner.subject
    assert "Enkel og modig." in winner.body
    assert "Prize: 25,000 NOK." in winner.body
    assert "Nytteverdi: 9" in winner.body  # its own score, beside the field's
    assert "Helhet fra" in winner.body  # the jurors' comments, without their names
    assert "Ada" not in winner.body
    [others] = emails_to(client.db, "dag@uio.no")  # on the team of Grønne tak, not awarded
    assert "did not receive an award" in others.body

    again = client.api("POST", jury_url(jury, "/announce"), json={})
    assert again.status_code == 409
    assert again.json()["type"].endswith("/already-announced")
    assert client.api("PUT", jury_url(jury, "/awards"), json={"awards": []}).status_code == 409


def test_only_hosts_decide_and_announce(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    for outsider in (jury.people[0], cast.citizen, jury.team_lead):
        client.sign_in(outsider)
        assert (
            client.api("PUT", jury_url(jury, "/awards"), json={"awards": [award(jury, 2, "first")]}).status_code == 403
        )
        assert client.api("POST", jury_url(jury, "/announce"), json={}).status_code == 403
        assert client.api("GET", jury_url(jury, "/awards")).status_code == 403
    assert client.db.exec(select(Award)).all() == []


def test_the_results_page_shows_the_awards_once_announced(client: Client, db: Session, cast: Cast) -> None:
    jury = scored(db, cast)
    client.clock.at = CLOSED
    page = f"/challenges/{jury.challenge.slug}/results"
    assert client.get(page).status_code == 404  # no public vote, nothing announced yet
    client.sign_in(cast.halden_editor)
    body = {"awards": [award(jury, 2, "first", motivation="Enkel og modig."), award(jury, 3, "peoples-choice")]}
    assert client.api("PUT", jury_url(jury, "/awards"), json=body).status_code == 200
    assert client.api("POST", jury_url(jury, "/announce"), json={}).status_code == 200
    client.sign_out()
    shown = client.get(page)
    assert shown.status_code == 200
    assert "1st place" in shown.text
    assert "Enkel og modig." in shown.text
    assert "People&#39;s choice" in shown.text or "People's choice" in shown.text
    assert "Results of the public vote" not in shown.text


def test_awards_name_the_concept_as_submitted_not_as_the_team_edits_it_since(
    client: Client, db: Session, cast: Cast
) -> None:
    jury = scored(db, cast)
    concept = jury.concepts[2]
    concept.title = "Regnbed 2.0 (utkast)"  # the team's working copy after the deadline's version
    db.add(concept)
    db.commit()
    client.clock.at = CLOSED
    client.sign_in(cast.halden_editor)
    assert client.api("PUT", jury_url(jury, "/awards"), json={"awards": [award(jury, 2, "first")]}).status_code == 200
    assert client.api("POST", jury_url(jury, "/announce"), json={}).status_code == 200
    client.sign_out()
    public = client.api("GET", f"/api/v1/challenges/{jury.challenge.slug}/awards").json()
    assert [a["title"] for a in public["awards"]] == ["Regnbed"]
    assert "utkast" not in client.get(f"/challenges/{jury.challenge.slug}/results").text
