"""Q&A pages: asking from the challenge's page, the form with its messages, and the hosts' answering queue."""

from __future__ import annotations

import html

import pytest
from sqlmodel import func, select

from app import i18n
from app.challenges.models import Challenge, Question
from app.challenges.phases import Phase
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_challenge, make_question, make_user

PAGE = "/challenges/gronne-tak"
QUEUE = "/manage/challenges/gronne-tak/questions"


@pytest.fixture
def challenge(client: Client, cast: Cast) -> Challenge:
    made: Challenge = make_challenge(client.db, cast.halden, slug="gronne-tak", title="Grønne tak",
                                     cohosts=[cast.baerum])  # fmt: skip
    client.db.commit()
    client.clock.at = at(Phase.OPEN)
    return made


def stored(client: Client) -> int:
    return client.db.exec(select(func.count()).select_from(Question)).one()


def test_a_visitor_reads_answers_and_is_asked_to_sign_in(client: Client, cast: Cast, challenge: Challenge) -> None:
    make_question(client.db, challenge, body="Kan vi være tre i et team?", answer="Ja, **opptil fem**.",
                  answered_by=cast.halden_editor)  # fmt: skip
    make_question(client.db, challenge, body="Hemmelig ventende spørsmål")
    client.db.commit()
    page = client.get(PAGE).text
    assert "Kan vi være tre i et team?" in page
    assert "<strong>opptil fem</strong>" in page
    assert "Hemmelig ventende spørsmål" not in page
    assert "/account/sign-in?next=/challenges/gronne-tak" in page


def test_a_citizen_asks_from_the_challenge_page_and_sees_their_question_waiting(
    client: Client, cast: Cast, challenge: Challenge
) -> None:
    client.sign_in(cast.citizen)
    assert 'action="/challenges/gronne-tak/questions"' in client.get(PAGE).text
    response = client.post_form("/challenges/gronne-tak/questions", {"body": "Må vi bo i Halden?"})
    assert response.status_code == 303
    assert response.headers["location"].startswith(f"{PAGE}#question-")
    page = client.get(PAGE).text
    assert "Må vi bo i Halden?" in page
    assert "Only you and the hosts can see it" in page or "Bare du og" in page
    client.sign_out()
    assert "Må vi bo i Halden?" not in client.get(PAGE).text


@pytest.mark.parametrize(("body", "message"), [("   ", "Write your question."), ("x" * 2001, "under 2000")])
def test_a_bad_question_shows_the_form_again_with_messages_and_what_was_typed(
    client: Client, cast: Cast, challenge: Challenge, body: str, message: str
) -> None:
    client.sign_in(cast.citizen)
    response = client.post_form("/challenges/gronne-tak/questions", {"body": body})
    assert response.status_code == 422
    assert 'class="ds-error-summary"' in response.text
    assert 'href="#field-body"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert message in response.text or "2000" in response.text
    if body.strip():
        assert body in response.text
    assert stored(client) == 0


def test_the_form_needs_a_csrf_token(client: Client, cast: Cast, challenge: Challenge) -> None:
    client.sign_in(cast.citizen)
    response = client.post("/challenges/gronne-tak/questions", data={"body": "Hei?"}, follow_redirects=False)
    assert response.status_code == 403
    assert stored(client) == 0


def test_an_unconfirmed_person_is_told_to_confirm_and_cannot_post(client: Client, challenge: Challenge) -> None:
    client.sign_in(make_user(client.db, verified=False))
    client.db.commit()
    page = client.get(PAGE).text
    assert 'action="/challenges/gronne-tak/questions"' not in page
    assert client.post_form("/challenges/gronne-tak/questions", {"body": "Hei?"}).status_code == 403
    assert stored(client) == 0


