"""Who may call each site-wide route (read by tests/test_route_rules.py).

"public": anyone; "signed-in": a signed-in user; "platform-admin": a platform admin;
"development-only": in development, a browser on the machine itself or a platform admin; else a 404.
"""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", "/"): "public",
    ("GET", "/accessibility"): "public",
    ("GET", "/privacy"): "public",
    ("POST", "/language"): "public",
    ("GET", "/healthz"): "public",
    ("GET", "/readyz"): "public",
    ("GET", "/api/v1/"): "public",
    ("GET", "/api/v1/docs"): "public",
    ("GET", "/api/v1/docs/try"): "public",
    ("GET", "/api/v1/openapi.json"): "public",
    # Shows every queued email, sign-in links included: for a developer's machine only.
    ("GET", "/dev/mail"): "development-only",
}
