"""Comments, feedback, reports and moderation pass axe-core at 1280 and 390 px: the concept page with a thread
(public, citizen, team, host), the reply, edit and report forms (with errors too), and the moderation queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.organizations.models import Role
from tests.a11y.conftest import BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, check_page
from tests.conftest import NOW
from tests.factories import (
    make_challenge,
    make_comment,
    make_feedback,
    make_member,
    make_organization,
    make_report,
    make_submission,
    make_user,
)

OpenBrowser = Callable[..., BrowserPage]


def arrange(db: Session) -> dict[str, Any]:
    """A public concept with a thread (a reply, a deleted and a hidden comment), feedback and two open reports."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    editor = make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Rut Redaktør"))
    challenge = make_challenge(db, halden, slug="gronne-tak", title="Grønnere sentrum", start=NOW - timedelta(days=20))
    lead = make_user(db, email="liv@example.no", display_name="Liv Leder")
    citizen = make_user(db, email="kari@example.no", display_name="Kari Innbygger")
    other = make_user(db, email="ola@example.no", display_name="Ola Nordmann med et ganske langt navn")
    submission = make_submission(db, challenge, lead, versions=1, title="Grønne tak i sentrum", team_name="Takfolket")
    top = make_comment(
        db,
        submission,
        author=citizen,
        body="Flott idé!\nHvem vedlikeholder takene om vinteren?",
        created_at=NOW - timedelta(hours=2),
    )
    make_comment(
        db,
        submission,
        author=lead,
        parent=top,
        body="Vaktmesterne, med en enkel sjekkliste.",
        created_at=NOW - timedelta(hours=1),
    )
    make_comment(
        db,
        submission,
        author=other,
        body="",
        created_at=NOW - timedelta(minutes=50),
        deleted_at=NOW - timedelta(minutes=40),
    )
    make_comment(
        db,
        submission,
        author=other,
        body="Reklame",
        created_at=NOW - timedelta(minutes=30),
        hidden_at=NOW - timedelta(minutes=20),
        hidden_reason="Reklame for en nettbutikk.",
    )
    make_comment(
        db,
        submission,
        author=citizen,
        body="En ting til: https://example.org/tak",
        created_at=NOW - timedelta(minutes=5),
    )
    make_feedback(
        db, submission, author=editor, body="Vis gjerne kostnadene tydeligere.", created_at=NOW - timedelta(minutes=10)
    )
    make_report(db, top, reporter=lead, reason="Utenfor tema.", created_at=NOW)
    make_report(db, submission, reporter=citizen, reason="Ligner et annet konsept.", created_at=NOW)
    return {"lead": lead, "citizen": citizen, "editor": editor, "submission": submission, "top": top}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("name", "who", "path"),
    [
        ("comments-public", None, "/challenges/gronne-tak/submissions/{id}"),
        ("comments-citizen", "citizen", "/challenges/gronne-tak/submissions/{id}"),
        ("comments-team", "lead", "/challenges/gronne-tak/submissions/{id}"),
        ("comments-host", "editor", "/challenges/gronne-tak/submissions/{id}"),
        ("comment-reply", "lead", "/challenges/gronne-tak/submissions/{id}/comments/{top}/reply"),
        ("comment-report", "lead", "/challenges/gronne-tak/submissions/{id}/comments/{top}/report"),
        ("concept-report", "citizen", "/challenges/gronne-tak/submissions/{id}/report"),
        ("moderation-queue", "editor", "/manage/challenges/gronne-tak/moderation"),
        ("concept-hide", "editor", "/challenges/gronne-tak/submissions/{id}/hide"),
        ("comment-hide", "editor", "/challenges/gronne-tak/submissions/{id}/comments/{top}/hide"),
    ],
)
def test_comment_pages_are_accessible(
    open_browser: OpenBrowser, db: Session, name: str, who: str | None, path: str, width: int
) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people[who] if who else None)
    assert browser_page.open(path.format(id=people["submission"].id, top=people["top"].id)) == 200
    check_page(browser_page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_an_empty_comment_shows_its_error_accessibly(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people["citizen"])
    browser_page.open(f"/challenges/gronne-tak/submissions/{people['submission'].id}")
    page = browser_page.page
    form = page.locator('main form[action$="/comments"]')
    form.locator("#field-body").fill("   ")
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator(".ds-error-summary").count() == 1
    check_page(browser_page, "comment-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_hiding_without_a_reason_shows_its_error_accessibly(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people["editor"])
    browser_page.open("/manage/challenges/gronne-tak/moderation")
    page = browser_page.page
    form = page.locator(f'main form[action$="/comment/{people["top"].id}/hide"]')
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator("[aria-invalid=true]").count() == 1
    check_page(browser_page, "moderation-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_hidden_concepts_placeholder_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    people["submission"].hidden_at = NOW - timedelta(minutes=1)
    people["submission"].hidden_reason = "Kopiert fra et annet konsept."
    db.flush()
    browser_page = open_browser(width)
    assert browser_page.open(f"/challenges/gronne-tak/submissions/{people['submission'].id}") == 200
    assert "Kopiert fra et annet konsept." in browser_page.page.inner_text("main")
    check_page(browser_page, "concept-hidden")
