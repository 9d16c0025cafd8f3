"""A question sent twice (a double-click, a retried request) is stored once: the API answers 409 naming the question
that was stored, the page lands on it with a message. The same question may be asked again after a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.challenges.models import Challenge, Question
from app.challenges.phases import Phase
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_challenge
from tests.submissions.discussion.fixtures import nb

PAGE = "/challenges/gronne-tak"
URL = "/api/v1/challenges/gronne-tak/questions"
TEXT = "Må vi bo i Halden for å delta?"


@pytest.fixture
def challenge(client: Client, cast: Cast) -> Challenge:
    made: Challenge = make_challenge(client.db, cast.halden, slug="gronne-tak", title="Grønne tak")
    client.db.commit()
    client.clock.at = at(Phase.OPEN)
    return made


def stored_bodies(client: Client) -> list[str]:
    client.db.expire_all()
    return list(client.db.exec(select(Question.body)).all())


def test_the_same_question_sent_twice_through_the_api_is_stored_once(
    client: Client, cast: Cast, challenge: Challenge
) -> None:
    client.sign_in(cast.citizen)
    first = client.api("POST", URL, json={"body": TEXT})
    assert first.status_code == 201, first.text
    again = client.api("POST", URL, json={"body": "må vi  bo i Halden for å delta? "})

    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["type"] == "/problems/duplicate-post"
    assert again.json()["existing_id"] == first.json()["id"]
    assert again.json()["detail"] == nb("You have just asked this question.")
    assert stored_bodies(client) == [TEXT]

    assert client.api("POST", URL, json={"body": "Hvor lang kan teksten være?"}).status_code == 201  # another one
    client.clock.advance(timedelta(minutes=11))
    assert client.api("POST", URL, json={"body": TEXT}).status_code == 201  # asked again, a while later
    assert sorted(stored_bodies(client)) == sorted([TEXT, "Hvor lang kan teksten være?", TEXT])


def test_a_double_click_on_the_page_lands_on_the_one_question_with_a_message(
    client: Client, cast: Cast, challenge: Challenge
) -> None:
    client.sign_in(cast.citizen)
    asked = client.post_form(f"{PAGE}/questions", {"body": TEXT})
    twice = client.post_form(f"{PAGE}/questions", {"body": TEXT})

    [question] = client.db.exec(select(Question)).all()
    assert asked.status_code == twice.status_code == 303
    assert twice.headers["location"] == f"{PAGE}#question-{question.id}"
    page = client.get(twice.headers["location"]).text
    assert nb("You have just asked this question.") in page
    assert stored_bodies(client) == [TEXT]
