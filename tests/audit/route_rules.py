"""Who may call each audit route: "public", "signed-in" or "platform-admin" (read by the route walker).

The audit log is "signed-in": platform admins read all of it, organisation owners and admins their own part.
"""

from __future__ import annotations

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/audit-events"): "signed-in",
    ("GET", "/manage/audit"): "signed-in",
}
