"""What a domain mounts: its API routers, its page routers, and routers that stand outside both."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path


@dataclass(frozen=True)
class Routers:
    """A domain's routers, in the order they must be matched.

    `api` go under /api/v1 (documented, CSRF-checked, write-limited); `pages` are the human pages (CSRF-checked,
    left out of the API document); `root` are mounted as they are (health checks, one-click links from emails)."""

    api: Sequence[APIRouter] = ()
    pages: Sequence[APIRouter] = ()
    root: Sequence[APIRouter] = ()


def allowed_methods(routes: Sequence[BaseRoute], path: str) -> list[str]:
    """Every method some route answers at `path`. A path's methods are often split over several routes (GET and POST
    are two handlers), and the router's 405 names only the first route's."""
    methods: set[str] = set()
    for route in iter_route_contexts(routes):
        if route.methods and route.path is not None and compile_path(route.path)[0].match(path):
            methods |= route.methods
    return sorted(methods)
