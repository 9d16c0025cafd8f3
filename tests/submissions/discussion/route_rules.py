"""Who may call the comments and feedback routes (read by tests/test_route_rules.py)."""

from __future__ import annotations

_API = "/api/v1/challenges/{slug}/submissions/{submission_id}"
_PAGE = "/challenges/{slug}/submissions/{submission_id}"

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("POST", _API + "/comments"): "signed-in",
    ("GET", _API + "/comments"): "public",
    ("PATCH", _API + "/comments/{comment_id}"): "signed-in",
    ("DELETE", _API + "/comments/{comment_id}"): "signed-in",
    ("POST", _API + "/feedback"): "signed-in",
    ("GET", _API + "/feedback"): "public",  # answers 404 to anyone but the team and the hosts
    ("PATCH", _API + "/feedback/{feedback_id}"): "signed-in",
    ("POST", _PAGE + "/comments"): "signed-in",
    ("GET", _PAGE + "/comments/{comment_id}/reply"): "signed-in",
    ("GET", _PAGE + "/comments/{comment_id}/edit"): "signed-in",
    ("POST", _PAGE + "/comments/{comment_id}/edit"): "signed-in",
    ("POST", _PAGE + "/comments/{comment_id}/delete"): "signed-in",
    ("POST", _PAGE + "/feedback"): "signed-in",
    ("GET", _PAGE + "/feedback/{feedback_id}/edit"): "signed-in",
    ("POST", _PAGE + "/feedback/{feedback_id}/edit"): "signed-in",
}
