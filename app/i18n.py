"""Languages: Babel catalogues (nb, sv, en) loaded once; the current locale lives in a context variable."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import LazyProxy, Translations

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
LANGUAGES: dict[str, str] = {"nb": "Norsk bokmål", "sv": "Svenska", "en": "English"}
DEFAULT_LANGUAGE = "nb"

_current: ContextVar[str] = ContextVar("samskap_locale", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> Translations:
    """The compiled catalogue for `language` (compiled in memory from the .po file, no build step)."""
    po_path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.exists():
        return Translations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def current_language() -> str:
    return _current.get()


def set_language(language: str) -> None:
    _current.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)


@contextmanager
def language(code: str) -> Iterator[None]:
    """Use `code` for the duration of the block (emails in the recipient's language)."""
    token = _current.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


def gettext(message: str) -> str:
    return translations(current_language()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_language()).ungettext(singular, plural, n)


def lazy_gettext(message: str) -> LazyProxy:
    """A string translated when used, for module-level constants."""
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext


def negotiate(accept_language: str | None) -> str | None:
    """The best of our languages for an Accept-Language header ("no" and "nn" count as "nb")."""
    if not accept_language:
        return None
    weighted: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, params = piece.partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        weighted.append((quality, tag.strip().lower()))
    for _quality, tag in sorted(weighted, key=lambda item: -item[0]):
        primary = tag.split("-")[0]
        if primary in {"no", "nn"}:
            primary = "nb"
        if primary in LANGUAGES:
            return primary
    return None


def babel_locale(code: str | None = None) -> Locale:
    return Locale.parse(code or current_language())


def format_datetime(value: datetime, timezone: str = "Europe/Oslo", fmt: str = "medium") -> str:
    """`value` in `timezone`, formatted for the current language."""
    return babel_format_datetime(value, fmt, tzinfo=ZoneInfo(timezone), locale=babel_locale())


def format_date(value: datetime | date, timezone: str = "Europe/Oslo", fmt: str = "long") -> str:
    """A moment's day in `timezone` (a calendar date as it is), formatted for the current language."""
    day = value.astimezone(ZoneInfo(timezone)) if isinstance(value, datetime) else value
    return babel_format_date(day, fmt, locale=babel_locale())


def format_number(value: float | int) -> str:
    return format_decimal(value, locale=babel_locale())
