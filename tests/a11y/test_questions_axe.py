"""Q&A pages pass axe-core at 1280 and 390 px: the challenge page with questions, the ask form with its messages,
and the hosts' queue. Screenshots land in /tmp/shots/questions-*.png."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.challenges.models import Challenge
from app.organizations.models import Role
from tests.a11y.conftest import DESKTOP, MOBILE, BrowserPage
from tests.a11y.test_pages_axe import check_page
from tests.factories import make_challenge, make_member, make_organization, make_question, make_user

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]


def arrange(db: Session) -> tuple[Challenge, User, User]:
    halden = make_organization(db, slug="halden", name="Halden kommune")
    editor = make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Ole Johansen"))
    citizen = make_user(db, display_name="Nora Dahl")
    challenge = make_challenge(db, halden, slug="sentrumshandel", title="Bærekraftig sentrumshandel")
    original = make_question(db, challenge, author=make_user(db, display_name="Jonas Aasen"),
                             body="Kan vi foreslå midlertidig bruk av tomme lokaler, som pop-up-butikker?",
                             answer="Ja! Vi har **fire lokaler** i Storgata som kan brukes i testperioden.",
                             answered_by=editor)  # fmt: skip
    make_question(db, challenge, body="Får vi låne tomme butikklokaler?", duplicate_of_id=original.id)
    make_question(db, challenge, author=citizen, body="Må konseptet gjelde hele sentrum, eller holder én gate?")
    make_question(db, challenge, body="Reklame for nettcasino", hidden_at=challenge.opens_at, hidden_reason="Reklame")
    db.flush()
    return challenge, citizen, editor


@pytest.mark.parametrize("width", WIDTHS)
def test_the_challenge_page_with_questions_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    challenge, citizen, _editor = arrange(db)
    browser_page = open_browser(width, user=citizen)
    assert browser_page.open(f"/challenges/{challenge.slug}") == 200
    check_page(browser_page, "questions-challenge")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_ask_form_with_errors_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    challenge, citizen, _editor = arrange(db)
    browser_page = open_browser(width, user=citizen)
    assert browser_page.open(f"/challenges/{challenge.slug}/questions/new") == 200
    page = browser_page.page
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Send the question").or_(
            page.get_by_role("button", name="Send spørsmålet")
        ).click()
    assert page.locator(".ds-error-summary").is_visible()
    check_page(browser_page, "questions-ask-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_hosts_queue_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    challenge, _citizen, editor = arrange(db)
    browser_page = open_browser(width, user=editor)
    assert browser_page.open(f"/manage/challenges/{challenge.slug}/questions") == 200
    check_page(browser_page, "questions-queue")
