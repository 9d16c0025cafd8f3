"""Assigning the jury through the API: the automatic run spreads the load and never assigns a conflict; hosts place
and remove assignments by hand; conflicts are declared, flagged and decided; a juror leaves and a re-run keeps
what was given."""

from __future__ import annotations

from collections import Counter

from sqlmodel import select

from app.jury.models import JuryAssignment, JuryConflict
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_review
from tests.jury.conftest import OPEN, REVIEW, Jury, jury_url, run_assignment


def stored_pairs(client: Client) -> set[tuple[int, int]]:
    client.db.expire_all()
    return {(a.juror_id, a.submission_id) for a in client.db.exec(select(JuryAssignment)).all()}


def test_the_run_gives_every_concept_its_jurors_evenly_and_never_a_conflict(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    assert client.api("PATCH", jury_url(jury), json={"jurors_per_concept": 2}).status_code == 200
    outcome = run_assignment(client, jury, cast.halden_editor)
    assert outcome == {"added": 10, "removed": 0, "flagged": 1, "shortfalls": []}

    pairs = stored_pairs(client)
    per_concept = Counter(concept for _juror, concept in pairs)
    assert all(per_concept[concept.id] == 2 for concept in jury.concepts)
    loads = Counter(juror for juror, _concept in pairs)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert (jury.jurors[3].id, jury.concepts[0].id) not in pairs  # Dag is on the team of Grønne tak
    assert (jury.jurors[2].id, jury.concepts[1].id) not in pairs  # Cia shares fjordlab.no with Bysykler' lead
    [flag] = client.db.exec(select(JuryConflict)).all()
    assert (flag.juror_id, flag.submission_id, flag.source, flag.status) == (
        jury.jurors[2].id,
        jury.concepts[1].id,
        "email-domain",
        "flagged",
    )
    assert run_assignment(client, jury, cast.halden_editor)["added"] == 0  # the same input gives the same result


def test_a_dismissed_flag_lets_the_juror_review_that_concept(client: Client, jury: Jury, cast: Cast) -> None:
    run_assignment(client, jury, cast.halden_editor)
    flag = client.db.exec(select(JuryConflict)).one()
    client.sign_in(cast.baerum_editor)  # a co-host's editor decides too
    decided = client.api("PATCH", jury_url(jury, f"/conflicts/{flag.id}"), json={"status": "dismissed"})
    assert decided.status_code == 200
    assert decided.json()["status"] == "dismissed"
    placed = client.api(
        "POST", jury_url(jury, "/assignments"), json={"juror": flag.juror_id, "concept": flag.submission_id}
    )
    assert placed.status_code == 201, placed.text
    assert placed.json()["manual"] is True


def test_a_team_member_is_never_assigned_to_their_own_concept_even_by_hand(
    client: Client, jury: Jury, cast: Cast
) -> None:
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    refused = client.api(
        "POST", jury_url(jury, "/assignments"), json={"juror": jury.jurors[3].id, "concept": jury.concepts[0].id}
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/conflict-of-interest")
    assert "own concept" in refused.json()["detail"]
    assert stored_pairs(client) == set()


def test_too_few_unconflicted_jurors_are_named_in_the_outcome(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    assert client.api("PATCH", jury_url(jury), json={"jurors_per_concept": 4}).status_code == 200
    outcome = run_assignment(client, jury, cast.halden_editor)
    shorts = {short["title"]: short for short in outcome["shortfalls"]}
    assert shorts["Grønne tak"] | {"missing": 1, "available": 3} == shorts["Grønne tak"]
    assert shorts["Bysykler"] | {"missing": 1, "available": 3} == shorts["Bysykler"]
    assert set(shorts) == {"Grønne tak", "Bysykler"}


def test_a_juror_leaves_and_a_re_run_keeps_their_given_reviews_and_spreads_the_rest(
    client: Client, jury: Jury, cast: Cast
) -> None:
    run_assignment(client, jury, cast.halden_editor)
    bo = jury.jurors[1]
    bo_concepts = sorted(concept for juror, concept in stored_pairs(client) if juror == bo.id)
    reviewed = next(concept for concept in jury.concepts if concept.id == bo_concepts[0])
    make_review(client.db, bo, reviewed, dict.fromkeys(jury.criteria, 5))
    client.db.commit()

    client.sign_in(cast.halden_editor)
    assert client.api("DELETE", jury_url(jury, f"/jurors/{bo.id}")).status_code == 204
    pairs = stored_pairs(client)
    assert {concept for juror, concept in pairs if juror == bo.id} == {reviewed.id}  # the given review stays
    client.sign_out()
    run_assignment(client, jury, cast.halden_editor)
    per_concept = Counter(concept for juror, concept in stored_pairs(client) if juror != bo.id)
    seated_ok = {c.id: 3 for c in jury.concepts}
    seated_ok[jury.concepts[0].id] = 2  # Dag is on its team: only Ada and Cia are left for it
    seated_ok[jury.concepts[1].id] = 2  # Cia's flag keeps her off Bysykler
    assert dict(per_concept) == seated_ok


def test_a_declared_conflict_takes_the_juror_off_the_concept(client: Client, jury: Jury, cast: Cast) -> None:
    run_assignment(client, jury, cast.halden_editor)
    ada = jury.jurors[0]
    concept = next(concept for juror, concept in stored_pairs(client) if juror == ada.id)
    client.sign_in(jury.people[0])
    declared = client.api("POST", jury_url(jury, "/conflicts"), json={"concept": concept, "reason": "Min nabo."})
    assert declared.status_code == 201
    assert declared.json() | {"source": "declared", "status": "confirmed"} == declared.json()
    assert (ada.id, concept) not in stored_pairs(client)
    mine = client.api("GET", jury_url(jury, "/conflicts")).json()
    assert [c["concept"] for c in mine] == [concept]

    client.sign_in(cast.halden_editor)
    everything = client.api("GET", jury_url(jury, "/conflicts")).json()
    assert {c["reason"] for c in everything} == {"Min nabo.", ""}  # the hosts read reasons; Cia's flag has none


def test_conflicts_are_declared_only_by_jurors_and_decided_only_by_hosts(
    client: Client, jury: Jury, cast: Cast
) -> None:
    run_assignment(client, jury, cast.halden_editor)
    flag = client.db.exec(select(JuryConflict)).one()
    client.sign_in(cast.citizen)
    assert client.api("POST", jury_url(jury, "/conflicts"), json={"concept": jury.concepts[2].id}).status_code == 404
    client.sign_in(jury.people[2])
    assert client.api("PATCH", jury_url(jury, f"/conflicts/{flag.id}"), json={"status": "dismissed"}).status_code == 403
    client.db.expire_all()
    assert client.db.get(JuryConflict, flag.id).status == "flagged"  # type: ignore[union-attr]


def test_assignment_runs_during_the_review_only_and_only_for_hosts(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = OPEN
    client.sign_in(cast.halden_editor)
    early = client.api("POST", jury_url(jury, "/assignments/run"))
    assert early.status_code == 409
    assert early.json()["type"].endswith("/phase-closed")
    client.clock.at = REVIEW
    for outsider in (jury.people[0], cast.citizen, jury.team_lead, cast.stavanger_editor):
        client.sign_in(outsider)
        assert client.api("POST", jury_url(jury, "/assignments/run")).status_code == 403, outsider.email
    assert stored_pairs(client) == set()


def test_a_host_takes_a_juror_off_a_concept_but_not_once_the_review_is_in(
    client: Client, jury: Jury, cast: Cast
) -> None:
    run_assignment(client, jury, cast.halden_editor)
    client.sign_in(cast.halden_editor)
    listed = client.api("GET", jury_url(jury, "/assignments")).json()
    first, second = listed[0], listed[1]
    assert client.api("DELETE", jury_url(jury, f"/assignments/{first['id']}")).status_code == 204
    juror = next(j for j in jury.jurors if j.id == second["juror"])
    concept = next(c for c in jury.concepts if c.id == second["concept"])
    make_review(client.db, juror, concept, dict.fromkeys(jury.criteria, 6))
    client.db.commit()
    kept = client.api("DELETE", jury_url(jury, f"/assignments/{second['id']}"))
    assert kept.status_code == 409
    assert (second["juror"], second["concept"]) in stored_pairs(client)
    assert (first["juror"], first["concept"]) not in stored_pairs(client)
