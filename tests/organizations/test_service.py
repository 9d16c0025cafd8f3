"""Service rules that no single page shows: the data export and logo sniffing."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.accounts import gdpr
from app.errors import PayloadTooLarge, UnsupportedMediaType
from app.organizations import service
from tests.organizations.conftest import JPEG, PNG, WEBP, Cast


def test_a_users_data_export_lists_their_memberships(db: Session, cast: Cast) -> None:
    sections = gdpr.export_sections(db, cast.admin)
    assert sections["memberships"] == [
        {"organization": "Halden kommune", "slug": "halden", "role": "admin",
         "since": sections["memberships"][0]["since"]},
    ]  # fmt: skip
    assert gdpr.export_sections(db, cast.citizen)["memberships"] == []


@pytest.mark.parametrize(("content", "content_type"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")])
def test_logos_are_recognised_by_their_first_bytes(content: bytes, content_type: str) -> None:
    assert service.logo_content_type(content) == content_type


@pytest.mark.parametrize(
    "content",
    [b"GIF89a" + b"\x00" * 10, b"<?xml version='1.0'?><svg/>", b"%PDF-1.7", b"RIFF\x00\x00\x00\x00WAVE", b""],
)
def test_other_content_is_not_a_logo(content: bytes) -> None:
    with pytest.raises(UnsupportedMediaType):
        service.logo_content_type(content)


def test_a_logo_over_one_megabyte_is_too_large() -> None:
    with pytest.raises(PayloadTooLarge):
        service.logo_content_type(PNG + b"\x00" * (1024 * 1024))
