"""Browser fixtures: one Debian Chromium per run on the live server (tests/conftest.py), axe-core checks."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright
from sqlmodel import Session

from app.accounts import sessions
from app.accounts.models import User
from app.clock import FrozenClock
from app.security import SESSION_COOKIE
from tests.conftest import LiveServer

CHROMIUM = os.environ.get("SAMSKAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = 1280
MOBILE = 390
SCREENSHOTS = Path(os.environ.get("SAMSKAP_SCREENSHOTS", "/tmp/shots"))  # noqa: S108  (a place to look, not a secret)
_axe = Axe()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is missing; `make test` installs Debian's chromium")
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, shared by every test (Playwright never downloads a browser here)."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@dataclass
class BrowserPage:
    """A page in a fresh browser context, with what the browser complained about."""

    page: Page
    context: BrowserContext
    width: int
    base_url: str
    console_errors: list[str] = field(default_factory=list)

    def open(self, path: str) -> int:
        """Go to `path`; returns the HTTP status of the document."""
        self.console_errors.clear()
        response = self.page.goto(path, wait_until="load")
        assert response is not None, f"no response for {path}"
        return response.status


@pytest.fixture
def open_browser(
    browser: Browser, live_server: LiveServer, db: Session, clock: FrozenClock
) -> Iterator[Callable[..., BrowserPage]]:
    """A factory: `open_browser(width=390, user=kari)` gives a fresh context, optionally signed in."""
    contexts: list[BrowserContext] = []

    def make(width: int = DESKTOP, *, user: User | None = None, language: str = "nb") -> BrowserPage:
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 900},
            locale={"nb": "nb-NO", "sv": "sv-SE"}.get(language, "en-GB"),
            extra_http_headers={"Accept-Language": language},
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        if user is not None:
            sign_in(context, live_server, db, clock, user)
        page = context.new_page()
        result = BrowserPage(page=page, context=context, width=width, base_url=live_server.url)

        def remember(message: ConsoleMessage) -> None:
            if message.type == "error":
                result.console_errors.append(message.text)

        page.on("console", remember)
        return result

    yield make
    for context in contexts:
        context.close()


def sign_in(context: BrowserContext, live_server: LiveServer, db: Session, clock: FrozenClock, user: User) -> None:
    """Sign `user` in by giving the browser a session cookie (the server sets the CSRF cookie itself)."""
    with live_server.db_lock:
        raw = sessions.start_session(db, user=user, now=clock.now())
    context.add_cookies([{"name": SESSION_COOKIE, "value": raw, "url": live_server.url, "httpOnly": True}])


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations for the page as it is now (all rules that axe runs by default)."""
    results = _axe.run(page)
    violations: list[dict[str, Any]] = results.response["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def assert_no_axe_violations(page: Page, name: str = "") -> None:
    """Fail with each violation's id, help text and the elements it was found on."""
    violations = axe_violations(page)
    assert not violations, f"axe-core found {len(violations)} violation(s) on {name or page.url}:\n" + (
        describe_violations(violations)
    )


def assert_fits_the_width(page: Page, width: int) -> None:
    """No horizontal scrolling: the document is no wider than the viewport."""
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            """(width) => [...document.querySelectorAll('body *')]
                .filter((el) => el.getBoundingClientRect().right > width + 1)
                .slice(0, 5)
                .map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.classList.value : ''))""",
            width,
        )
        pytest.fail(f"{page.url} scrolls sideways at {width}px (scrollWidth {scroll_width}); too wide: {culprits}")


def screenshot(page: Page, name: str, width: int) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
