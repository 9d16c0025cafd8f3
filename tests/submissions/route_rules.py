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
        ("GET", _PAGE + "/versions"): "public",
        ("GET", "/account/submissions"): "signed-in",
    }
)
