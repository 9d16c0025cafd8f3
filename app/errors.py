"""One error hierarchy, rendered as RFC 9457 problem+json for the API and as a page for people."""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_JSON = "application/problem+json"


class AppError(Exception):
    """A refusal with an HTTP status and a stable `type` slug (part of the API contract)."""

    status: ClassVar[int] = 400
    type: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 body for this error."""
        body: dict[str, Any] = {
            "type": problem_type_uri(self.type),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body


def problem_type_uri(slug: str) -> str:
    return f"/problems/{slug}"


class NotFound(AppError):
    status, type, title = 404, "not-found", "Not found"


class Unauthenticated(AppError):
    status, type, title = 401, "unauthenticated", "Sign-in required"


class Forbidden(AppError):
    status, type, title = 403, "forbidden", "Forbidden"


class Conflict(AppError):
    status, type, title = 409, "conflict", "Conflict"


class PhaseClosed(Conflict):
    type, title = "phase-closed", "Phase closed"


class PayloadTooLarge(AppError):
    status, type, title = 413, "payload-too-large", "Payload too large"


class UnsupportedMediaType(AppError):
    status, type, title = 415, "unsupported-media-type", "Unsupported media type"


class CsrfFailed(AppError):
    status, type, title = 403, "csrf-failed", "Form expired"


class TooManyRequests(AppError):
    status, type, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = max(1, retry_after)


class ValidationFailed(AppError):
    """Input broke a rule; `errors` maps field names to messages people can act on."""

    status, type, title = 422, "validation-failed", "Validation failed"

    def __init__(self, detail: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.errors = errors or {}

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        body = super().problem(instance)
        body["errors"] = [{"field": field, "message": message} for field, message in self.errors.items()]
        return body
