"""Page size caps and the `next` link of a page (app/kit/pagination.py)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from pydantic import ValidationError
from starlette.datastructures import URL

from app.kit.pagination import MAX_PAGE_SIZE, Page, next_page_url, page_size

LIST_URL = URL("http://testserver/api/v1/organisations?q=park&page=1&size=20")


@pytest.mark.parametrize(
    ("asked", "served"),
    [
        (-5, 1),
        (0, 1),
        (1, 1),
        (20, 20),
        (MAX_PAGE_SIZE, MAX_PAGE_SIZE),
        (MAX_PAGE_SIZE + 1, MAX_PAGE_SIZE),
        (10**9, 100),
    ],
)
def test_a_page_size_above_the_cap_is_served_as_the_cap(asked: int, served: int) -> None:
    assert page_size(asked) == served


def test_a_list_may_have_a_lower_cap() -> None:
    assert page_size(50, cap=20) == 20
    assert page_size(10, cap=20) == 10


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_middle_page_links_to_the_next_one_keeping_the_filters() -> None:
    following = next_page_url(LIST_URL, page=2, size=20, total=45)
    assert following is not None
    assert following.startswith("http://testserver/api/v1/organisations?")
    assert query(following) == {"q": ["park"], "page": ["3"], "size": ["20"]}


def test_the_first_page_links_to_the_second() -> None:
    following = next_page_url(LIST_URL, page=1, size=20, total=21)
    assert following is not None
    assert query(following)["page"] == ["2"]


@pytest.mark.parametrize(
    ("page", "size", "total"),
    [(3, 20, 45), (2, 20, 40), (1, 20, 20), (1, 20, 0), (5, 20, 45)],
    ids=["last page, partly full", "last page, exactly full", "the only page", "an empty list", "beyond the end"],
)
def test_the_last_page_has_no_next_link(page: int, size: int, total: int) -> None:
    assert next_page_url(LIST_URL, page=page, size=size, total=total) is None


def test_a_page_knows_its_items_and_next_link() -> None:
    page = Page[int](items=[1, 2], page=1, size=2, total=3, next="http://testserver/x?page=2&size=2")
    assert page.model_dump() == {
        "items": [1, 2],
        "page": 1,
        "size": 2,
        "total": 3,
        "next": "http://testserver/x?page=2&size=2",
    }
    assert Page[int](items=[], page=1, size=20, total=0).next is None


@pytest.mark.parametrize("fields", [{"page": 0}, {"size": 0}, {"size": MAX_PAGE_SIZE + 1}, {"total": -1}], ids=str)
def test_a_page_out_of_bounds_is_refused(fields: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        Page[int](**{"items": [], "page": 1, "size": 20, "total": 0, **fields})
