"""The stored-image mechanism on its own: typed by content, sized, read from uploads, stored by content hash."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from starlette.datastructures import Headers, UploadFile

from app.challenges.models import ChallengeCover
from app.errors import NotFound, PayloadTooLarge, UnsupportedMediaType
from app.kit import images
from tests.factories import TIMELINE_START, make_challenge, make_organization

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20
TOO_LARGE, NOT_AN_IMAGE = "Too large, says the caller.", "Not an image, says the caller."
NOW = TIMELINE_START


def accept(content: bytes, max_bytes: int = 1024) -> images.Image:
    return images.accept(content, max_bytes=max_bytes, too_large=TOO_LARGE, not_an_image=NOT_AN_IMAGE)


@pytest.mark.parametrize(("content", "content_type"), [(PNG, "image/png"), (JPEG, "image/jpeg"), (WEBP, "image/webp")])
def test_each_type_is_recognised_by_its_content(content: bytes, content_type: str) -> None:
    image = accept(content)
    assert image == images.Image(content=content, content_type=content_type, sha256=hashlib.sha256(content).hexdigest())
    assert images.content_type_of(content) == content_type


@pytest.mark.parametrize(
    "content",
    [
        b"This is a text file someone named logo.png",
        b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        b"GIF89a" + b"\x00" * 10,
        b"%PDF-1.7",
        b"RIFF\x00\x00\x00\x00WAVE",
        b"\x89PNG",  # the start of a signature is not a PNG
        b"",
    ],
)
def test_disguised_or_other_content_is_refused_with_the_callers_message(content: bytes) -> None:
    with pytest.raises(UnsupportedMediaType) as refused:
        accept(content)
    assert refused.value.detail == NOT_AN_IMAGE
    assert images.content_type_of(content) is None


def test_a_text_file_named_and_declared_as_a_png_is_refused() -> None:
    disguised = UploadFile(
        file=io.BytesIO(b"Hello, I am plain text."), filename="logo.png", headers=Headers({"content-type": "image/png"})
    )
    content = images.read_chosen(disguised, max_bytes=1024)
    assert content == b"Hello, I am plain text."
    with pytest.raises(UnsupportedMediaType):
        accept(content)


def test_an_image_of_exactly_the_limit_is_accepted_and_one_byte_more_is_too_large() -> None:
    exactly = PNG + b"\x00" * (100 - len(PNG))
    assert len(accept(exactly, max_bytes=100).content) == 100
    with pytest.raises(PayloadTooLarge) as refused:
        accept(exactly + b"\x00", max_bytes=100)
    assert refused.value.detail == TOO_LARGE


def test_size_is_judged_before_type() -> None:
    with pytest.raises(PayloadTooLarge):
        accept(b"not an image at all", max_bytes=4)


# --- reading an upload -------------------------------------------------------------------------------------------


def upload(content: bytes, filename: str | None = "cover.png") -> UploadFile:
    return UploadFile(file=io.BytesIO(content), filename=filename)


def test_an_upload_is_read_one_byte_past_the_limit_at_most() -> None:
    assert images.read_upload(upload(b"x" * 1000), max_bytes=10) == b"x" * 11
    assert images.read_upload(upload(b"x" * 10), max_bytes=10) == b"x" * 10
    assert images.read_chosen(upload(b"x" * 1000), max_bytes=10) == b"x" * 11


@pytest.mark.parametrize("chosen", [None, upload(b"", filename=""), upload(b"", filename=None)])
def test_a_file_field_left_empty_is_no_file(chosen: UploadFile | None) -> None:
    assert images.read_chosen(chosen, max_bytes=10) is None


def test_a_chosen_empty_file_is_read_as_empty_so_the_caller_decides() -> None:
    assert images.read_chosen(upload(b""), max_bytes=10) == b""


async def read_cover(request: Request) -> bytes | None:
    return await images.read_chosen_in_form(request, "cover", max_bytes=10)


ReadCoverDep = Annotated[bytes | None, Depends(read_cover)]


def test_a_file_chosen_in_a_posted_form_is_read_one_byte_past_the_limit_at_most() -> None:
    app = FastAPI()

    @app.post("/")
    def handler(content: ReadCoverDep) -> dict[str, int | None]:
        return {"bytes": None if content is None else len(content)}

    client = TestClient(app)
    assert client.post("/", files={"cover": ("cover.png", b"x" * 1000)}).json() == {"bytes": 11}
    assert client.post("/", files={"cover": ("", b"")}).json() == {"bytes": None}
    assert client.post("/", data={"cover": "just text"}).json() == {"bytes": None}
    assert client.post("/", files={"other": ("cover.png", PNG)}).json() == {"bytes": None}


# --- stored by content hash --------------------------------------------------------------------------------------


def covers(db: Session, key: int) -> int:
    return db.exec(select(func.count()).select_from(ChallengeCover).where(ChallengeCover.challenge_id == key)).one()


@pytest.fixture
def key(db: Session) -> int:
    challenge = make_challenge(db, make_organization(db))
    return int(challenge.id)


def test_storing_twice_keeps_one_row_and_changes_its_hash(db: Session, key: int) -> None:
    first, second = accept(PNG), accept(JPEG)

    stored = images.store(db, ChallengeCover, key=key, image=first, now=NOW)
    db.flush()
    assert stored["before"] == {"cover_sha256": None}
    assert stored["after"] == {"cover_sha256": first.sha256, "content_type": "image/png", "bytes": len(PNG)}

    replaced = images.store(db, ChallengeCover, key=key, image=second, now=NOW + timedelta(hours=1))
    db.flush()
    assert replaced["before"] == stored["after"]
    assert replaced["after"] == {"cover_sha256": second.sha256, "content_type": "image/jpeg", "bytes": len(JPEG)}
    assert covers(db, key) == 1
    row = db.get(ChallengeCover, key)
    assert row is not None
    assert (row.content, row.content_type, row.sha256) == (JPEG, "image/jpeg", second.sha256)
    assert row.sha256 != first.sha256
    assert row.updated_at == NOW + timedelta(hours=1)


def test_the_current_image_is_found_by_its_hash_and_an_old_hash_is_not(db: Session, key: int) -> None:
    old, new = accept(PNG), accept(WEBP)
    images.store(db, ChallengeCover, key=key, image=old, now=NOW)
    images.store(db, ChallengeCover, key=key, image=new, now=NOW)
    db.flush()

    found = images.current(db, ChallengeCover, key=key, current_sha256=new.sha256, sha256=new.sha256, missing="Gone.")
    assert found.content == WEBP
    for current_sha256, sha256 in [(new.sha256, old.sha256), (old.sha256, old.sha256), (None, new.sha256)]:
        with pytest.raises(NotFound) as refused:
            images.current(db, ChallengeCover, key=key, current_sha256=current_sha256, sha256=sha256, missing="Gone.")
        assert refused.value.detail == "Gone."


def test_removing_deletes_the_row_and_removing_again_is_not_found(db: Session, key: int) -> None:
    image = accept(PNG)
    images.store(db, ChallengeCover, key=key, image=image, now=NOW)
    db.flush()

    removed = images.remove(db, ChallengeCover, key=key, missing="No image.")
    db.flush()
    assert removed["before"] == {"cover_sha256": image.sha256, "content_type": "image/png", "bytes": len(PNG)}
    assert removed["after"] == {"cover_sha256": None}
    assert covers(db, key) == 0
    with pytest.raises(NotFound) as refused:
        images.remove(db, ChallengeCover, key=key, missing="No image.")
    assert refused.value.detail == "No image."
    with pytest.raises(NotFound):
        images.current(db, ChallengeCover, key=key, current_sha256=image.sha256, sha256=image.sha256, missing="Gone.")
