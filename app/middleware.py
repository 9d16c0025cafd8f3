"""Per-request context: request id, language, CSRF cookie, security headers, access log."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import i18n
from app.config import get_settings
from app.errors import AppError, CsrfFailed, PayloadTooLarge
from app.i18n import gettext as _
from app.kit import bodies
from app.logging import request_id_var
from app.security import (
    CSRF_COOKIE,
    LANGUAGE_COOKIE,
    SAFE_METHODS,
    SESSION_COOKIE,
    bearer_token,
    csrf_token_for,
    new_token,
)

logger = logging.getLogger("samskap.request")
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


def choose_language(request: Request) -> str:
    """The user's explicit choice (cookie), then Accept-Language, then the platform default."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    return i18n.negotiate(request.headers.get("accept-language")) or get_settings().default_language


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        incoming_id = request.headers.get("x-request-id", "")
        request_id = incoming_id if _SAFE_REQUEST_ID.match(incoming_id) else uuid.uuid4().hex
        request_id_var.set(request_id)
        language = choose_language(request)
        i18n.set_language(language)
        csrf_nonce = request.cookies.get(CSRF_COOKIE)
        new_csrf = None
        if not csrf_nonce or len(csrf_nonce) < 32:
            csrf_nonce = new_csrf = new_token()
        csrf_token = csrf_token_for(request.cookies.get(SESSION_COOKIE) or csrf_nonce)
        state = scope.setdefault("state", {})
        state.update(request_id=request_id, language=language, csrf_token=csrf_token)
        settings = get_settings()
        started = time.perf_counter()
        status_holder = {"status": 500}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = request_id
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
                headers["X-Frame-Options"] = "DENY"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if settings.is_production:
                    headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
                headers.append("Vary", "Accept-Language, Cookie")
                if new_csrf is not None:
                    secure = "; Secure" if settings.is_production else ""
                    headers.append(
                        "Set-Cookie",
                        f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Lax{secure}",
                    )
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            logger.info(
                "%s %s %s",
                scope["method"],
                scope["path"],
                status_holder["status"],
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status_holder["status"],
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                },
            )


class RefusedBeforeReading(HTTPException):
    """A refusal raised while a body is being read. FastAPI passes on only HTTP exceptions from reading a body
    (anything else becomes a 400), so the app's error is carried inside one and rendered as itself."""

    def __init__(self, error: AppError) -> None:
        super().__init__(error.status, error.detail)
        self.error = error


class BodyGuardMiddleware:
    """Refuses a body before the app reads it: one larger than its route allows (by its Content-Length, or as soon
    as the bytes pass the limit), and a browser's state-changing request that has no cookie a CSRF token could
    match (so no form is parsed for a request that cannot pass the CSRF check)."""

    def __init__(self, app: ASGIApp, limits: bodies.BodyLimits, csrf_free: list[re.Pattern[str]]) -> None:
        self.app = app
        self.limits = limits
        # Routes that take no CSRF token (one-click links from emails, posted by mail clients without cookies).
        self.csrf_free = csrf_free

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = bodies.limit_for(self.limits, scope["path"])
        if limit > bodies.DEFAULT_MAX_BODY_BYTES:
            exact = await run_in_threadpool(bodies.exact_limit_for, self.limits, scope["path"])
            limit = exact if exact is not None else limit
        csrf_checked = not any(pattern.match(scope["path"]) for pattern in self.csrf_free)
        refused = _refused_before_reading(request, limit, csrf_checked=csrf_checked)
        received = 0

        async def guarded_receive() -> Message:
            # The refusal is made here, inside the app, so its message is in the language chosen for the request.
            nonlocal received
            if refused is not None:
                raise RefusedBeforeReading(refused(limit))
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RefusedBeforeReading(_too_large(limit))
            return message

        await self.app(scope, guarded_receive, send)


def _too_large(limit: int) -> AppError:
    megabytes = max(1, round(limit / (1024 * 1024)))
    return PayloadTooLarge(_("What you sent is larger than this form accepts (%(size)d MB).") % {"size": megabytes})


def _no_csrf_binding(limit: int) -> AppError:
    return CsrfFailed(_("The form has expired or was sent from another site. Please try again."))


def _refused_before_reading(request: Request, limit: int, *, csrf_checked: bool) -> Callable[[int], AppError] | None:
    """Why the body must not be read at all (a refusal to make), or None."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return _too_large
    from_a_browser = bearer_token(request) is None
    has_a_csrf_binding = bool(request.cookies.get(CSRF_COOKIE) or request.cookies.get(SESSION_COOKIE))
    if csrf_checked and from_a_browser and not has_a_csrf_binding:
        return _no_csrf_binding
    return None
