"""Who may call each team, team-finder and join-request route (read by tests/test_route_rules.py)."""

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

# A concept's team: invitations, the lead hand-over, leaving.
_ONE = "/api/v1/challenges/{slug}/submissions/{submission_id}"
_PAGE = "/challenges/{slug}/submissions/{submission_id}"

ROUTE_RULES.update(
    {
        ("POST", _ONE + "/invitations"): "signed-in",
        ("GET", _ONE + "/invitations"): "public",
        ("DELETE", _ONE + "/invitations/{invitation_id}"): "signed-in",
        ("POST", "/api/v1/team-invitations/{token}/accept"): "signed-in",
        ("POST", "/api/v1/team-invitations/{token}/decline"): "signed-in",
        ("POST", _ONE + "/lead"): "signed-in",
        ("DELETE", _ONE + "/members/{user_id}"): "signed-in",
        ("POST", _PAGE + "/invitations"): "signed-in",
        ("POST", _PAGE + "/invitations/{invitation_id}/revoke"): "signed-in",
        ("POST", _PAGE + "/lead"): "signed-in",
        ("POST", _PAGE + "/members/{user_id}/remove"): "signed-in",
        ("GET", "/team-invitations/{token}"): "public",
        ("POST", "/team-invitations/{token}/accept"): "signed-in",
        ("POST", "/team-invitations/{token}/decline"): "signed-in",
    }
)