def test_the_asker_rewords_their_question(client: Client, cast: Cast, challenge: Challenge) -> None:
    question = make_question(client.db, challenge, author=cast.citizen, body="Fristen er når")
    client.db.commit()
    client.sign_in(cast.citizen)
    assert f"/questions/{question.id}/edit" in client.get(PAGE).text
    form = client.get(f"{PAGE}/questions/{question.id}/edit")
    assert "Fristen er når" in form.text
    response = client.post_form(f"{PAGE}/questions/{question.id}/edit", {"body": "Når er fristen?"})
    assert response.status_code == 303
    client.db.refresh(question)
    assert question.body == "Når er fristen?"
    client.sign_in(cast.stavanger_editor)
    assert client.get(f"{PAGE}/questions/{question.id}/edit").status_code == 404


def test_a_host_answers_from_the_queue_and_the_answer_goes_public(
    client: Client, cast: Cast, challenge: Challenge
) -> None:
    question = make_question(client.db, challenge, author=cast.citizen, body="Får vi tilgang til taket?")
    client.db.commit()
    client.sign_in(cast.baerum_editor)
    assert "Answer questions (1 waiting)" in client.get(PAGE).text or "1" in client.get(PAGE).text
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert "Får vi tilgang til taket?" in queue.text
    empty = client.post_form(f"{QUEUE}/{question.id}/answer", {f"answer-{question.id}": " "})
    assert empty.status_code == 422
    assert f'href="#field-answer-{question.id}"' in empty.text
    answered = client.post_form(f"{QUEUE}/{question.id}/answer", {f"answer-{question.id}": "Ja, med følge."})
    assert answered.status_code == 303
    client.sign_out()
    assert "Ja, med følge." in client.get(PAGE).text


def test_a_host_merges_a_duplicate_and_hides_abuse(client: Client, cast: Cast, challenge: Challenge) -> None:
    original = make_question(client.db, challenge, body="Kan elever delta?", answer="Ja.",
                             answered_by=cast.halden_editor)  # fmt: skip
    duplicate = make_question(client.db, challenge, body="Gjelder det videregående?")
    abuse = make_question(client.db, challenge, body="Stygt innlegg")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    refused = client.post_form(f"{QUEUE}/{duplicate.id}/merge", {f"into-{duplicate.id}": str(duplicate.id)})
    assert refused.status_code == 422
    assert (
        client.post_form(f"{QUEUE}/{duplicate.id}/merge", {f"into-{duplicate.id}": str(original.id)}).status_code == 303
    )
    no_reason = client.post_form(f"{QUEUE}/{abuse.id}/hide", {f"reason-{abuse.id}": ""})
    assert no_reason.status_code == 422
    assert client.post_form(f"{QUEUE}/{abuse.id}/hide", {f"reason-{abuse.id}": "Personangrep"}).status_code == 303
    assert "Personangrep" in client.get(QUEUE).text
    client.sign_out()
    page = client.get(PAGE).text
    assert "Gjelder det videregående?" in page
    assert "Stygt innlegg" not in page


@pytest.mark.parametrize("who", ["citizen", "stavanger_editor"])
def test_outsiders_do_not_get_the_queue(client: Client, cast: Cast, challenge: Challenge, who: str) -> None:
    question = make_question(client.db, challenge, body="Venter")
    client.db.commit()
    client.sign_in(getattr(cast, who))
    assert client.get(QUEUE).status_code == 403
    assert client.post_form(f"{QUEUE}/{question.id}/answer", {f"answer-{question.id}": "Ja"}).status_code == 403
    client.db.refresh(question)
    assert question.answered_at is None


def test_a_huge_id_in_the_merge_form_is_refused_not_a_server_error(
    client: Client, cast: Cast, challenge: Challenge
) -> None:
    question = make_question(client.db, challenge)
    client.db.commit()
    client.sign_in(cast.halden_editor)
    refused = client.post_form(f"{QUEUE}/{question.id}/merge", {f"into-{question.id}": "99999999999999999999"})
    assert refused.status_code == 422
    with i18n.language("nb"):
        assert html.escape(i18n.gettext("Choose the question this one duplicates.")) in refused.text
    client.db.refresh(question)
    assert question.duplicate_of_id is None
