"""Jinja2 pages: one environment, translated strings, sanitised Markdown, flash messages."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import nh3
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup

from app import i18n
from app.config import ROOT, get_settings

TEMPLATES_DIR = ROOT / "templates"
FLASH_COOKIE = "samskap_flash"

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str | None) -> Markup:
    """Markdown rendered and then sanitised with an allow-list (no scripts, styles or event handlers)."""
    return Markup(_render_and_clean(text or ""))  # noqa: S704  (sanitised in _render_and_clean)


# Lists and pages render the same few texts on every request (about 1 ms each): keep the recent results.
@lru_cache(maxsize=1024)
def _render_and_clean(text: str) -> str:
    html = _markdown.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow ugc",
    )


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["markdown"] = render_markdown
    env.filters["datetime"] = i18n.format_datetime
    env.filters["date"] = i18n.format_date
    env.filters["number"] = i18n.format_number
    env.globals["LANGUAGES"] = i18n.LANGUAGES
    env.globals["current_language"] = i18n.current_language
    return env


templates = _environment()


def _flash_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="flash")


def flash(response: Response, message: str, kind: str = "success") -> None:
    """Show `message` on the next page the browser opens."""
    response.set_cookie(
        FLASH_COOKIE,
        _flash_serializer().dumps({"message": message, "kind": kind}),
        httponly=True,
        samesite="lax",
        secure=get_settings().is_production,
        path="/",
    )


def _take_flash(request: Request) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    try:
        data = _flash_serializer().loads(raw)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


SharedContext = Callable[[Request], Any]
_shared_context: dict[str, SharedContext] = {}


def register_shared_context(name: str, provider: SharedContext) -> SharedContext:
    """Give every page `name`, computed per request by a domain (the layout's footer asks the integrations)."""
    _shared_context[name] = provider
    return provider


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """The page `name` with the shared context (actor, CSRF token, language, flash message)."""
    flash_message = _take_flash(request)
    full_context: dict[str, Any] = {
        "request": request,
        "actor": getattr(request.state, "actor", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "flash": flash_message,
        "errors": {},
        "values": {},
    }
    for shared_name, provider in _shared_context.items():
        full_context[shared_name] = provider(request)
    full_context.update(context or {})
    html = templates.get_template(name).render(full_context)
    response = HTMLResponse(html, status_code=status_code)
    if flash_message:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(url: str, *, message: str | None = None, kind: str = "success") -> RedirectResponse:
    """A 303 to `url` (after a form post), optionally with a flash message."""
    response = RedirectResponse(url, status_code=303)
    if message:
        flash(response, message, kind)
    return response


def json_script(value: Any) -> Markup:
    """A value safe to embed in a <script type="application/json"> block."""
    text = json.dumps(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704  (escaped just above)


templates.filters["json_script"] = json_script


def template_exists(name: str) -> bool:
    return (Path(TEMPLATES_DIR) / name).exists()
