"""Who may call the gallery, cover and dashboard routes (read by the route walker)."""

from __future__ import annotations

_ONE = "/api/v1/challenges/{slug}/submissions/{submission_id}"
_PAGE = "/challenges/{slug}/submissions/{submission_id}"

ROUTE_RULES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/challenges/{slug}/submissions/export.csv"): "signed-in",
    ("PUT", _ONE + "/cover"): "signed-in",
    ("DELETE", _ONE + "/cover"): "signed-in",
    ("GET", "/challenges/{slug}/submissions"): "public",
    ("GET", _PAGE + "/cover/{sha256}"): "public",
    ("POST", _PAGE + "/cover"): "signed-in",
    ("POST", _PAGE + "/cover/remove"): "signed-in",
    ("GET", "/manage/challenges/{slug}/submissions"): "signed-in",
    ("GET", "/manage/challenges/{slug}/submissions.csv"): "signed-in",
}
