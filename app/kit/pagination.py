"""One page of a list: `Page[T]`, the page-size rule and the `next` link."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field
from starlette.datastructures import URL

T = TypeVar("T")

MAX_PAGE_SIZE = 100
# Page numbers beyond this would make offsets the databases cannot bind.
MAX_PAGE = 1_000_000


class Page(BaseModel, Generic[T]):
    """One page of a list; `next` is the address of the following page, or null on the last one."""

    items: list[T]
    page: int = Field(ge=1, examples=[1])
    size: int = Field(ge=1, le=MAX_PAGE_SIZE, examples=[20])
    total: int = Field(ge=0, examples=[42])
    next: str | None = Field(default=None, examples=["http://testserver/api/v1/organisations?page=2&size=20"])


def page_size(size: int, *, cap: int = MAX_PAGE_SIZE) -> int:
    """Sizes above the cap are served as the cap, not refused."""
    return max(1, min(size, cap))


def next_page_url(url: URL, *, page: int, size: int, total: int) -> str | None:
    """The address of the page after `page`, or None when `page` is the last one."""
    if page * size >= total:
        return None
    return str(url.include_query_params(page=page + 1, size=size))
