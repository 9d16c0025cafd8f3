"""Who may call each challenges route: "public", "signed-in" or "platform-admin" (read by the route walker)."""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/challenges"): "public",
    ("GET", "/api/v1/challenges/{slug}"): "public",
    ("POST", "/api/v1/challenges"): "signed-in",
    ("PATCH", "/api/v1/challenges/{slug}"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/publish"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/cancel"): "signed-in",
    ("PUT", "/api/v1/challenges/{slug}/criteria"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/co-hosts"): "signed-in",
    ("DELETE", "/api/v1/challenges/{slug}/co-hosts/{org_slug}"): "signed-in",
    ("POST", "/api/v1/challenges/{slug}/copy"): "signed-in",
    ("PUT", "/api/v1/challenges/{slug}/cover"): "signed-in",
    ("DELETE", "/api/v1/challenges/{slug}/cover"): "signed-in",
    ("GET", "/challenges"): "public",
    ("GET", "/challenges/{slug}"): "public",
    ("GET", "/challenges/{slug}/cover/{sha256}"): "public",
    ("GET", "/manage/challenges/new"): "signed-in",
    ("POST", "/manage/challenges/new"): "signed-in",
    ("GET", "/manage/challenges/{slug}/edit"): "signed-in",
    ("POST", "/manage/challenges/{slug}/edit"): "signed-in",
    ("GET", "/manage/challenges/{slug}/criteria"): "signed-in",
    ("POST", "/manage/challenges/{slug}/criteria"): "signed-in",
    ("POST", "/manage/challenges/{slug}/publish"): "signed-in",
    ("POST", "/manage/challenges/{slug}/cancel"): "signed-in",
}
