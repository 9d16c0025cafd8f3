"""The Content-Security-Policy allows no inline script or style, so no template may contain any."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORBIDDEN = {
    "an inline <style> block": re.compile(r"<style\b", re.IGNORECASE),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "an inline event handler": re.compile(r"\son[a-z]+\s*=", re.IGNORECASE),
    "a javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    # A <script> must load a file; JSON data blocks (type="application/json") are not executed.
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE),
}


def html_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("template", html_templates(), ids=lambda path: str(path.relative_to(TEMPLATES)))
def test_template_has_no_inline_script_or_style(template: Path) -> None:
    source = template.read_text(encoding="utf-8")
    found = [
        f"{what} on line {source.count(chr(10), 0, match.start()) + 1}"
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(source)
    ]
    assert not found, f"{template.relative_to(TEMPLATES)} breaks the CSP: " + "; ".join(found)
