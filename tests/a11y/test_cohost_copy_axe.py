"""The co-hosts page and the copy-as-template form pass axe-core at 1280 and 390 px, plain and with errors shown.

Screenshots land in /tmp/shots/<name>-<width>.png for a human look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.accounts.models import User
from app.organizations.models import Role
from tests.a11y.conftest import BrowserPage
from tests.a11y.test_pages_axe import WIDTHS, check_page
from tests.factories import make_challenge, make_member, make_organization, make_user

OpenBrowser = Callable[..., BrowserPage]
COHOSTS = "/manage/challenges/smartere-mobilitet/co-hosts"
COPY = "/manage/challenges/smartere-mobilitet/copy"


@dataclass(frozen=True)
class People:
    host_admin: User
    other_editor: User


def arrange(db: Session) -> People:
    """Stavanger hosts "Smartere mobilitet" with Helsingborg; Bærum's editor may copy it."""
    stavanger = make_organization(db, name="Stavanger kommune", slug="stavanger")
    helsingborg = make_organization(db, name="Helsingborgs stad", slug="helsingborg", timezone="Europe/Stockholm")
    baerum = make_organization(db, name="Bærum kommune", slug="baerum")
    make_organization(db, name="Halden kommune", slug="halden")
    make_challenge(
        db, stavanger, slug="smartere-mobilitet", title="Smartere mobilitet", cohosts=[helsingborg],
        summary="Stavanger og Helsingborg søker sammen løsninger som gjør det enklere å reise grønt i hverdagen.",
    )  # fmt: skip
    people = People(
        host_admin=make_member(db, stavanger, role=Role.ADMIN, user=make_user(db, display_name="Siri Sande")),
        other_editor=make_member(db, baerum, role=Role.EDITOR, user=make_user(db, display_name="Per Bakke")),
    )
    db.flush()
    return people


@pytest.mark.parametrize("width", WIDTHS)
def test_the_co_hosts_page_is_accessible_with_the_remove_disclosure_open(
    open_browser: OpenBrowser, db: Session, width: int
) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people.host_admin, language="en")
    assert browser_page.open(COHOSTS) == 200
    page = browser_page.page
    page.emulate_media(reduced_motion="reduce")  # the disclosure opens at once, so the screenshot shows it whole
    page.locator("details.cohost-list__remove summary").first.click()
    page.get_by_role("button", name="Yes, remove Helsingborgs stad as a co-host").wait_for(state="visible")
    check_page(browser_page, "manage-challenge-cohosts")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_co_hosts_page_is_accessible_with_an_error_shown(
    open_browser: OpenBrowser, db: Session, width: int
) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people.host_admin, language="en")
    assert browser_page.open(COHOSTS) == 200
    page = browser_page.page
    with page.expect_navigation(wait_until="load"):  # nothing chosen: the re-rendered page with messages
        page.get_by_role("button", name="Add as co-host").click()
    assert page.locator(".ds-error-summary").count() == 1
    assert page.locator("#field-organization[aria-invalid=true]").count() == 1
    assert page.locator("#field-organization-error").inner_text() == "Choose an organisation from the list."
    check_page(browser_page, "manage-challenge-cohosts-errors")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_copy_form_is_accessible(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people.other_editor)
    assert browser_page.open(COPY) == 200
    check_page(browser_page, "manage-challenge-copy")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_copy_form_is_accessible_with_errors_shown(open_browser: OpenBrowser, db: Session, width: int) -> None:
    people = arrange(db)
    browser_page = open_browser(width, user=people.other_editor, language="en")
    assert browser_page.open(COPY) == 200
    page = browser_page.page
    page.locator("#field-title").fill("")
    page.locator("#field-slug").fill("Ikke gyldig")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Create the draft").click()
    assert page.locator(".ds-error-summary li").count() == 2
    assert page.locator("[aria-invalid=true]").count() == 2
    check_page(browser_page, "manage-challenge-copy-errors")
