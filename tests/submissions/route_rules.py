"""Who may call each submissions route: "public", "signed-in" or "platform-admin" (read by the route walker)."""

from __future__ import annotations

_ONE = "/api/v1/challenges/{slug}/submissions/{submission_id}"

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/challenges/{slug}/submissions"): "signed-in",
    ("GET", "/api/v1/challenges/{slug}/submissions"): "public",
    ("GET", _ONE): "public",
    ("PATCH", _ONE): "signed-in",
    ("POST", _ONE + "/terms"): "signed-in",
    ("POST", _ONE + "/submit"): "signed-in",
    ("POST", _ONE + "/withdraw"): "signed-in",
    ("GET", _ONE + "/versions"): "public",
    ("GET", _ONE + "/versions/{number}"): "public",
    ("GET", _ONE + "/diff"): "public",
    ("POST", _ONE + "/invitations"): "signed-in",
    ("GET", _ONE + "/invitations"): "public",
    ("DELETE", _ONE + "/invitations/{invitation_id}"): "signed-in",
    ("POST", "/api/v1/team-invitations/{token}/accept"): "signed-in",
    ("POST", "/api/v1/team-invitations/{token}/decline"): "signed-in",
    ("POST", _ONE + "/lead"): "signed-in",
    ("DELETE", _ONE + "/members/{user_id}"): "signed-in",
    ("POST", _ONE + "/attachments"): "signed-in",
    ("GET", _ONE + "/attachments/{attachment_id}"): "public",
    ("DELETE", _ONE + "/attachments/{attachment_id}"): "signed-in",
}
