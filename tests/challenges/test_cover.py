"""Cover images: uploaded by the hosts, checked by content, served with long-lived caching, kept apart from lists."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import func, select

from app.audit.models import AuditEvent
from app.challenges.models import Challenge, ChallengeCover
from app.demo import png
from tests.challenges.conftest import Cast
from tests.challenges.manage.test_manage_pages import EN, FORM, stored
from tests.challenges.test_list import counting_statements
from tests.conftest import Client
from tests.factories import TIMELINE_START, make_challenge, make_challenge_cover

COVER = png(12, 4, lambda x, y: (0x1F, 0x4E, 0x8C) if (x + y) % 3 else (0xFD, 0x9D, 0x24))
OTHER_COVER = png(12, 4, lambda x, y: (0x3F, 0x7E, 0x44))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 32
HTML = b"<!doctype html><script>alert(1)</script>"
TOO_LARGE = COVER + b"\x00" * (2 * 1024 * 1024)


def upload(client: Client, slug: str, content: bytes, name: str = "forside.png", kind: str = "image/png") -> Any:
    return client.api("PUT", f"/api/v1/challenges/{slug}/cover", files={"cover": (name, content, kind)}, headers=EN)


def cover_rows(client: Client) -> int:
    return int(client.db.exec(select(func.count()).select_from(ChallengeCover)).one())


def audited(client: Client) -> list[str]:
    return list(client.db.exec(select(AuditEvent.action).order_by(AuditEvent.id)).all())  # type: ignore[arg-type]


def test_a_host_editor_uploads_a_cover_the_public_sees_it_and_it_is_cached_for_good(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel", title="Bærekraftig sentrumshandel")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    response = upload(client, "sentrumshandel", COVER)
    assert response.status_code == 200, response.text
    url = response.json()["cover_url"]
    assert url == f"/challenges/sentrumshandel/cover/{hashlib.sha256(COVER).hexdigest()}"
    assert audited(client) == ["challenge.cover"]

    client.sign_out()
    image = client.get(url)
    assert image.status_code == 200
    assert image.content == COVER
    assert image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert image.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert image.headers["etag"] == f'"{hashlib.sha256(COVER).hexdigest()}"'
    assert client.get(url, headers={"If-None-Match": image.headers["etag"]}).status_code == 304
    assert client.get("/api/v1/challenges/sentrumshandel").json()["cover_url"] == url

    page = client.get("/challenges/sentrumshandel").text
    assert f'<img class="challenge-cover" src="{url}" alt="">' in page
    listing = client.get("/challenges").text
    assert f'<img class="challenge-card__cover" src="{url}" alt="">' in listing

    # A new image gets a new address; the old one is gone rather than showing the new bytes under an old name.
    client.sign_in(cast.halden_editor)
    replaced = upload(client, "sentrumshandel", JPEG, name="forside.jpg", kind="image/jpeg")
    assert replaced.status_code == 200
    new_url = replaced.json()["cover_url"]
    assert new_url != url
    assert client.get(url).status_code == 404
    assert client.get(new_url).headers["content-type"] == "image/jpeg"
    assert cover_rows(client) == 1

    removed = client.api("DELETE", "/api/v1/challenges/sentrumshandel/cover")
    assert removed.status_code == 200
    assert removed.json()["cover_url"] is None
    assert client.get(new_url).status_code == 404
    assert cover_rows(client) == 0
    assert client.api("DELETE", "/api/v1/challenges/sentrumshandel/cover").status_code == 404
    assert audited(client) == ["challenge.cover", "challenge.cover", "challenge.cover.remove"]


@pytest.mark.parametrize("who", ["halden_editor", "baerum_editor", "platform_admin"])
def test_host_and_co_host_editors_and_platform_admins_may_set_a_cover(client: Client, cast: Cast, who: str) -> None:
    make_challenge(client.db, cast.halden, slug="sammen", status="draft", cohosts=[cast.baerum])
    client.db.commit()
    client.sign_in(getattr(cast, who))
    response = upload(client, "sammen", WEBP, name="forside.webp", kind="image/webp")
    assert response.status_code == 200, response.text
    assert stored(client, "sammen").cover_sha256 == hashlib.sha256(WEBP).hexdigest()  # type: ignore[union-attr]


@pytest.mark.parametrize(("who", "status", "expected"), [
    (None, "published", 401), ("citizen", "published", 403), ("stavanger_editor", "published", 403),
    (None, "draft", 401), ("citizen", "draft", 404), ("stavanger_editor", "draft", 404),
])  # fmt: skip
def test_outsiders_cannot_set_or_remove_a_cover(
    client: Client, cast: Cast, who: str | None, status: str, expected: int
) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="gronne-tak", status=status)
    make_challenge_cover(client.db, challenge, content=COVER)
    client.db.commit()
    if who:
        client.sign_in(getattr(cast, who))
    assert upload(client, "gronne-tak", OTHER_COVER).status_code == expected
    assert client.api("DELETE", "/api/v1/challenges/gronne-tak/cover").status_code == expected
    assert stored(client, "gronne-tak").cover_sha256 == hashlib.sha256(COVER).hexdigest()  # type: ignore[union-attr]
    assert audited(client) == []


@pytest.mark.parametrize(("content", "name", "kind", "status"), [
    (TOO_LARGE, "stor.png", "image/png", 413),
    (HTML, "side.html", "text/html", 415),
    (HTML, "forkledd.png", "image/png", 415),  # spoofed: an image's name and type, not an image's bytes
    (b"GIF89a" + b"\x00" * 20, "animert.gif", "image/gif", 415),
    (b"%PDF-1.7\n", "brosjyre.pdf", "application/pdf", 415),
])  # fmt: skip
def test_an_oversized_or_non_image_cover_is_refused_and_nothing_is_stored(
    client: Client, cast: Cast, content: bytes, name: str, kind: str, status: int
) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak")
    client.db.commit()
    client.sign_in(cast.halden_editor)
    response = upload(client, "gronne-tak", content, name=name, kind=kind)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert "2 MB" in response.json()["detail"] or "PNG, JPEG or WebP" in response.json()["detail"]
    assert cover_rows(client) == 0
    assert stored(client, "gronne-tak").cover_sha256 is None  # type: ignore[union-attr]
    assert audited(client) == []


def test_a_cover_can_change_until_the_challenge_is_cancelled(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="gronne-tak")
    client.db.commit()
    client.clock.at = TIMELINE_START + timedelta(days=60)  # voting: rules and voting settings are frozen
    client.sign_in(cast.halden_editor)
    assert upload(client, "gronne-tak", COVER).status_code == 200
    client.api("POST", "/api/v1/challenges/gronne-tak/cancel", json={"reason": "Ingen midler."})
    assert upload(client, "gronne-tak", OTHER_COVER).status_code == 403
    assert stored(client, "gronne-tak").cover_sha256 == hashlib.sha256(COVER).hexdigest()  # type: ignore[union-attr]


@pytest.mark.parametrize("viewer", [None, "citizen", "stavanger_editor"])
def test_a_drafts_cover_is_not_found_for_anyone_but_its_hosts(client: Client, cast: Cast, viewer: str | None) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="kladd", status="draft", cohosts=[cast.baerum])
    url = f"/challenges/kladd/cover/{make_challenge_cover(client.db, challenge, content=COVER).sha256}"
    client.db.commit()
    if viewer:
        client.sign_in(getattr(cast, viewer))
    assert client.get(url).status_code == 404
    for host in (cast.halden_editor, cast.baerum_editor):
        client.sign_in(host)
        image = client.get(url)
        assert image.status_code == 200
        assert image.headers["cache-control"].startswith("private, ")  # never kept by a shared cache


def test_an_unknown_or_old_cover_address_is_not_found(client: Client, cast: Cast) -> None:
    challenge = make_challenge(client.db, cast.halden, slug="gronne-tak")
    client.db.commit()
    assert client.get("/challenges/gronne-tak/cover/abc").status_code == 404  # no cover at all
    make_challenge_cover(client.db, challenge, content=COVER)
    client.db.commit()
    assert client.get(f"/challenges/gronne-tak/cover/{hashlib.sha256(b'old').hexdigest()}").status_code == 404
    assert client.get(f"/challenges/ingen/cover/{challenge.cover_sha256}").status_code == 404


# --- through the organiser's form --------------------------------------------------------------------------------


def test_a_cover_chosen_in_the_new_challenge_form_is_saved_with_the_draft(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    form = client.get("/manage/challenges/new", headers=EN).text
    assert 'enctype="multipart/form-data"' in form
    assert 'name="cover" type="file" accept="image/png,image/jpeg,image/webp"' in form
    response = client.post_form("/manage/challenges/new", FORM, files={"cover": ("forside.png", COVER, "image/png")})
    assert response.status_code == 303, response.text
    challenge = stored(client, "sentrumshandel")
    assert challenge is not None
    assert challenge.cover_sha256 == hashlib.sha256(COVER).hexdigest()
    edit = client.get("/manage/challenges/sentrumshandel/edit", headers=EN).text
    assert f"/challenges/sentrumshandel/cover/{challenge.cover_sha256}" in edit
    assert "Remove the cover image" in edit

    # Replace it, then remove it, through the edit form.
    replaced = client.post_form("/manage/challenges/sentrumshandel/edit", FORM,
                                files={"cover": ("ny.webp", WEBP, "image/webp")})  # fmt: skip
    assert replaced.status_code == 303, replaced.text
    assert stored(client, "sentrumshandel").cover_sha256 == hashlib.sha256(WEBP).hexdigest()  # type: ignore[union-attr]
    removed = client.post_form("/manage/challenges/sentrumshandel/edit", {**FORM, "remove_cover": "on"})
    assert removed.status_code == 303, removed.text
    assert stored(client, "sentrumshandel").cover_sha256 is None  # type: ignore[union-attr]
    assert cover_rows(client) == 0


def test_a_bad_cover_in_the_form_is_a_field_message_and_nothing_is_stored(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    spoofed = client.post_form("/manage/challenges/new", FORM, files={"cover": ("forside.png", HTML, "image/png")},
                               headers=EN)  # fmt: skip
    assert spoofed.status_code == 415
    assert 'id="field-cover-error"' in spoofed.text
    assert "The cover image must be a PNG, JPEG or WebP image." in spoofed.text
    assert 'value="Bærekraftig sentrumshandel"' in spoofed.text  # what was typed is kept
    large = client.post_form("/manage/challenges/new", FORM, files={"cover": ("stor.png", TOO_LARGE, "image/png")},
                             headers=EN)  # fmt: skip
    assert large.status_code == 413
    assert "larger than 2 MB" in large.text
    assert client.db.exec(select(Challenge)).all() == []

    # A good image with a mistake elsewhere: the image cannot be kept, and the form says so.
    other = client.post_form("/manage/challenges/new", {**FORM, "slug": "Ikke gyldig"},
                             files={"cover": ("forside.png", COVER, "image/png")}, headers=EN)  # fmt: skip
    assert other.status_code == 422
    assert "The cover image was not saved because of the other problems: choose it again." in other.text
    assert client.db.exec(select(Challenge)).all() == []
    assert cover_rows(client) == 0

    make_challenge(client.db, cast.halden, slug="utkast", status="draft", title="Utkast")
    client.db.commit()
    edited = client.post_form("/manage/challenges/utkast/edit", {**FORM, "title": "Nytt navn"},
                              files={"cover": ("forside.png", HTML, "image/png")}, headers=EN)  # fmt: skip
    assert edited.status_code == 415
    assert stored(client, "utkast").title == "Utkast"  # type: ignore[union-attr]
    assert cover_rows(client) == 0
    assert audited(client) == []


# --- lists never load the bytes ----------------------------------------------------------------------------------


def _fill(client: Client, cast: Cast, start: int, stop: int) -> None:
    for n in range(start, stop):
        challenge = make_challenge(client.db, cast.halden, slug=f"u-{n}", cohosts=[cast.baerum])
        make_challenge_cover(client.db, challenge, content=png(2, 2, lambda x, y, n=n: (n % 256, 0, 0)))
    client.db.commit()


@pytest.mark.parametrize("path", ["/challenges", "/api/v1/challenges?size=50"])
def test_the_list_query_count_is_unchanged_with_covers_and_no_bytes_are_read(
    client: Client, cast: Cast, path: str
) -> None:
    _fill(client, cast, 0, 5)
    with counting_statements(client) as few:
        first = client.get(path).text
    _fill(client, cast, 5, 30)
    with counting_statements(client) as many:
        second = client.get(path).text
    assert len(many) == len(few), "\n".join(many)
    assert not [statement for statement in many if "challenge_covers" in statement]
    assert len(re.findall(r"/cover/[0-9a-f]{64}", second)) > len(re.findall(r"/cover/[0-9a-f]{64}", first))
