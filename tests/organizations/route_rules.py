"""Who may call each organisations route: "public", "signed-in" or "platform-admin" (read by the route walker)."""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    # API
    ("GET", "/api/v1/organisations"): "public",
    ("POST", "/api/v1/organisations"): "platform-admin",
    ("GET", "/api/v1/organisations/{slug}"): "public",
    ("PATCH", "/api/v1/organisations/{slug}"): "signed-in",
    ("PUT", "/api/v1/organisations/{slug}/logo"): "signed-in",
    ("GET", "/api/v1/organisations/{slug}/members"): "signed-in",
    ("PATCH", "/api/v1/organisations/{slug}/members/{user_id}"): "signed-in",
    ("DELETE", "/api/v1/organisations/{slug}/members/{user_id}"): "signed-in",
    ("POST", "/api/v1/organisations/{slug}/leave"): "signed-in",
    ("GET", "/api/v1/organisations/{slug}/invitations"): "signed-in",
    ("POST", "/api/v1/organisations/{slug}/invitations"): "signed-in",
    ("DELETE", "/api/v1/organisations/{slug}/invitations/{invitation_id}"): "signed-in",
    ("POST", "/api/v1/organisations/{slug}/invitations/{invitation_id}/resend"): "signed-in",
    ("POST", "/api/v1/invitations/{token}/accept"): "signed-in",
    ("POST", "/api/v1/invitations/{token}/decline"): "signed-in",
    # Pages
    ("GET", "/organisations"): "public",
    ("GET", "/organisations/{slug}"): "public",
    ("GET", "/organisations/{slug}/logo"): "public",
    ("GET", "/invitations/{token}"): "public",
    ("POST", "/invitations/{token}/accept"): "signed-in",
    ("POST", "/invitations/{token}/decline"): "signed-in",
    ("GET", "/manage"): "signed-in",
    ("GET", "/manage/organisations/new"): "platform-admin",
    ("POST", "/manage/organisations/new"): "platform-admin",
    ("GET", "/manage/organisations/{slug}"): "signed-in",
    ("POST", "/manage/organisations/{slug}"): "signed-in",
    ("GET", "/manage/organisations/{slug}/members"): "signed-in",
    ("POST", "/manage/organisations/{slug}/invitations"): "signed-in",
    ("POST", "/manage/organisations/{slug}/invitations/{invitation_id}/revoke"): "signed-in",
    ("POST", "/manage/organisations/{slug}/invitations/{invitation_id}/resend"): "signed-in",
    ("POST", "/manage/organisations/{slug}/members/{user_id}/role"): "signed-in",
    ("POST", "/manage/organisations/{slug}/members/{user_id}/remove"): "signed-in",
    ("POST", "/manage/organisations/{slug}/leave"): "signed-in",
}
