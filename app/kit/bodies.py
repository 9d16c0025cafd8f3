"""Request bodies are capped before they are read: small for forms and JSON, larger only where a route takes files.

A route that takes files says so with `@takes_files(max_bytes=…)` on its handler; the app builds the table of
limits from its routes, and the body guard (app/middleware.py) applies it before anything reads the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path

# The longest concept (50,000 characters, 4 bytes each in UTF-8, 3 once form-encoded) fits with room to spare.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# A multipart body holds the file plus its boundary, headers and the form's other fields.
MULTIPART_ALLOWANCE_BYTES = 256 * 1024
MAX_BODY_ATTRIBUTE = "samskap_max_body_bytes"

Handler = TypeVar("Handler", bound=Callable[..., Any])
# The exact limit for one request from its path parameters (a challenge's own file size), or None when unknown.
ExactLimit = Callable[[Mapping[str, str]], int | None]


@dataclass(frozen=True)
class BodyLimit:
    """How large a body a route takes: at most `most` bytes, less where `exact` says so for the request."""

    pattern: re.Pattern[str]
    most: int
    exact: ExactLimit | None = None


def takes_files(*, max_bytes: int, exact: ExactLimit | None = None) -> Callable[[Handler], Handler]:
    """Mark a handler whose body may hold files of up to `max_bytes` in all (or of `exact`'s bytes, when it knows).

    `exact` runs before the body is read, in a worker thread (it may read the database)."""

    def mark(handler: Handler) -> Handler:
        setattr(handler, MAX_BODY_ATTRIBUTE, (max_bytes + MULTIPART_ALLOWANCE_BYTES, exact))
        return handler

    return mark


BodyLimits = list[BodyLimit]


def limits_of(routes: Iterable[BaseRoute]) -> BodyLimits:
    """The limit of every route whose handler takes files."""
    limits: BodyLimits = []
    for context in iter_route_contexts(list(routes)):
        marked = getattr(context.endpoint, MAX_BODY_ATTRIBUTE, None)
        if isinstance(marked, tuple) and context.path is not None:
            most, exact = marked
            limits.append(BodyLimit(compile_path(context.path)[0], most, exact))
    return limits


def patterns_of(routes: Iterable[BaseRoute]) -> list[re.Pattern[str]]:
    """The path patterns of `routes` (to tell, before routing, whether a request is for one of them)."""
    return [compile_path(context.path)[0] for context in iter_route_contexts(list(routes)) if context.path]


def limit_for(limits: BodyLimits, path: str) -> int:
    """The most bytes a body sent to `path` may have, by its route alone."""
    return max((limit.most for limit in limits if limit.pattern.match(path)), default=DEFAULT_MAX_BODY_BYTES)


def exact_limit_for(limits: BodyLimits, path: str) -> int | None:
    """The request's own limit where its route knows one (e.g. the challenge's file size), else None."""
    for limit in limits:
        match = limit.pattern.match(path)
        if match and limit.exact is not None:
            exact = limit.exact(match.groupdict())
            return None if exact is None else min(limit.most, exact + MULTIPART_ALLOWANCE_BYTES)
    return None
