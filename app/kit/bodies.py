"""Request bodies are capped before they are read: small for forms and JSON, larger only where a route takes files.

A route that takes files says so with `@takes_files(max_bytes=…)` on its handler; the app builds the table of
limits from its routes, and the body guard (app/middleware.py) applies it before anything reads the body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi.routing import iter_route_contexts
from starlette.routing import BaseRoute, compile_path

# The longest concept (50,000 characters, 4 bytes each in UTF-8, 3 once form-encoded) fits with room to spare.
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
# A multipart body holds the file plus its boundary, headers and the form's other fields.
MULTIPART_ALLOWANCE_BYTES = 256 * 1024
MAX_BODY_ATTRIBUTE = "samskap_max_body_bytes"

Handler = TypeVar("Handler", bound=Callable[..., Any])


def takes_files(*, max_bytes: int) -> Callable[[Handler], Handler]:
    """Mark a handler whose body may hold files of up to `max_bytes` in all."""

    def mark(handler: Handler) -> Handler:
        setattr(handler, MAX_BODY_ATTRIBUTE, max_bytes + MULTIPART_ALLOWANCE_BYTES)
        return handler

    return mark


BodyLimits = list[tuple[re.Pattern[str], int]]


def limits_of(routes: Iterable[BaseRoute]) -> BodyLimits:
    """(path pattern, most bytes) for every route whose handler takes files."""
    limits: BodyLimits = []
    for context in iter_route_contexts(list(routes)):
        max_bytes = getattr(context.endpoint, MAX_BODY_ATTRIBUTE, None)
        if isinstance(max_bytes, int) and context.path is not None:
            limits.append((compile_path(context.path)[0], max_bytes))
    return limits


def patterns_of(routes: Iterable[BaseRoute]) -> list[re.Pattern[str]]:
    """The path patterns of `routes` (to tell, before routing, whether a request is for one of them)."""
    return [compile_path(context.path)[0] for context in iter_route_contexts(list(routes)) if context.path]


def limit_for(limits: BodyLimits, path: str) -> int:
    """The most bytes a body sent to `path` may have."""
    return max((max_bytes for pattern, max_bytes in limits if pattern.match(path)), default=DEFAULT_MAX_BODY_BYTES)
