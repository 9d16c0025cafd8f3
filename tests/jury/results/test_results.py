"""The hosts read the jury's results: scores worked out by hand through the API, a strict juror calibrated away,
ties shown as ties, the public vote combined by the challenge's weighting, the page with its chart, the CSV
exports, and who is refused."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlmodel import Session

from app.challenges.models import Challenge
from app.jury.results import service
from tests.challenges.conftest import Cast
from tests.challenges.test_list import counting_statements
from tests.conftest import Client
from tests.factories import make_jury_conflict, make_review, make_submission, make_user
from tests.jury.conftest import AFTER_REVIEW, ANNOUNCED, REVIEW, Jury, make_jury

EN = {"Accept-Language": "en"}


def api_url(jury: Jury, rest: str = "") -> str:
    return f"/api/v1/challenges/{jury.challenge.slug}/jury/results{rest}"


def page_url(jury: Jury) -> str:
    return f"/manage/challenges/{jury.challenge.slug}/jury/results"


def score(db: Session, jury: Jury, juror: Any, concept: Any, usefulness: int, feasibility: int, **kw: Any) -> None:
    """`juror`'s submitted review: Nytteverdi (weight 3) and Gjennomførbarhet (weight 1)."""
    nytteverdi, gjennomforbarhet = (criterion.id for criterion in jury.challenge.criteria)
    make_review(db, juror, concept, {nytteverdi: usefulness, gjennomforbarhet: feasibility}, **kw)


def hand_worked(db: Session, jury: Jury) -> None:
    """A juror's total is (3 × Nytteverdi + 1 × Gjennomførbarhet) / 4; a concept's raw score the mean of its totals."""
    ada, bo, cia, dag = jury.jurors
    c = jury.concepts
    score(db, jury, ada, c[0], 8, 4)  # (24 + 4) / 4 = 7.0
    score(db, jury, ada, c[1], 6, 6)  # (18 + 6) / 4 = 6.0
    score(db, jury, ada, c[2], 4, 8)  # (12 + 8) / 4 = 5.0
    score(db, jury, bo, c[0], 9, 5)  # (27 + 5) / 4 = 8.0
    score(db, jury, bo, c[1], 5, 9)  # (15 + 9) / 4 = 6.0
    score(db, jury, bo, c[2], 3, 3)  # (9 + 3) / 4 = 3.0
    score(db, jury, cia, c[3], 2, 6)  # (6 + 6) / 4 = 3.0
    score(db, jury, dag, c[0], 0, 0)  # Dag is on the team of c[0]: never counted
    score(db, jury, cia, c[4], 10, 10, submitted=False)  # a draft: not counted
    db.commit()
    # Raw: c[0] (7 + 8) / 2 = 7.5, c[1] (6 + 6) / 2 = 6.0, c[2] (5 + 3) / 2 = 4.0, c[3] 3.0; c[4] not yet scored.


