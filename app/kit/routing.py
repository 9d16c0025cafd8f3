"""What a domain mounts: its API routers, its page routers, and routers that stand outside both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter


@dataclass(frozen=True)
class Routers:
    """A domain's routers, in the order they must be matched.

    `api` go under /api/v1 (documented, CSRF-checked, write-limited); `pages` are the human pages (CSRF-checked,
    left out of the API document); `root` are mounted as they are (health checks, one-click links from emails)."""

    api: Sequence[APIRouter] = ()
    pages: Sequence[APIRouter] = ()
    root: Sequence[APIRouter] = ()
