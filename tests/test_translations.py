"""Every string in the source tree is translated into nb, sv and en, and the pages speak the visitor's language.

The messages are extracted from the source at test time with the mapping in babel.cfg, so a string added
without `make messages` and a translation fails here, naming the string.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.i18n import LANGUAGES, TRANSLATIONS_DIR
from tests.conftest import Client

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None}
SKIPPED_DIRS = {"node_modules", "var", "static", "migrations", "tests", "bench", "scripts"}
# In templates every translated string is %-formatted (newstyle gettext), so a bare % breaks the page.
FORMAT_TOKEN = re.compile(r"%%|%\(\w+\)[sd]")


@dataclass(frozen=True)
class SourceMessage:
    id: str | tuple[str, str]
    location: str

    @property
    def key(self) -> str:
        return self.id[0] if isinstance(self.id, tuple) else self.id


def _keep_directory(dirname: str) -> bool:
    name = os.path.basename(dirname)
    return not name.startswith(".") and name not in SKIPPED_DIRS and name != "__pycache__"


@cache
def source_messages() -> tuple[SourceMessage, ...]:
    """The messages in app/ and templates/, extracted the way `make messages` does."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    found: dict[str, SourceMessage] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=_keep_directory
    ):
        message_id: str | tuple[str, str] = message if isinstance(message, str) else (message[0], message[1])
        item = SourceMessage(message_id, f"{filename}:{lineno}")
        found.setdefault(item.key, item)
    return tuple(found.values())


@cache
def catalogue(language: str) -> Catalog:
    with (TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def test_the_source_tree_has_messages_to_translate() -> None:
    keys = {message.key for message in source_messages()}
    assert "Skip to main content" in keys  # templates are extracted
    assert "Language changed." in keys  # Python modules are extracted


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_message_is_translated(language: str) -> None:
    translations = catalogue(language)
    problems = []
    for message in source_messages():
        entry = translations.get(message.id)
        if entry is None:
            problems.append(f"missing:      {message.key!r} ({message.location})")
        elif entry.fuzzy:
            problems.append(f"fuzzy:        {message.key!r} ({message.location})")
        elif not all(entry.string) if isinstance(entry.string, tuple) else not entry.string:
            problems.append(f"untranslated: {message.key!r} ({message.location})")
    assert not problems, (
        f"{len(problems)} message(s) not translated in {language}; run `make messages` and translate "
        f"app/translations/{language}/LC_MESSAGES/messages.po:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_placeholders_match_between_message_and_translation(language: str) -> None:
    problems = [
        f"{message.id!r}: {'; '.join(str(error) for error in errors)}"
        for message, errors in catalogue(language).check()
        if errors
    ]
    assert not problems, f"placeholder errors in {language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_template_strings_escape_percent_signs(language: str) -> None:
    """Jinja's newstyle gettext %-formats every template string: a lone % must be written %%."""
    translations = catalogue(language)
    problems = []
    for message in source_messages():
        if not message.location.startswith("templates/"):
            continue
        entry = translations.get(message.id)
        texts = [message.key, *(entry.string if isinstance(entry.string, tuple) else [entry.string])] if entry else []
        problems += [f"{text!r} ({message.location})" for text in texts if "%" in FORMAT_TOKEN.sub("", text or "")]
    assert not problems, "write % as %% in template strings:\n" + "\n".join(problems)


def test_a_swedish_visitor_gets_swedish_pages(client: Client) -> None:
    page = client.get("/", headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.5"})
    assert '<html lang="sv">' in page.text
    assert "Hoppa till huvudinnehåll" in page.text
    assert "Tillgänglighetsredogörelse" in page.text


def test_a_norwegian_visitor_gets_bokmal_pages(client: Client) -> None:
    page = client.get("/accessibility", headers={"Accept-Language": "nn-NO"})
    assert page.status_code == 200
    assert '<html lang="nb">' in page.text
    assert "Hopp til hovedinnhold" in page.text
    assert "200 % forstørrelse" in page.text


def test_the_language_cookie_wins_over_accept_language(client: Client) -> None:
    client.cookies.set("samskap_lang", "en")
    page = client.get("/privacy", headers={"Accept-Language": "sv"})
    assert '<html lang="en">' in page.text
    assert "Skip to main content" in page.text
