"""Helpers for the accounts stories: English pages, reading the outbox, following links from emails."""

from __future__ import annotations

import pytest

from tests.conftest import Client
from tests.mail import emails_to, link_in

__all__ = ["emails_to", "link_in"]


@pytest.fixture
def client(client: Client) -> Client:
    """The shared client, asking for English pages (the source language) unless a cookie says otherwise."""
    client.headers["Accept-Language"] = "en"
    return client
