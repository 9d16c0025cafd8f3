"""Who may call each attachment route (read by the route walker in tests/test_route_rules.py)."""

from __future__ import annotations

_ONE = "/api/v1/challenges/{slug}/submissions/{submission_id}"
_PAGE = "/challenges/{slug}/submissions/{submission_id}"

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("POST", _ONE + "/attachments"): "signed-in",
    ("GET", _ONE + "/attachments/{attachment_id}"): "public",
    ("DELETE", _ONE + "/attachments/{attachment_id}"): "signed-in",
    ("POST", _PAGE + "/attachments"): "signed-in",
    ("POST", _PAGE + "/attachments/{attachment_id}/remove"): "signed-in",
}