def read_results(client: Client, jury: Jury, host: Any, method: str = "raw") -> dict[str, Any]:
    client.sign_in(host)
    response = client.api("GET", api_url(jury, f"?method={method}"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def ids(rows: list[dict[str, Any]]) -> list[int]:
    return [row["concept"] for row in rows]


def test_a_host_reads_the_raw_ranking_worked_out_by_hand(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    results = read_results(client, jury, cast.halden_editor)
    c = jury.concepts
    assert results["method"] == "raw"
    assert results["scale_max"] == 10
    assert results["places"] == 3  # no prize split: three places
    assert results["vote"] == "sealed"  # the public vote has not even opened: the jury ranks alone
    assert results["scores_counted"] == 14  # 7 submitted reviews without a conflict, 2 criteria each
    ranking = results["ranking"]
    assert ids(ranking) == [c[0].id, c[1].id, c[2].id, c[3].id]
    assert [row["rank"] for row in ranking] == [1, 2, 3, 4]
    assert [row["tied"] for row in ranking] == [False] * 4
    assert [row["jury"]["score"] for row in ranking] == pytest.approx([7.5, 6.0, 4.0, 3.0])
    assert [row["jury"]["raw"] for row in ranking] == pytest.approx([7.5, 6.0, 4.0, 3.0])
    assert [row["jury"]["jurors"] for row in ranking] == [2, 2, 2, 1]
    assert [row["jury"]["spread"] for row in ranking] == pytest.approx([1.0, 0.0, 2.0, 0.0])  # 8 − 7, 6 − 6, 5 − 3
    assert not any(row["jury"]["disagreement"] for row in ranking)  # no spread above 3 (30% of 10)
    assert [row["combined"] for row in ranking] == pytest.approx([0.75, 0.60, 0.40, 0.30])  # score / 10
    assert all(row["public_share"] is None for row in ranking)
    for row in ranking:
        assert row["jury"]["low"] <= row["jury"]["score"] <= row["jury"]["high"]
    assert results["not_yet_scored"] == [{"concept": c[4].id, "title": "Delebiler", "public_points": None}]

    jurors = {row["name"]: row for row in results["jurors"]}
    assert list(jurors) == ["Ada Leder", "Bo Streng", "Cia Fjord", "Dag Deltaker"]  # the chair first
    assert [jurors[name]["ratings"] for name in jurors] == [3, 3, 1, 0]
    assert jurors["Ada Leder"]["mean_total"] == pytest.approx(6.0)  # (7 + 6 + 5) / 3
    assert jurors["Bo Streng"]["mean_total"] == pytest.approx(17 / 3)  # (8 + 6 + 3) / 3
    assert jurors["Dag Deltaker"]["leniency"] is None
    assert jurors["Ada Leder"]["leniency"] > 0 > jurors["Bo Streng"]["leniency"]

    # Krippendorff's alpha over the concepts with two jurors, (7, 8), (6, 6), (5, 3): observed disagreement
    # (2 + 0 + 8) / 6 = 5/3; expected over all six values 178 / 30; alpha = 1 − (5/3) / (178/30) = 0.719.
    assert results["agreement"]["alpha"] == pytest.approx(1 - (5 / 3) / (178 / 30))
    assert results["agreement"]["level"] == "moderate"
    check = results["method_check"]
    assert check["top_places_agree"] is True
    assert [place["raw"]["concept"] for place in check["places"]] == [c[0].id, c[1].id, c[2].id]
    assert all(place["same"] for place in check["places"])


def test_conflicted_jurors_and_drafts_do_not_count(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    cia = jury.jurors[2]
    make_jury_conflict(client.db, cia, jury.concepts[3])  # Cia declares a conflict with the concept she scored
    client.db.commit()
    client.clock.at = REVIEW
    results = read_results(client, jury, cast.halden_editor)
    assert ids(results["ranking"]) == [concept.id for concept in jury.concepts[:3]]
    assert ids(results["not_yet_scored"]) == [jury.concepts[3].id, jury.concepts[4].id]
    assert results["scores_counted"] == 12


def strict_bo(db: Session, jury: Jury) -> None:
    """Bo scores three points below the others; both criteria get the same value, so a total is that value."""
    ada, bo, cia, _dag = jury.jurors
    c = jury.concepts
    reviews = [
        [(ada, 8), (bo, 5)],  # c[0]: raw (8 + 5) / 2 = 6.5; the best concept drew the strict juror
        [(ada, 7), (cia, 7)],  # c[1]: raw 7.0
        [(bo, 3), (cia, 6)],  # c[2]: raw (3 + 6) / 2 = 4.5
        [(ada, 5), (cia, 5)],  # c[3]: raw 5.0
    ]
    for concept, given in zip(c, reviews, strict=False):
        for juror, value in given:
            score(db, jury, juror, concept, value, value)
    db.commit()


def test_calibration_gives_back_what_a_strict_juror_took(client: Client, jury: Jury, cast: Cast) -> None:
    strict_bo(client.db, jury)
    client.clock.at = REVIEW
    c = jury.concepts
    raw = read_results(client, jury, cast.halden_editor, "raw")
    assert ids(raw["ranking"]) == [c[1].id, c[0].id, c[3].id, c[2].id]
    assert [row["jury"]["score"] for row in raw["ranking"]] == pytest.approx([7.0, 6.5, 5.0, 4.5])

    calibrated = read_results(client, jury, cast.halden_editor, "calibrated")
    assert calibrated["method"] == "calibrated"
    assert ids(calibrated["ranking"]) == [c[0].id, c[1].id, c[2].id, c[3].id]
    by_id = {row["concept"]: row["jury"] for row in calibrated["ranking"]}
    # The two concepts Bo scored get points back; the others give some up.
    assert by_id[c[0].id]["calibrated"] > by_id[c[0].id]["raw"] == pytest.approx(6.5)
    assert by_id[c[2].id]["calibrated"] > by_id[c[2].id]["raw"] == pytest.approx(4.5)
    assert by_id[c[1].id]["calibrated"] < by_id[c[1].id]["raw"] == pytest.approx(7.0)
    leniency = {row["name"]: row["leniency"] for row in calibrated["jurors"] if row["leniency"] is not None}
    assert leniency["Bo Streng"] < 0 < leniency["Ada Leder"]
    assert leniency["Cia Fjord"] > 0
    # Leniencies average 0 over the ratings (3 by Ada, 2 by Bo, 3 by Cia).
    assert 3 * leniency["Ada Leder"] + 2 * leniency["Bo Streng"] + 3 * leniency["Cia Fjord"] == pytest.approx(0)

    check = calibrated["method_check"]
    assert check["top_places_agree"] is False
    first = check["places"][0]
    assert (first["raw"]["concept"], first["calibrated"]["concept"], first["same"]) == (c[1].id, c[0].id, False)

    page = client.get(page_url(jury), headers=EN)
    assert page.status_code == 200
    assert "The top places change with the method." in page.text
    assert "Changes" in page.text
    assert "strict" in page.text
    assert f"\u2212{abs(leniency['Bo Streng']):.2f} strict" in page.text  # signed with a minus


def test_equal_scores_share_a_rank_and_are_too_close_to_call(client: Client, jury: Jury, cast: Cast) -> None:
    ada, bo, _cia, _dag = jury.jurors
    c = jury.concepts
    score(client.db, jury, ada, c[0], 6, 6)  # 6.0
    score(client.db, jury, bo, c[1], 6, 6)  # 6.0
    score(client.db, jury, ada, c[2], 4, 8)  # (12 + 8) / 4 = 5.0
    client.db.commit()
    client.clock.at = REVIEW
    results = read_results(client, jury, cast.baerum_editor)  # a co-host's editor: one shared jury
    ranking = results["ranking"]
    assert ids(ranking) == [c[0].id, c[1].id, c[2].id]  # equal scores in the order of their ids
    assert [row["rank"] for row in ranking] == [1, 1, 3]
    assert [row["tied"] for row in ranking] == [True, True, False]
    assert ranking[0]["too_close_to_call"]
    assert ranking[1]["too_close_to_call"]

    page = client.get(page_url(jury) + "?method=raw", headers=EN)
    assert page.text.count('<span class="ds-tag" data-color="neutral" data-size="sm">tie</span>') == 2
    assert page.text.count("Too close to call</span>") >= 2


def test_the_public_vote_is_combined_by_the_challenges_weighting(db: Session, client: Client, cast: Cast) -> None:
    jury = make_jury(db, cast, slug="folk-og-jury", jury_weight=60)
    hand_worked(db, jury)
    c = jury.concepts
    client.clock.at = AFTER_REVIEW  # the public vote is open
    voters = [make_user(db) for _ in range(4)]
    db.commit()
    for voter, concept in zip(voters, [c[1], c[1], c[0], c[2]], strict=True):
        client.sign_in(voter)
        response = client.api("PUT", f"/api/v1/challenges/{jury.challenge.slug}/ballot/votes/{concept.id}")
        assert response.status_code == 200, response.text

    client.sign_in(cast.halden_editor)
    during = client.api("GET", api_url(jury, "?method=raw")).json()
    assert during["vote"] == "sealed"  # no live counts were chosen: sealed for the hosts too
    assert ids(during["ranking"]) == [c[0].id, c[1].id, c[2].id, c[3].id]

    client.clock.at = ANNOUNCED
    results = read_results(client, jury, cast.halden_editor)
    assert results["vote"] == "final"
    assert results["jury_weight"] == 60
    # Jury shares: 7.5 / 10, 6 / 10, 4 / 10, 3 / 10. Public shares of the leader's 2 votes: c[1] 2/2, c[0] 1/2,
    # c[2] 1/2, c[3] 0/2. Combined = 0.6 × jury + 0.4 × public:
    #   c[1] 0.36 + 0.40 = 0.76; c[0] 0.45 + 0.20 = 0.65; c[2] 0.24 + 0.20 = 0.44; c[3] 0.18 + 0 = 0.18.
    ranking = results["ranking"]
    assert ids(ranking) == [c[1].id, c[0].id, c[2].id, c[3].id]
    assert [row["rank"] for row in ranking] == [1, 2, 3, 4]
    assert [row["public_points"] for row in ranking] == [2, 1, 1, 0]
    assert [row["public_share"] for row in ranking] == pytest.approx([1.0, 0.5, 0.5, 0.0])
    assert [row["combined"] for row in ranking] == pytest.approx([0.76, 0.65, 0.44, 0.18])
    assert [row["jury"]["rank"] for row in ranking] == [2, 1, 3, 4]  # the jury alone had c[0] first
    assert results["not_yet_scored"] == [{"concept": c[4].id, "title": "Delebiler", "public_points": 0}]
    # Too close to call follows the combined ranking: the public side is a count, so a combined interval is the
    # jury's interval scaled by 0.6, shifted by 0.4 × the public share; neighbours across places 1..3 that overlap.
    bounds = [(row["combined_low"], row["combined_high"]) for row in ranking]
    for row, (low, high) in zip(ranking, bounds, strict=True):
        assert low == pytest.approx(0.6 * row["jury"]["low"] / 10 + 0.4 * row["public_share"])
        assert high == pytest.approx(0.6 * row["jury"]["high"] / 10 + 0.4 * row["public_share"])
    close = set()
    for place in (1, 2, 3):
        (upper_low, upper_high), (lower_low, lower_high) = bounds[place - 1], bounds[place]
        if upper_low <= lower_high and lower_low <= upper_high:
            close |= {place - 1, place}
    assert {n for n, row in enumerate(ranking) if row["too_close_to_call"]} == close

    page = client.get(page_url(jury) + "?method=raw", headers=EN)
    assert page.status_code == 200
    assert "The combined value is 60 % of the jury's share plus 40 % of the public's." in page.text
    assert "76.00 %" in page.text
    assert "100.0 %" in page.text


def test_the_page_shows_the_ranking_its_chart_and_the_jury_report(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    page = client.get(page_url(jury) + "?method=raw", headers=EN)
    assert page.status_code == 200
    text = page.text
    c = jury.concepts
    assert f'<a class="ds-link" href="/challenges/gronn-by/submissions/{c[0].id}">Grønne tak</a>' in text
    assert '7.50 <span class="jury-interval">(' in text
    assert 'id="method-raw" name="method" value="raw" aria-describedby="method-raw-description" checked' in text
    assert '<svg class="jury-chart" role="img" aria-labelledby="chart-title chart-desc"' in text
    assert text.count('<circle class="jury-chart__score"') == 4  # one dot per ranked concept
    assert "The ranking table above holds the same numbers." in text
    assert "1. Grønne tak: 7.50 (" in text
    assert "The top 3 places are the same under raw means, z-scores and calibration." in text
    assert "(Nytteverdi × 3, Gjennomførbarhet × 1)" in text
    assert "Moderate agreement" in text
    assert "Krippendorff's alpha: 0.72." in text
    assert "Not yet scored" in text
    assert f"/submissions/{c[4].id}" in text
    assert "The public vote's counts are sealed until it closes" in text
    assert "/api/v1/challenges/gronn-by/jury/results/ranking.csv?method=raw" in text
    assert "/api/v1/challenges/gronn-by/jury/results/scores.csv" in text
    assert " style=" not in text


def test_a_bad_method_is_refused_by_the_api_and_the_page_shows_the_default(
    client: Client, jury: Jury, cast: Cast
) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    refused = client.api("GET", api_url(jury, "?method=median"))
    assert refused.status_code == 422
    assert refused.json()["type"] == "/problems/validation-failed"
    page = client.get(page_url(jury) + "?method=median", headers=EN)
    assert page.status_code == 200
    assert 'value="calibrated" aria-describedby="method-calibrated-description" checked' in page.text
    assert client.api("GET", api_url(jury)).json()["method"] == "calibrated"


def test_the_scores_export_has_a_row_per_counted_score(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    response = client.api("GET", api_url(jury, "/scores.csv"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="gronn-by-jury-scores.csv"'
    assert response.headers["cache-control"] == "private, no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["juror", "criterion", "concept_id", "concept_title", "value"]
    assert len(rows) == 1 + 14
    c = jury.concepts
    assert rows[1:3] == [
        ["Ada Leder", "Nytteverdi", str(c[0].id), "Grønne tak", "8"],
        ["Ada Leder", "Gjennomførbarhet", str(c[0].id), "Grønne tak", "4"],
    ]
    assert not [row for row in rows if row[0] == "Dag Deltaker"]  # his conflict keeps his scores out


def test_the_ranking_export_follows_the_method(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    response = client.api("GET", api_url(jury, "/ranking.csv?method=raw"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="gronn-by-jury-ranking-raw.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = "rank tied concept_id title jury_score low high public_share combined too_close_to_call"
    assert rows[0] == header.split()
    assert [row[:5] for row in rows[1:]] == [
        ["1", "no", str(jury.concepts[0].id), "Grønne tak", "7.50"],
        ["2", "no", str(jury.concepts[1].id), "Bysykler", "6.00"],
        ["3", "no", str(jury.concepts[2].id), "Regnbed", "4.00"],
        ["4", "no", str(jury.concepts[3].id), "Lesebenker", "3.00"],
    ]
    assert [row[7:9] for row in rows[1:]] == [["", "0.7500"], ["", "0.6000"], ["", "0.4000"], ["", "0.3000"]]


def test_only_the_hosts_see_the_jury_results(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    addresses = [api_url(jury), api_url(jury, "/scores.csv"), api_url(jury, "/ranking.csv")]
    for host in (cast.halden_editor, cast.baerum_editor, cast.platform_admin):
        client.sign_in(host)
        for address in addresses:
            assert client.api("GET", address).status_code == 200, (host.email, address)
        assert client.get(page_url(jury)).status_code == 200, host.email
    outsiders = [jury.people[0], jury.people[1], jury.team_lead, cast.citizen, cast.stavanger_editor]
    for outsider in outsiders:  # the chair, a juror, a team lead, a citizen, another municipality's editor
        client.sign_in(outsider)
        for address in addresses:
            refused = client.api("GET", address)
            assert refused.status_code == 403, (outsider.email, address)
            assert refused.headers["content-type"] == "application/problem+json"
        assert client.get(page_url(jury)).status_code == 403, outsider.email
    client.sign_out()
    for address in addresses:
        assert client.api("GET", address).status_code == 401
    signed_out = client.get(page_url(jury), follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/account/sign-in")


def test_a_jury_without_scores_lists_every_concept_as_not_yet_scored(client: Client, jury: Jury, cast: Cast) -> None:
    client.clock.at = REVIEW
    results = read_results(client, jury, cast.halden_editor, "calibrated")
    assert results["ranking"] == []
    assert ids(results["not_yet_scored"]) == [concept.id for concept in jury.concepts]
    assert results["agreement"] == {"alpha": None, "level": "unknown"}
    assert results["method_check"] == {"top_places_agree": True, "places": []}
    page = client.get(page_url(jury), headers=EN)
    assert page.status_code == 200
    assert "No concept has a counted score yet" in page.text
    assert "<svg" not in page.text


def test_the_results_page_does_not_grow_in_queries_with_the_concepts(client: Client, jury: Jury, cast: Cast) -> None:
    hand_worked(client.db, jury)
    client.clock.at = REVIEW
    client.sign_in(cast.halden_editor)
    assert client.get(page_url(jury)).status_code == 200
    with counting_statements(client) as few:
        assert client.get(page_url(jury)).status_code == 200
    ada, bo, _cia, _dag = jury.jurors
    for n in range(8):
        concept = make_submission(client.db, jury.challenge, make_user(client.db), title=f"Idé {n}", versions=1)
        score(client.db, jury, ada, concept, n, 10 - n)
        score(client.db, jury, bo, concept, 10 - n, n)
    client.db.commit()
    with counting_statements(client) as many:
        page = client.get(page_url(jury))
    assert "Idé 7" in page.text
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("split", "places"),
    [
        (None, 3),
        ({"kind": "fixed", "amounts": [3_000_000, 1_500_000]}, 2),
        ({"kind": "shared", "best": 5}, 5),
        ({"kind": "shared"}, 3),
    ],
)
def test_the_prize_places_come_from_the_prize_split(split: dict[str, Any] | None, places: int) -> None:
    assert service.prize_places(Challenge(prize_split=split)) == places
