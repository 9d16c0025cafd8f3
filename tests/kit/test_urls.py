"""Public addresses, absolute links from the configured base URL, and safe `next` targets (app/kit/urls.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from unittest import mock

import pytest

from app.config import get_settings
from app.kit import urls


@pytest.fixture
def configured_base_url() -> Iterator[str]:
    """The installation is configured to live at https://samskap.example.org/ (with a trailing slash)."""
    with mock.patch.dict(os.environ, {"SAMSKAP_BASE_URL": "https://samskap.example.org/"}):
        get_settings.cache_clear()
        try:
            yield "https://samskap.example.org"
        finally:
            get_settings.cache_clear()


@pytest.mark.parametrize(
    ("built", "address"),
    [
        (urls.organisation("bymiljo"), "/organisations/bymiljo"),
        (urls.organisation("bymiljo", "/members"), "/organisations/bymiljo/members"),
        (urls.challenge("gronne-tak"), "/challenges/gronne-tak"),
        (urls.challenge("gronne-tak", "/team-finder"), "/challenges/gronne-tak/team-finder"),
        (urls.challenge("gronne-tak", anchor="follow"), "/challenges/gronne-tak#follow"),
        (urls.concept("gronne-tak", 7), "/challenges/gronne-tak/submissions/7"),
        (urls.concept("gronne-tak", 7, "/edit", anchor="team"), "/challenges/gronne-tak/submissions/7/edit#team"),
        (urls.manage_challenge("gronne-tak"), "/manage/challenges/gronne-tak"),
        (urls.manage_challenge("gronne-tak", "/questions", anchor="q3"), "/manage/challenges/gronne-tak/questions#q3"),
        (urls.api_challenge("gronne-tak"), "/api/v1/challenges/gronne-tak"),
        (urls.api_challenge("gronne-tak", "/follow"), "/api/v1/challenges/gronne-tak/follow"),
        (urls.api_concept("gronne-tak", 7), "/api/v1/challenges/gronne-tak/submissions/7"),
        (urls.api_concept("gronne-tak", 7, "/submit"), "/api/v1/challenges/gronne-tak/submissions/7/submit"),
    ],
)
def test_each_address_is_built_the_same_way(built: str, address: str) -> None:
    assert built == address


def test_an_absolute_link_uses_the_configured_base_url(configured_base_url: str) -> None:
    assert urls.absolute("/challenges/gronne-tak") == "https://samskap.example.org/challenges/gronne-tak"


def test_invitation_links_are_absolute(configured_base_url: str) -> None:
    assert urls.organisation_invitation("tok3n") == "https://samskap.example.org/invitations/tok3n"
    assert urls.team_invitation("tok3n") == "https://samskap.example.org/team-invitations/tok3n"


def test_an_absolute_link_follows_the_settings_of_the_running_installation() -> None:
    assert urls.absolute("/x") == get_settings().base_url + "/x"


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "//evil.example",
        "https://evil.example",
        "\\\\evil.example",
        "/\\evil.example",
        "evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "javascript:alert(1)",
        "/ok\\..\\..\\evil",
    ],
)
def test_a_next_target_that_could_leave_the_site_becomes_the_default(target: str | None) -> None:
    assert urls.safe_next(target) == "/"
    assert urls.safe_next(target, "/account") == "/account"


@pytest.mark.parametrize("target", ["/", "/challenges?x=1", "/challenges/gronne-tak#follow", "/account/settings"])
def test_a_local_next_target_is_kept(target: str) -> None:
    assert urls.safe_next(target, "/account") == target
