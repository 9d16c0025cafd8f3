"""One builder per public address, so a path is spelled once; absolute links (for emails) from the settings."""

from __future__ import annotations

from app.config import get_settings


def absolute(path: str) -> str:
    """`path` on this installation's public address (for emails and feeds, which leave the site)."""
    return get_settings().base_url.rstrip("/") + path


def _with(path: str, rest: str, anchor: str) -> str:
    return path + rest + (f"#{anchor}" if anchor else "")


def organisation(slug: str, rest: str = "") -> str:
    return f"/organisations/{slug}{rest}"


def manage_organisation(slug: str, rest: str = "") -> str:
    """An organisation's management page, or one below it (`rest` such as "/members")."""
    return f"/manage/organisations/{slug}{rest}"


def api_organisation(slug: str, rest: str = "") -> str:
    return f"/api/v1/organisations/{slug}{rest}"


def challenge(slug: str, rest: str = "", *, anchor: str = "") -> str:
    """A challenge's page, or one below it (`rest` such as "/team-finder")."""
    return _with(f"/challenges/{slug}", rest, anchor)


def concept(slug: str, submission_id: int | None, rest: str = "", *, anchor: str = "") -> str:
    """A concept's page in its challenge, or one below it (`rest` such as "/edit")."""
    return _with(f"/challenges/{slug}/submissions/{submission_id}", rest, anchor)


def manage_challenge(slug: str, rest: str = "", *, anchor: str = "") -> str:
    """An organiser's page of a challenge (`rest` such as "/edit" or "/questions")."""
    return _with(f"/manage/challenges/{slug}", rest, anchor)


def api_challenge(slug: str, rest: str = "") -> str:
    return f"/api/v1/challenges/{slug}{rest}"


def api_concept(slug: str, submission_id: int | None, rest: str = "") -> str:
    return f"/api/v1/challenges/{slug}/submissions/{submission_id}{rest}"


def organisation_invitation(raw_token: str) -> str:
    """The absolute link an organisation invitation email carries."""
    return absolute(f"/invitations/{raw_token}")


def team_invitation(raw_token: str) -> str:
    """The absolute link a team invitation email carries."""
    return absolute(f"/team-invitations/{raw_token}")


def jury_invitation(raw_token: str) -> str:
    """The absolute link a jury invitation email carries."""
    return absolute(f"/jury-invitations/{raw_token}")


def jury(slug: str, rest: str = "", *, anchor: str = "") -> str:
    """A juror's work in a challenge (`rest` such as "/reviews/12")."""
    return _with(f"/challenges/{slug}/jury", rest, anchor)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything that could leave the site becomes `default`."""
    # Browsers drop tabs and newlines from addresses and read a backslash as a slash: "/\t/x" is "//x".
    if not target or not target.startswith("/") or target.startswith("//") or any(ch in target for ch in "\\\t\r\n"):
        return default
    return target
