"""Who may call the reports and moderation routes (read by tests/test_route_rules.py)."""

from __future__ import annotations

_API = "/api/v1/challenges/{slug}/submissions/{submission_id}"
_PAGE = "/challenges/{slug}/submissions/{submission_id}"
_QUEUE = "/manage/challenges/{slug}/moderation"

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/reports"): "signed-in",
    ("GET", "/api/v1/challenges/{slug}/moderation"): "signed-in",
    ("POST", "/api/v1/reports/{report_id}/dismiss"): "signed-in",
    ("POST", "/api/v1/reports/{report_id}/hide"): "signed-in",
    ("POST", "/api/v1/reports/{report_id}/restore"): "signed-in",
    ("GET", _PAGE + "/report"): "signed-in",
    ("POST", _PAGE + "/report"): "signed-in",
    ("GET", _PAGE + "/comments/{comment_id}/report"): "signed-in",
    ("POST", _PAGE + "/comments/{comment_id}/report"): "signed-in",
    ("POST", _API + "/hide"): "signed-in",
    ("POST", _API + "/comments/{comment_id}/hide"): "signed-in",
    ("GET", _PAGE + "/hide"): "signed-in",
    ("POST", _PAGE + "/hide"): "signed-in",
    ("GET", _PAGE + "/comments/{comment_id}/hide"): "signed-in",
    ("POST", _PAGE + "/comments/{comment_id}/hide"): "signed-in",
    ("GET", _QUEUE): "signed-in",
    ("POST", _QUEUE + "/{target_type}/{target_id}/hide"): "signed-in",
    ("POST", _QUEUE + "/{target_type}/{target_id}/restore"): "signed-in",
    ("POST", _QUEUE + "/{target_type}/{target_id}/dismiss"): "signed-in",
}
