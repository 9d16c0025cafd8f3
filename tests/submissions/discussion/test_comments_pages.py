"""Comments on the concept page, without JavaScript: reading threads with anchors, writing, replying, changing,
deleting, in a constant number of queries; and nasty strings render as text everywhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from markupsafe import escape
from sqlmodel import Session

from app.clock import FrozenClock
from tests.challenges.conftest import Cast
from tests.challenges.test_list import counting_statements
from tests.conftest import Client
from tests.factories import make_comment, make_feedback, make_report, make_user
from tests.submissions.conftest import Team
from tests.submissions.discussion import fixtures as comments_fixtures
from tests.submissions.discussion.fixtures import nb, page_url, stored_comments

concept = comments_fixtures.concept  # the shared fixture

NASTY = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '[klikk](javascript:alert(1)) <a href="javascript:alert(1)">lenke</a>',
    "\u202etxt.exe\u202c omvendt",
    "{{ 7*7 }} {% raw %}",
]


def test_a_citizen_reads_comments_writes_one_and_lands_on_it(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
) -> None:
    anonymous = client.get(page_url(concept))
    assert nb("No comments yet.") in anonymous.text
    assert nb("Sign in to comment") in anonymous.text
    client.sign_in(cast.citizen)
    failed = client.post_form(page_url(concept, "/comments"), {"body": "  "})
    assert failed.status_code == 422
    assert "ds-error-summary" in failed.text
    posted = client.post_form(page_url(concept, "/comments"), {"body": "Flott!\nEn ting til"})
    assert posted.status_code == 303
    comment = stored_comments(db)[0]
    assert posted.headers["location"] == page_url(concept, f"#comment-{comment.id}")
    page = client.get(page_url(concept)).text
    assert f'id="comment-{comment.id}"' in page
    assert "Flott!\nEn ting til" in page  # plain text; CSS keeps the line break
    assert "Kari Innbygger" in page
    assert page_url(concept, f"/comments/{comment.id}/edit") in page
    assert page_url(concept, f"/comments/{comment.id}/report") not in page  # one does not report oneself
    lead_view = client.sign_in(team.lead).get(page_url(concept)).text
    assert page_url(concept, f"/comments/{comment.id}/reply") in lead_view
    assert page_url(concept, f"/comments/{comment.id}/report") in lead_view


def test_replying_changing_and_deleting_through_the_pages(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
    clock: FrozenClock,
) -> None:
    client.sign_in(cast.citizen)
    client.post_form(page_url(concept, "/comments"), {"body": "Hva koster det?"})
    top = stored_comments(db)[0]
    client.sign_in(team.lead)
    reply_page = client.get(page_url(concept, f"/comments/{top.id}/reply"))
    assert reply_page.status_code == 200
    assert "Hva koster det?" in reply_page.text
    assert f'name="parent_id" value="{top.id}"' in reply_page.text
    client.post_form(page_url(concept, "/comments"), {"body": "Lite!", "parent_id": str(top.id)})
    client.sign_in(cast.citizen)
    edit = page_url(concept, f"/comments/{top.id}/edit")
    assert "Hva koster det?</textarea>" in client.get(edit).text
    assert client.post_form(edit, {"body": ""}).status_code == 422
    assert client.post_form(edit, {"body": "Hva koster det per år?"}).status_code == 303
    clock.at = clock.at + timedelta(minutes=16)
    assert client.get(edit).status_code == 409
    assert client.post_form(page_url(concept, f"/comments/{top.id}/delete")).status_code == 303
    page = client.get(page_url(concept)).text
    assert nb("Comment deleted") in page
    assert "Hva koster det per år?" not in page
    assert "Lite!" in page


def test_the_concept_page_reads_comments_in_a_constant_number_of_queries(
    client: Client,
    db: Session,
    cast: Cast,
    concept: Any,
    clock: FrozenClock,
) -> None:
    def add(count: int) -> None:
        for n in range(count):
            author = make_user(db, display_name=f"Leser {n}")
            top = make_comment(db, concept, author=author, body=f"Innlegg {n}", created_at=clock.now())
            make_comment(db, concept, author=cast.citizen, parent=top, body="Svar", created_at=clock.now())
        db.commit()

    add(1)
    client.sign_in(cast.citizen)
    with counting_statements(client) as few:
        assert client.get(page_url(concept)).status_code == 200
    add(12)
    with counting_statements(client) as many:
        page = client.get(page_url(concept))
    assert "Innlegg 11" in page.text
    assert len(many) == len(few)


def test_nasty_strings_render_as_text_on_every_page(
    client: Client,
    db: Session,
    cast: Cast,
    team: Team,
    concept: Any,
    clock: FrozenClock,
) -> None:
    comments = []
    for text in NASTY:
        comment = make_comment(db, concept, author=cast.citizen, body=text, created_at=clock.now())
        comments.append(comment)
        make_feedback(db, concept, author=cast.halden_editor, body=text, created_at=clock.now())
        make_report(db, comment, reporter=cast.baerum_editor, reason=text, created_at=clock.now())
    moment = clock.now()
    make_comment(
        db, concept, author=cast.citizen, body="skjult", created_at=moment, hidden_at=moment, hidden_reason=NASTY[1]
    )
    db.commit()
    pages = [
        client.sign_in(team.lead).get(page_url(concept)).text,  # comments and feedback
        client.sign_in(cast.halden_editor).get("/manage/challenges/gronne-tak/moderation").text,
        client.sign_in(team.member).get(page_url(concept, f"/comments/{comments[1].id}/report")).text,
        client.sign_in(team.member).get(page_url(concept, f"/comments/{comments[0].id}/reply")).text,
        client.sign_in(cast.citizen).post_form(page_url(concept, "/report"), {"reason": "x" * 1001}).text,
    ]
    for number, page in enumerate(pages):
        assert "<script>alert(1)</script>" not in page, number
        assert "<img src=x" not in page, number
        assert 'href="javascript:' not in page, number
    assert str(escape(NASTY[0])) in pages[0]
    assert str(escape(NASTY[1])) in pages[0]
    assert str(escape(NASTY[2])) in pages[0]
    assert "\u202etxt.exe" in pages[0]  # shown as typed, inside its own element, not interpreted
    assert "{{ 7*7 }}" in pages[0]
    for page in pages[1:3]:
        assert str(escape(NASTY[1])) in page
    assert str(escape(NASTY[1])) in pages[1]  # the hidden comment's reason, in the hosts' list
