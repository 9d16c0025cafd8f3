"""Stored images every domain handles the same way: read from an upload, typed by content, sized, stored.

An image is accepted only when its first bytes say PNG, JPEG or WebP (never its file name or declared type) and it
is no larger than the caller's limit; the caller's own messages say why not. Images stored apart from their owner
(covers) live in a table keyed by the owner's id with the shape of `StoredImage`, and are addressed by their
SHA-256, so an address never names two images and an old address is simply gone.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypedDict, TypeVar

from sqlalchemy import inspect
from sqlmodel import Session
from starlette.datastructures import UploadFile
from starlette.requests import Request

from app.errors import NotFound, PayloadTooLarge, UnsupportedMediaType

# The type's signature at the start of the content; enough of it to judge the type (WebP is RIFF....WEBP).
HEAD_BYTES = 64


def content_type_of(content: bytes) -> str | None:
    """The image type of `content` by its first bytes (PNG, JPEG or WebP), or None when it is none of them."""
    head = content[:HEAD_BYTES]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class Image:
    """An accepted image: its bytes, its type judged by content, and the SHA-256 (hex) that addresses it."""

    content: bytes
    content_type: str
    sha256: str


def accept(content: bytes, *, max_bytes: int, too_large: str, not_an_image: str) -> Image:
    """`content` as an image when it is at most `max_bytes` and a PNG, JPEG or WebP by content.

    Refused with `PayloadTooLarge(too_large)` or `UnsupportedMediaType(not_an_image)`: the caller's own words."""
    if len(content) > max_bytes:
        raise PayloadTooLarge(too_large)
    content_type = content_type_of(content)
    if content_type is None:
        raise UnsupportedMediaType(not_an_image)
    return Image(content=content, content_type=content_type, sha256=hashlib.sha256(content).hexdigest())


# --- reading an upload -------------------------------------------------------------------------------------------


def _chosen(upload: object) -> UploadFile | None:
    # A file field left empty is still posted, with no file name.
    return upload if isinstance(upload, UploadFile) and upload.filename else None


def read_upload(upload: UploadFile, *, max_bytes: int) -> bytes:
    """The uploaded file's bytes, reading one byte over `max_bytes` at most: enough to know it is too large."""
    return upload.file.read(max_bytes + 1)


def read_chosen(upload: UploadFile | None, *, max_bytes: int) -> bytes | None:
    """The bytes of the file chosen in a form's file field (as `read_upload`), None when none was chosen."""
    chosen = _chosen(upload)
    return None if chosen is None else read_upload(chosen, max_bytes=max_bytes)


async def read_chosen_in_form(request: Request, name: str, *, max_bytes: int) -> bytes | None:
    """The bytes of the file chosen in the posted form's field `name` (as `read_chosen`), for async dependencies."""
    chosen = _chosen((await request.form()).get(name))
    return None if chosen is None else await chosen.read(max_bytes + 1)


# --- stored apart from their owner -------------------------------------------------------------------------------


class StoredImage(Protocol):
    """A row of an image table: keyed by its owner's id, holding one image at a time."""

    content: bytes
    content_type: str
    sha256: str
    updated_at: datetime


Row = TypeVar("Row", bound=StoredImage)


def snapshot(row: StoredImage | None) -> dict[str, Any]:
    """The stored image as the audit log records it: by hash, type and size, never its bytes."""
    # "cover_sha256": every image stored apart from its owner is a cover, and the audit log keeps its keys.
    if row is None:
        return {"cover_sha256": None}
    return {"cover_sha256": row.sha256, "content_type": row.content_type, "bytes": len(row.content)}


class Change(TypedDict):
    """What storing or removing did, as the audit log records it: the image before and after (pass it on as
    `**change` to the audit record)."""

    before: dict[str, Any]
    after: dict[str, Any]


def _key_name(table: type[Any]) -> str:
    (key,) = inspect(table).primary_key
    return str(key.key)


def store(session: Session, table: type[Row], *, key: int, image: Image, now: datetime) -> Change:
    """`image` becomes the one stored under `key` (a new row, or the old one replaced); flushing is the caller's."""
    row = session.get(table, key)
    before = snapshot(row)
    if row is None:
        fields = {"content": image.content, "content_type": image.content_type, "sha256": image.sha256}
        new_row: Callable[..., Row] = table  # a table model takes its columns as keywords
        row = new_row(**{_key_name(table): key}, **fields, updated_at=now)
    else:
        row.content, row.content_type, row.sha256, row.updated_at = image.content, image.content_type, image.sha256, now
    session.add(row)
    return Change(before=before, after=snapshot(row))


def remove(session: Session, table: type[Row], *, key: int, missing: str) -> Change:
    """The image stored under `key` is deleted; `NotFound(missing)` when there is none."""
    row = session.get(table, key)
    if row is None:
        raise NotFound(missing)
    before = snapshot(row)
    session.delete(row)
    return Change(before=before, after=snapshot(None))


def current(
    session: Session, table: type[Row], *, key: int, current_sha256: str | None, sha256: str, missing: str
) -> Row:
    """The image stored under `key` when `sha256` names it and its owner still shows it (`current_sha256`);
    `NotFound(missing)` for any other address, an old one included (it is gone, not redirected)."""
    row = session.get(table, key) if current_sha256 == sha256 else None
    if row is None or row.sha256 != sha256:
        raise NotFound(missing)
    return row
