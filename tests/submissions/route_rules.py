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

_PAGE = "/challenges/{slug}/submissions/{submission_id}"

ROUTE_RULES.update(
    {
        ("GET", "/challenges/{slug}/submissions/new"): "signed-in",
        ("POST", "/challenges/{slug}/submissions/new"): "signed-in",
        ("GET", _PAGE): "public",
        ("GET", _PAGE + "/edit"): "signed-in",
        ("POST", _PAGE + "/edit"): "signed-in",
        ("POST", _PAGE + "/terms"): "signed-in",
        ("POST", _PAGE + "/submit"): "signed-in",
        ("POST", _PAGE + "/withdraw"): "signed-in",
        ("POST", _PAGE + "/invitations"): "signed-in",
        ("POST", _PAGE + "/invitations/{invitation_id}/revoke"): "signed-in",
        ("POST", _PAGE + "/lead"): "signed-in",
        ("POST", _PAGE + "/members/{user_id}/remove"): "signed-in",
        ("POST", _PAGE + "/attachments"): "signed-in",
        ("POST", _PAGE + "/attachments/{attachment_id}/remove"): "signed-in",
        ("GET", _PAGE + "/versions"): "public",
        ("GET", "/team-invitations/{token}"): "public",
        ("POST", "/team-invitations/{token}/accept"): "signed-in",
        ("POST", "/team-invitations/{token}/decline"): "signed-in",
        ("GET", "/account/submissions"): "signed-in",
    }
)
