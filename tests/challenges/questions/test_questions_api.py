"""Q&A through the API: problem+json refusals with nothing stored, who sees what, and a constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import func, select

from app.challenges.models import Challenge, ChallengeNotice, Question
from app.challenges.phases import Phase
from app.errors import PROBLEM_JSON
from app.integrations.models import OutboxMessage
from tests.challenges.conftest import Cast, at
from tests.challenges.test_list import counting_statements
from tests.conftest import Client
from tests.factories import make_challenge, make_question, make_user


@pytest.fixture
def challenge(client: Client, cast: Cast) -> Challenge:
    made: Challenge = make_challenge(client.db, cast.halden, slug="gronne-tak", title="Grønne tak",
                                     cohosts=[cast.baerum])  # fmt: skip
    client.db.commit()
    client.clock.at = at(Phase.OPEN)
    return made


URL = "/api/v1/challenges/gronne-tak/questions"


def stored(client: Client) -> int:
    return client.db.exec(select(func.count()).select_from(Question)).one()


def bodies(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["body"] for item in response.json()["items"]]


def test_a_citizen_asks_a_host_answers_and_everybody_reads_it(client: Client, cast: Cast, challenge: Challenge) -> None:
    client.sign_in(cast.citizen)
    asked = client.api("POST", URL, json={"body": "Kan vi levere som video?"})
    assert asked.status_code == 201, asked.text
    question = asked.json()
    assert (question["state"], question["own"], question["author_name"]) == ("waiting", True, "Kari Innbygger")
    assert asked.headers["location"] == f"{URL}/{question['id']}"
    assert bodies(client.get(URL)) == ["Kan vi levere som video?"]
    client.sign_out()
    assert bodies(client.get(URL)) == []
    assert client.get(f"{URL}/{question['id']}").status_code == 404

    client.sign_in(cast.baerum_editor)
    answered = client.api("POST", f"{URL}/{question['id']}/answer", json={"answer": "Ja, <script>x</script>**gjerne**"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["answer_html"] == "<p>Ja, &lt;script&gt;x&lt;/script&gt;<strong>gjerne</strong></p>\n"
    client.sign_out()
    [public] = client.get(URL).json()["items"]
    assert (public["state"], public["own"], public["body"]) == ("answered", False, "Kan vi levere som video?")
    assert client.db.exec(select(func.count()).select_from(ChallengeNotice)).one() == 1
    assert client.db.exec(select(OutboxMessage.recipient)).all() == ["kari@example.no"]


def test_the_asker_rewords_a_waiting_question(client: Client, cast: Cast, challenge: Challenge) -> None:
    question = make_question(client.db, challenge, author=cast.citizen, body="Hvor lang tid har vi")
    client.db.commit()
    client.sign_in(cast.citizen)
    response = client.api("PATCH", f"{URL}/{question.id}", json={"body": "Hvor lang tid har vi på oss?"})
    assert response.status_code == 200, response.text
    assert response.json()["body"] == "Hvor lang tid har vi på oss?"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({"body": ""}, "body"), ({"body": "   "}, "body"), ({"body": "x" * 2001}, "body"), ({"body": "Hei", "x": 1}, "x"),
     ({}, "body")],
    ids=["empty", "blank", "too-long", "unknown-field", "missing"],
)  # fmt: skip
def test_bad_questions_are_refused_with_problem_json_and_nothing_is_stored(
    client: Client, cast: Cast, challenge: Challenge, payload: dict[str, Any], field: str
) -> None:
    client.sign_in(cast.citizen)
    response = client.api("POST", URL, json=payload)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM_JSON
    assert field in [error["field"] for error in response.json()["errors"]]
    assert stored(client) == 0


def test_an_unconfirmed_email_or_a_closed_phase_refuses_the_question(
    client: Client, cast: Cast, challenge: Challenge
) -> None:
    client.sign_in(make_user(client.db, verified=False))
    client.db.commit()
    refused = client.api("POST", URL, json={"body": "Hei?"})
    assert (refused.status_code, refused.json()["type"]) == (403, "/problems/forbidden")
    client.sign_in(cast.citizen)
    client.clock.at = at(Phase.REVIEW)
    closed = client.api("POST", URL, json={"body": "Hei?"})
    assert (closed.status_code, closed.json()["type"]) == (409, "/problems/phase-closed")
    assert stored(client) == 0


def test_a_draft_challenge_has_no_questions_for_outsiders(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="kladd", status="draft")
    client.db.commit()
    client.sign_in(cast.citizen)
    response = client.api("POST", "/api/v1/challenges/kladd/questions", json={"body": "Hei?"})
    assert response.status_code == 404
    assert client.get("/api/v1/challenges/kladd/questions").status_code == 404


@pytest.mark.parametrize("who", ["citizen", "stavanger_editor"])
def test_outsiders_cannot_answer_merge_or_hide(client: Client, cast: Cast, challenge: Challenge, who: str) -> None:
    answered = make_question(client.db, challenge, body="Besvart", answer="Ja", answered_by=cast.halden_editor)
    waiting = make_question(client.db, challenge, body="Venter")
    client.db.commit()
    client.sign_in(getattr(cast, who))
    assert client.api("POST", f"{URL}/{answered.id}/answer", json={"answer": "Nei"}).status_code == 403
    assert client.api("POST", f"{URL}/{answered.id}/hide", json={"reason": "Spam"}).status_code == 403
    assert client.api("POST", f"{URL}/{answered.id}/merge", json={"into": waiting.id}).status_code == 403
    # A question they cannot see is not there at all.
    assert client.api("POST", f"{URL}/{waiting.id}/answer", json={"answer": "Nei"}).status_code == 404
    client.db.refresh(answered)
    assert (answered.answer, answered.hidden_at, answered.duplicate_of_id) == ("Ja", None, None)


@pytest.mark.parametrize("host", ["halden_editor", "baerum_editor", "platform_admin"])
def test_hosts_merge_a_duplicate_and_hide_abuse(client: Client, cast: Cast, challenge: Challenge, host: str) -> None:
    original = make_question(client.db, challenge, body="Kan studenter delta?", answer="Ja.",
                             answered_by=cast.halden_editor)  # fmt: skip
    duplicate = make_question(client.db, challenge, body="Må man være student?")
    abuse = make_question(client.db, challenge, body="Tull og tøys", author=cast.citizen)
    client.db.commit()
    client.sign_in(getattr(cast, host))
    merged = client.api("POST", f"{URL}/{duplicate.id}/merge", json={"into": original.id})
    assert merged.status_code == 200, merged.text
    assert merged.json()["duplicate_of"] == original.id
    hidden = client.api("POST", f"{URL}/{abuse.id}/hide", json={"reason": "Ikke et spørsmål"})
    assert hidden.json()["state"] == "hidden"

    client.sign_out()
    [item] = client.get(URL).json()["items"]
    assert [d["body"] for d in item["duplicates"]] == ["Må man være student?"]
    client.sign_in(cast.citizen)
    own = next(item for item in client.get(URL).json()["items"] if item["own"])
    assert (own["state"], own["body"], own["hidden_reason"]) == ("hidden", None, "Ikke et spørsmål")

    client.sign_in(getattr(cast, host))
    assert client.api("POST", f"{URL}/{abuse.id}/unhide").json()["state"] == "waiting"


def test_merging_across_challenges_or_into_itself_is_refused(client: Client, cast: Cast, challenge: Challenge) -> None:
    question = make_question(client.db, challenge)
    elsewhere = make_question(client.db, make_challenge(client.db, cast.baerum, slug="annen"))
    client.db.commit()
    client.sign_in(cast.halden_editor)
    for into in (elsewhere.id, question.id):
        response = client.api("POST", f"{URL}/{question.id}/merge", json={"into": into})
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "into"
    client.db.refresh(question)
    assert question.duplicate_of_id is None


def test_an_empty_answer_or_hide_reason_is_refused(client: Client, cast: Cast, challenge: Challenge) -> None:
    question = make_question(client.db, challenge)
    client.db.commit()
    client.sign_in(cast.halden_editor)
    assert client.api("POST", f"{URL}/{question.id}/answer", json={"answer": "  "}).status_code == 422
    assert client.api("POST", f"{URL}/{question.id}/answer", json={"answer": "x" * 10001}).status_code == 422
    assert client.api("POST", f"{URL}/{question.id}/hide", json={"reason": ""}).status_code == 422
    client.db.refresh(question)
    assert (question.answered_at, question.hidden_at) == (None, None)
    assert client.db.exec(select(func.count()).select_from(OutboxMessage)).one() == 0


def _fill(client: Client, cast: Cast, challenge: Challenge, count: int) -> None:
    for n in range(count):
        original = make_question(client.db, challenge, body=f"Spørsmål {n}", answer=f"Svar {n}",
                                 answered_by=cast.halden_editor)  # fmt: skip
        make_question(client.db, challenge, body=f"Duplikat {n}", duplicate_of_id=original.id)
        make_question(client.db, challenge, body=f"Venter {n}", author=cast.citizen)
    client.db.commit()


@pytest.mark.parametrize("who", [None, "citizen", "halden_editor"])
def test_the_number_of_queries_does_not_grow_with_the_questions(
    client: Client, cast: Cast, challenge: Challenge, who: str | None
) -> None:
    if who:
        client.sign_in(getattr(cast, who))
    _fill(client, cast, challenge, 2)
    with counting_statements(client) as few:
        assert len(client.get(URL).json()["items"]) >= 2
    _fill(client, cast, challenge, 20)
    with counting_statements(client) as many:
        assert len(client.get(URL).json()["items"]) >= 22
    assert len(many) == len(few), "\n".join(many)
    # and the page shows the same questions in as many queries
    with counting_statements(client) as page_few:
        assert client.get("/challenges/gronne-tak").status_code == 200
    _fill(client, cast, challenge, 10)
    with counting_statements(client) as page_many:
        assert client.get("/challenges/gronne-tak").status_code == 200
    assert len(page_many) == len(page_few), "\n".join(page_many)


def test_a_huge_question_id_is_refused_not_a_server_error(client: Client, cast: Cast, challenge: Challenge) -> None:
    question = make_question(client.db, challenge)
    client.db.commit()
    client.sign_in(cast.halden_editor)
    huge = 99999999999999999999
    response = client.api("POST", f"{URL}/{question.id}/merge", json={"into": huge})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "into"
    assert client.api("POST", f"{URL}/{huge}/merge", json={"into": question.id}).status_code == 422
    assert client.get(f"{URL}/{huge}").status_code == 422
    client.db.refresh(question)
    assert question.duplicate_of_id is None
