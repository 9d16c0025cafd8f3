"""Responses every domain sends the same way: JSON with an ETag, immutable images, downloads, CSV, cookies."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response, status
from pydantic import BaseModel

from app.config import get_settings

# Content-addressed images never change at their address, so browsers may keep them for a year.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


def _client_has(request: Request, etag: str) -> bool:
    return etag in request.headers.get("if-none-match", "")


def json_with_etag(request: Request, body: BaseModel, *, shared: bool) -> Response:
    """A read with an ETag; a client that already has this version gets 304 Not Modified.

    `shared`: shared caches may keep it (a public read), or only the reader's browser."""
    content = body.model_dump_json().encode()
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "no-cache" if shared else "private, no-cache"}
    if _client_has(request, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content, media_type="application/json", headers=headers)


def immutable_image(
    request: Request, *, content: bytes, content_type: str, sha256: str, shared: bool, max_age: int = IMMUTABLE_MAX_AGE
) -> Response:
    """An image at an address that names its content hash: cached for good, 304 when the client has it."""
    etag = f'"{sha256}"'
    headers = {
        "ETag": etag,
        "Cache-Control": f"{'public' if shared else 'private'}, max-age={max_age}, immutable",
        "X-Content-Type-Options": "nosniff",
    }
    if _client_has(request, etag):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(content, media_type=content_type, headers=headers)


def content_disposition(filename: str) -> str:
    """`attachment` with a file name that survives any characters: an ASCII fallback, and RFC 5987's UTF-8 form
    when the fallback had to replace some."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(
    content: bytes, *, filename: str, content_type: str, cache_control: str = "private, max-age=300"
) -> Response:
    """A file served for download only: never rendered by the browser, never run, cached only by the browser."""
    headers = {
        "Content-Disposition": content_disposition(filename),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "Cache-Control": cache_control,
    }
    return Response(content, media_type=content_type, headers=headers)


def json_download(data: Any, *, filename: str) -> Response:
    """A JSON document to download, never stored by any cache (exports hold personal data)."""
    content = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    return download(content, filename=filename, content_type="application/json", cache_control="no-store")


def set_cookie(response: Response, name: str, value: str, *, max_age: int) -> None:
    """A cookie for this site's own requests: never read by scripts, not sent by other sites' forms, and only over
    HTTPS in production."""
    secure = get_settings().is_production
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure)


def delete_cookie(response: Response, name: str) -> None:
    """Remove a cookie set by `set_cookie`."""
    response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=get_settings().is_production)


def csv_download(text: str, *, filename: str) -> Response:
    """A CSV document to download, never stored by any cache (exports hold what only hosts may read)."""
    return download(
        text.encode("utf-8"),
        filename=filename,
        content_type="text/csv; charset=utf-8",
        cache_control="private, no-store",
    )
