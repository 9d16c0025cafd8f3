"""Who may call each follows route: "public", "signed-in" or "platform-admin" (read by the route walker)."""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    # API
    ("PUT", "/api/v1/challenges/{slug}/follow"): "signed-in",
    ("DELETE", "/api/v1/challenges/{slug}/follow"): "signed-in",
    ("GET", "/api/v1/me/follows"): "signed-in",
    # Pages
    ("POST", "/challenges/{slug}/follow"): "signed-in",
    ("POST", "/challenges/{slug}/unfollow"): "signed-in",
    ("POST", "/account/email-frequency"): "signed-in",
    # The signed link in every follow email is the permission: no sign-in.
    ("GET", "/unfollow/{token}"): "public",
    ("POST", "/unfollow/{token}"): "public",
}
