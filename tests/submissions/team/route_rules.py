"""Who may call each team-finder and join-request route (read by the route walker in tests/test_route_rules.py)."""

from __future__ import annotations

_API = "/api/v1/challenges/{slug}"

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", _API + "/team-finder"): "public",
    ("PUT", _API + "/team-finder/me"): "signed-in",
    ("DELETE", _API + "/team-finder/me"): "signed-in",
    ("POST", _API + "/submissions/{submission_id}/join-requests"): "signed-in",
    ("GET", _API + "/submissions/{submission_id}/join-requests"): "signed-in",
    ("GET", _API + "/join-requests"): "signed-in",
    ("POST", _API + "/join-requests/{request_id}/accept"): "signed-in",
    ("POST", _API + "/join-requests/{request_id}/decline"): "signed-in",
    ("POST", _API + "/join-requests/{request_id}/withdraw"): "signed-in",
}

ROUTE_RULES.update(
    {
        ("GET", "/challenges/{slug}/team-finder"): "public",
        ("POST", "/challenges/{slug}/team-finder"): "signed-in",
        ("POST", "/challenges/{slug}/team-finder/remove"): "signed-in",
        ("POST", "/challenges/{slug}/submissions/{submission_id}/join-requests"): "signed-in",
        ("POST", "/challenges/{slug}/join-requests/{request_id}/accept"): "signed-in",
        ("POST", "/challenges/{slug}/join-requests/{request_id}/decline"): "signed-in",
        ("POST", "/challenges/{slug}/join-requests/{request_id}/withdraw"): "signed-in",
    }
)
