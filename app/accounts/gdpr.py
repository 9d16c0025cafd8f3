"""A registry through which every domain adds its part to "download my data" and "delete my account"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlmodel import Session

from app.accounts.models import User

Exporter = Callable[[Session, User], Any]
Anonymiser = Callable[[Session, User], None]

RESERVED_NAMES = frozenset({"account", "format", "exported_at"})

_exporters: dict[str, Exporter] = {}
_anonymisers: list[Anonymiser] = []


def register_exporter(name: str, exporter: Exporter) -> Exporter:
    """Add `exporter`'s JSON-able result to every data export, under `name` (registering again replaces it)."""
    if name in RESERVED_NAMES:
        raise ValueError(f"{name!r} is reserved for the account section of the export")
    _exporters[name] = exporter
    return exporter


def register_anonymiser(anonymiser: Anonymiser) -> Anonymiser:
    """Run `anonymiser` whenever an account is deleted (registering the same function twice runs it once)."""
    if anonymiser not in _anonymisers:
        _anonymisers.append(anonymiser)
    return anonymiser


def export_sections(session: Session, user: User) -> dict[str, Any]:
    """Every registered domain's data about `user`, by section name."""
    return {name: exporter(session, user) for name, exporter in sorted(_exporters.items())}


def run_anonymisers(session: Session, user: User) -> None:
    """Let every registered domain remove or blur what it keeps about `user`."""
    for anonymiser in list(_anonymisers):
        anonymiser(session, user)


@contextmanager
def registered(
    *, exporters: dict[str, Exporter] | None = None, anonymisers: list[Anonymiser] | None = None
) -> Iterator[None]:
    """Register extra exporters and anonymisers for the duration of a block (tests)."""
    saved_exporters, saved_anonymisers = dict(_exporters), list(_anonymisers)
    for name, exporter in (exporters or {}).items():
        register_exporter(name, exporter)
    for anonymiser in anonymisers or []:
        register_anonymiser(anonymiser)
    try:
        yield
    finally:
        _exporters.clear()
        _exporters.update(saved_exporters)
        _anonymisers[:] = saved_anonymisers
