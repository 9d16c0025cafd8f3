"""The team finder passes axe-core at 1280 and 390 px: for a visitor, a citizen (with and without an entry, with a
request), a draft team's lead, the note form with errors, and the concept page with a join request to answer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.organizations.models import Role
from tests.a11y.conftest import BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, check_page
from tests.conftest import NOW
from tests.factories import (
    make_challenge,
    make_join_request,
    make_member,
    make_organization,
    make_submission,
    make_teammate_search,
    make_user,
)

OpenBrowser = Callable[..., BrowserPage]
FINDER = "/challenges/gronne-tak/team-finder"


def arrange(db: Session) -> dict[str, Any]:
    """An open challenge with two people looking for a team and a draft team looking for members, which one of
    them has asked to join."""
    halden = make_organization(db, name="Halden kommune", slug="halden")
    make_member(db, halden, role=Role.EDITOR, user=make_user(db, display_name="Rut Redaktør"))
    challenge = make_challenge(
        db, halden, slug="gronne-tak", title="Grønnere sentrum", start=NOW - timedelta(days=20), team_size_max=4,
        terms_text="Konseptet kan brukes **fritt** av kommunen.", submissions_public="after-review",
    )  # fmt: skip
    lead = make_user(db, email="liv@example.no", display_name="Liv Leder")
    kari = make_user(db, email="kari@example.no", display_name="Kari Innbygger")
    sven = make_user(db, email="sven@example.se", display_name="Sven Svensson", language="sv")
    draft = make_submission(db, challenge, lead, title="Grønne tak i sentrum", team_name="Takfolket")
    make_teammate_search(db, challenge, lead, note="Vi trenger en som kan regnskap\nog bygg.")
    make_teammate_search(db, challenge, kari, note="Landskapsarkitekt, kan tegne og modellere.")
    make_teammate_search(db, challenge, sven, note="Jag kodar och gör gärna en prototyp.")
    make_join_request(db, draft, kari, note="Jeg kan tegne takhagene.")
    return {"lead": lead, "kari": kari, "sven": sven, "draft": draft}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    ("name", "who", "path"),
    [
        ("team-finder-visitor", None, FINDER),
        ("team-finder-citizen", "sven", FINDER),
        ("team-finder-requested", "kari", FINDER),
        ("team-finder-lead", "lead", FINDER),
        ("team-finder-join-requests", "lead", "/challenges/gronne-tak/submissions/{id}"),
        ("challenge-settings", None, "/challenges/gronne-tak"),
    ],
)
def test_team_finder_is_accessible(
    open_browser: OpenBrowser, db: Session, name: str, who: str | None, path: str, width: int
) -> None:
    people = arrange(db)
    user: User | None = people[who] if who else None
    browser_page = open_browser(width, user=user)
    assert browser_page.open(path.format(id=people["draft"].id)) == 200
    check_page(browser_page, name)


@pytest.mark.parametrize("width", WIDTHS)
def test_team_finder_forms_with_errors_are_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people["sven"])
    assert browser_page.open(FINDER) == 200
    page = browser_page.page
    form = page.locator(f'main form[action="/challenges/gronne-tak/submissions/{people["draft"].id}/join-requests"]')
    form.locator("textarea").evaluate("(el) => el.removeAttribute('maxlength')")
    form.locator("textarea").fill("x" * 501)
    with page.expect_navigation(wait_until="load"):
        form.locator("button[type=submit]").click()
    assert page.locator(".ds-error-summary").count() == 1
    assert page.locator("[aria-invalid=true]").count() == 1
    check_page(browser_page, "team-finder-ask-errors")

    mine = page.locator(f'main form[action="{FINDER}"]')
    mine.locator("textarea").evaluate("(el) => el.removeAttribute('maxlength')")
    mine.locator("textarea").fill("y" * 501)
    with page.expect_navigation(wait_until="load"):
        mine.locator("button[type=submit]").click()
    assert page.locator("#field-note-error").count() == 1
    check_page(browser_page, "team-finder-note-errors")
