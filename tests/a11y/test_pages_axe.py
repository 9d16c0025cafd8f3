"""Every page passes axe-core at desktop width and at 390 px, fits a phone screen, and obeys the CSP.

Each page is opened in Debian Chromium against the live server, in the states a user reaches (signed out,
signed in, form errors shown). A screenshot of each lands in /tmp/shots/<name>-<width>.png for a human look.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlmodel import Session

from app.integrations.models import OutboxKind, OutboxMessage
from tests.a11y.conftest import (
    DESKTOP,
    MOBILE,
    BrowserPage,
    assert_fits_the_width,
    assert_no_axe_violations,
    screenshot,
)
from tests.factories import make_organization

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(MOBILE, id="mobile")]
OpenBrowser = Callable[..., BrowserPage]


@dataclass(frozen=True)
class PublicPage:
    name: str
    path: str
    status: int = 200


PUBLIC_PAGES = [
    PublicPage("home", "/"),
    PublicPage("accessibility", "/accessibility"),
    PublicPage("privacy", "/privacy"),
    PublicPage("not-found", "/no-such-page", status=404),
    PublicPage("dev-mail", "/dev/mail"),
]


def check_page(browser_page: BrowserPage, name: str) -> None:
    """axe-core, the width, the CSP and a screenshot: what every page must pass."""
    page = browser_page.page
    screenshot(page, name, browser_page.width)
    assert_no_axe_violations(page, name)
    if browser_page.width <= MOBILE:
        assert_fits_the_width(page, browser_page.width)
    csp_reports = [text for text in browser_page.console_errors if "Content Security Policy" in text]
    assert not csp_reports, f"{name} broke the Content-Security-Policy:\n" + "\n".join(csp_reports)


def arrange_public_data(db: Session) -> None:
    make_organization(db, name="Halden kommune", slug="halden", description="Grensekommunen ved Iddefjorden.")
    make_organization(db, name="Helsingborgs stad", slug="helsingborg")
    db.add(
        OutboxMessage(
            kind=OutboxKind.EMAIL,
            recipient="kari@example.no",
            subject="Bekreft e-postadressen din",
            body="Hei Kari,\n\nBekreft adressen her: http://127.0.0.1/account/verify?token=abc\n",
        )
    )
    db.flush()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("public_page", PUBLIC_PAGES, ids=lambda item: item.name)
def test_public_page_is_accessible(open_browser: OpenBrowser, db: Session, public_page: PublicPage, width: int) -> None:
    arrange_public_data(db)
    browser_page = open_browser(width)
    assert browser_page.open(public_page.path) == public_page.status
    check_page(browser_page, public_page.name)


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(DESKTOP)
    browser_page.open("/")
    page = browser_page.page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Hopp til hovedinnhold"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_swedish_browser_gets_the_swedish_interface(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(MOBILE, language="sv")
    browser_page.open("/accessibility")
    page = browser_page.page
    assert page.get_attribute("html", "lang") == "sv"
    assert page.get_by_role("heading", level=1).inner_text() == "Tillgänglighetsredogörelse"


def test_choosing_a_language_in_the_header_switches_the_page(open_browser: OpenBrowser) -> None:
    browser_page = open_browser(DESKTOP, language="nb")
    browser_page.open("/privacy")
    page = browser_page.page
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Bytt").click()
    page.wait_for_url("**/privacy")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy"
    check_page(browser_page, "privacy-after-language-change")
