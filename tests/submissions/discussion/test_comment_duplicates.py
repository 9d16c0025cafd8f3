"""A comment sent twice (a double-click, a retried request) is stored once: the API answers 409 naming the comment
that was stored, the page lands on it with a message, and the team is emailed once. The same words are welcome
again after a while, in another thread, from someone else, or once the first was deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, select

from app.submissions.models import Comment
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.mail import emails_to
from tests.submissions.conftest import Team
from tests.submissions.discussion import fixtures as comments_fixtures
from tests.submissions.discussion.fixtures import api_url, audit_actions, nb, page_url, stored_comments
from tests.submissions.discussion.test_comments_api import post

concept = comments_fixtures.concept  # the shared fixture

TEXT = "Flott idé! Hvem vedlikeholder takene?"


def test_the_same_comment_sent_twice_through_the_api_is_stored_once_and_the_second_is_told_which(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any
) -> None:
    client.sign_in(cast.citizen)
    first = post(client, concept, TEXT)
    assert first.status_code == 201, first.text
    again = post(client, concept, "  flott idé!   Hvem vedlikeholder TAKENE? ")  # the same words, retyped

    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    problem = again.json()
    assert problem["type"] == "/problems/duplicate-post"
    assert problem["existing_id"] == first.json()["id"]
    assert problem["detail"] == nb("You have just posted this comment.")
    assert [comment.body for comment in stored_comments(db)] == [TEXT]
    assert len(emails_to(db, team.lead.email)) == 1
    assert audit_actions(db).count("comment.create") == 1


def test_a_double_click_on_the_page_lands_on_the_one_comment_with_a_message(
    client: Client, db: Session, cast: Cast, concept: Any
) -> None:
    client.sign_in(cast.citizen)
    posted = client.post_form(page_url(concept, "/comments"), {"body": TEXT})
    twice = client.post_form(page_url(concept, "/comments"), {"body": TEXT})

    [comment] = stored_comments(db)
    assert posted.status_code == twice.status_code == 303
    assert twice.headers["location"] == page_url(concept, f"#comment-{comment.id}")
    page = client.get(twice.headers["location"]).text
    assert nb("You have just posted this comment.") in page
    assert page.count(f'id="comment-{comment.id}"') == 1


def test_the_same_words_are_welcome_later_in_another_thread_from_someone_else_or_after_deleting(
    client: Client, db: Session, cast: Cast, team: Team, concept: Any
) -> None:
    client.sign_in(cast.citizen)
    first = post(client, concept, "Enig!").json()
    assert post(client, concept, "Enig!", parent_id=first["id"]).status_code == 201  # a reply is another thread
    assert post(client.sign_in(team.lead), concept, "Enig!").status_code == 201  # someone else
    client.sign_in(cast.citizen)
    assert post(client, concept, "Enig!").status_code == 409

    client.clock.advance(timedelta(minutes=11))
    later = post(client, concept, "Enig!")
    assert later.status_code == 201, later.text
    assert post(client, concept, "Enig!").status_code == 409  # the newest now holds the words

    assert client.api("DELETE", api_url(concept, f"/comments/{later.json()['id']}")).status_code == 204
    assert post(client, concept, "Enig!").status_code == 201
    top_level_by_citizen = db.exec(
        select(Comment).where(Comment.author_id == cast.citizen.id, Comment.parent_id.is_(None))  # type: ignore[union-attr]
    ).all()
    assert len(top_level_by_citizen) == 3  # the first, the one deleted, and the one after it
