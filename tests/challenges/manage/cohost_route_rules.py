"""Who may call the co-host and copy-as-template pages (read by the route walker in tests/test_route_rules.py)."""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", "/manage/challenges/{slug}/co-hosts"): "signed-in",
    ("POST", "/manage/challenges/{slug}/co-hosts"): "signed-in",
    ("POST", "/manage/challenges/{slug}/co-hosts/{org_slug}/remove"): "signed-in",
    ("GET", "/manage/challenges/{slug}/copy"): "signed-in",
    ("POST", "/manage/challenges/{slug}/copy"): "signed-in",
}
