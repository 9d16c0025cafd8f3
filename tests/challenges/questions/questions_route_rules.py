"""Who may call each Q&A route (read by the route walker in tests/test_route_rules.py)."""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/challenges/{slug}/questions"): "public",
    ("GET", "/api/v1/challenges/{slug}/questions/{question_id}"): "public",
    ("POST", "/api/v1/challenges/{slug}/questions"): "signed-in",
    ("PATCH", "/api/v1/challenges/{slug}/questions/{question_id}"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/questions/{question_id}/answer"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/questions/{question_id}/merge"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/questions/{question_id}/hide"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/questions/{question_id}/unhide"): "signed-in",
    ("GET", "/challenges/{slug}/questions/new"): "signed-in",
    ("POST", "/challenges/{slug}/questions"): "signed-in",
    ("GET", "/challenges/{slug}/questions/{question_id}/edit"): "signed-in",
    ("POST", "/challenges/{slug}/questions/{question_id}/edit"): "signed-in",
    ("GET", "/manage/challenges/{slug}/questions"): "signed-in",
    ("POST", "/manage/challenges/{slug}/questions/{question_id}/answer"): "signed-in",
    ("POST", "/manage/challenges/{slug}/questions/{question_id}/merge"): "signed-in",
    ("POST", "/manage/challenges/{slug}/questions/{question_id}/hide"): "signed-in",
    ("POST", "/manage/challenges/{slug}/questions/{question_id}/unhide"): "signed-in",
}
