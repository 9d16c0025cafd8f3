"""Render every error once for the API (RFC 9457 problem+json) and once for people (a page)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.errors import PROBLEM_JSON, AppError, TooManyRequests, Unauthenticated, problem_type_uri
from app.i18n import gettext as _
from app.kit import routing
from app.middleware import RefusedBeforeReading
from app.templating import render

logger = logging.getLogger("samskap.errors")

_HTTP_TYPES: dict[int, tuple[str, str]] = {
    400: ("bad-request", "Bad request"),
    401: ("unauthenticated", "Sign-in required"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("validation-failed", "Validation failed"),
    429: ("too-many-requests", "Too many requests"),
    500: ("internal-error", "Internal server error"),
}


def wants_problem_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def problem_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _page_messages(status: int) -> tuple[str, str]:
    messages = {
        401: (_("Please sign in"), _("You need to sign in to see this page.")),
        403: (_("You do not have access"), _("You do not have permission to do this.")),
        404: (_("Page not found"), _("We could not find the page you asked for. It may have moved or been removed.")),
        413: (_("Too large to send"), _("What you sent is larger than this form accepts. Choose a smaller file.")),
        429: (_("Too many attempts"), _("Please wait a little and try again.")),
        500: (
            _("Something went wrong"),
            _("An error on our side stopped this page. We have logged it; please try again later."),
        ),
    }  # fmt: skip
    return messages.get(status, (_("Something went wrong"), _("The request could not be completed.")))


def error_page(
    request: Request, status: int, detail: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    title, message = _page_messages(status)
    response = render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": detail or message},
        status_code=status,
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


async def handle_app_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, AppError)  # noqa: S101  (registered for AppError only)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else None
    if wants_problem_json(request):
        if isinstance(error, Unauthenticated):
            headers = {"WWW-Authenticate": 'Bearer realm="samskap"'}
        return problem_response(error.status, error.problem(request.url.path), headers)
    if isinstance(error, Unauthenticated):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""), safe="")
        return RedirectResponse(f"/account/sign-in?next={target}", status_code=303)
    return error_page(request, error.status, error.detail, headers)


async def handle_validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)  # noqa: S101
    if not wants_problem_json(request):
        return error_page(request, 400, _("The form could not be read. Please go back and try again."))
    errors = [
        {
            # The first part says where (body, query, path…); a field may itself be called "body".
            "field": ".".join(str(part) for part in item.get("loc", ())[1:]),
            "message": item.get("msg", ""),
            "location": str(item.get("loc", ("",))[0]),
        }
        for item in error.errors()
    ]
    body = {
        "type": problem_type_uri("validation-failed"),
        "title": "Validation failed",
        "status": 422,
        "detail": "The request has invalid or missing fields.",
        "instance": request.url.path,
        "errors": errors,
    }
    return problem_response(422, body)


async def handle_http_exception(request: Request, error: Exception) -> Response:
    assert isinstance(error, StarletteHTTPException)  # noqa: S101
    status = error.status_code
    headers = dict(error.headers or {})
    if status == 405:
        headers["Allow"] = ", ".join(routing.allowed_methods(request.app.routes, request.url.path))
    if wants_problem_json(request):
        slug, title = _HTTP_TYPES.get(status, ("http-error", "HTTP error"))
        detail = error.detail if isinstance(error.detail, str) and error.detail != title else title
        body = {"type": problem_type_uri(slug), "title": title, "status": status, "detail": detail,
                "instance": request.url.path}  # fmt: skip
        return problem_response(status, body, headers)
    return error_page(request, status, None, headers)


async def handle_refused_before_reading(request: Request, error: Exception) -> Response:
    assert isinstance(error, RefusedBeforeReading)  # noqa: S101
    return await handle_app_error(request, error.error)


async def handle_unstorable_value(request: Request, error: Exception) -> Response:
    """A value the database refuses to store or compare (e.g. NUL in text on PostgreSQL) is bad input, not a crash."""
    logger.warning("Database refused a value on %s %s: %s", request.method, request.url.path, error)
    if wants_problem_json(request):
        body = {"type": problem_type_uri("bad-request"), "title": "Bad request", "status": 400,
                "detail": "The request contains a value that cannot be stored.",
                "instance": request.url.path}  # fmt: skip
        return problem_response(400, body)
    return error_page(request, 400)


async def handle_unexpected(request: Request, error: Exception) -> Response:
    logger.exception("Unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    if wants_problem_json(request):
        body = {"type": problem_type_uri("internal-error"), "title": "Internal server error", "status": 500,
                "detail": "An unexpected error occurred.", "instance": request.url.path,
                "request_id": getattr(request.state, "request_id", "")}  # fmt: skip
        return problem_response(500, body)
    return error_page(request, 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(AppError, handle_app_error)
    app.add_exception_handler(RequestValidationError, handle_validation_error)
    app.add_exception_handler(StarletteHTTPException, handle_http_exception)
    app.add_exception_handler(RefusedBeforeReading, handle_refused_before_reading)
    app.add_exception_handler(DataError, handle_unstorable_value)
    app.add_exception_handler(Exception, handle_unexpected)
