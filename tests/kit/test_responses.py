"""Responses every domain sends the same way: ETag JSON, immutable images, downloads, CSV (app/kit/responses.py)."""

from __future__ import annotations

import hashlib

import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from pydantic import BaseModel

from app.kit.responses import (
    IMMUTABLE_MAX_AGE,
    csv_download,
    delete_cookie,
    download,
    immutable_image,
    json_download,
    json_with_etag,
    set_cookie,
)
from app.kit.text import BYTE_ORDER_MARK, csv_document

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PNG_SHA256 = hashlib.sha256(PNG).hexdigest()


class Town(BaseModel):
    name: str
    people: int


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()

    @app.get("/towns/{name}")
    def town(request: Request, name: str, shared: bool = True) -> Response:
        return json_with_etag(request, Town(name=name, people=5000), shared=shared)

    @app.get("/image")
    def image(request: Request, shared: bool = True, max_age: int = IMMUTABLE_MAX_AGE) -> Response:
        return immutable_image(
            request, content=PNG, content_type="image/png", sha256=PNG_SHA256, shared=shared, max_age=max_age
        )

    @app.get("/download")
    def file(name: str) -> Response:
        return download(b"%PDF-1.7", filename=name, content_type="application/pdf")

    @app.get("/export.csv")
    def export() -> Response:
        return csv_download(csv_document(["Navn"], [["Åse"], ["=1+1"]]), filename="påmeldte.csv")

    return TestClient(app)


def test_a_read_has_an_etag_and_a_client_that_has_it_gets_304(client: TestClient) -> None:
    first = client.get("/towns/Tromsø")
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"
    assert first.json() == {"name": "Tromsø", "people": 5000}
    etag = first.headers["etag"]
    assert etag.startswith('"')
    assert etag.endswith('"')

    again = client.get("/towns/Tromsø", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    assert again.headers["cache-control"] == first.headers["cache-control"]


def test_an_etag_among_several_counts_and_a_stale_one_does_not(client: TestClient) -> None:
    etag = client.get("/towns/Bodø").headers["etag"]
    assert client.get("/towns/Bodø", headers={"If-None-Match": f'"stale", {etag}'}).status_code == 304
    assert client.get("/towns/Bodø", headers={"If-None-Match": '"stale"'}).status_code == 200


def test_another_body_has_another_etag(client: TestClient) -> None:
    bodo = client.get("/towns/Bodø").headers["etag"]
    assert client.get("/towns/Narvik").headers["etag"] != bodo
    assert client.get("/towns/Narvik", headers={"If-None-Match": bodo}).status_code == 200


@pytest.mark.parametrize(("shared", "cache_control"), [(True, "no-cache"), (False, "private, no-cache")])
def test_a_public_read_may_be_kept_by_shared_caches_a_personal_one_only_by_the_browser(
    client: TestClient, shared: bool, cache_control: str
) -> None:
    first = client.get("/towns/Molde", params={"shared": shared})
    assert first.headers["cache-control"] == cache_control
    again = client.get("/towns/Molde", params={"shared": shared}, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert again.headers["cache-control"] == cache_control


@pytest.mark.parametrize(("shared", "who"), [(True, "public"), (False, "private")])
def test_an_image_at_its_content_address_is_cached_for_good(client: TestClient, shared: bool, who: str) -> None:
    response = client.get("/image", params={"shared": shared})
    assert response.status_code == 200
    assert response.content == PNG
    assert response.headers["content-type"] == "image/png"
    assert response.headers["etag"] == f'"{PNG_SHA256}"'
    assert response.headers["cache-control"] == f"{who}, max-age=31536000, immutable"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_an_image_the_client_has_is_not_sent_again(client: TestClient) -> None:
    response = client.get("/image", headers={"If-None-Match": f'"{PNG_SHA256}"'})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == f'"{PNG_SHA256}"'
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_an_image_may_be_kept_for_less_time(client: TestClient) -> None:
    assert client.get("/image", params={"max_age": 60}).headers["cache-control"] == "public, max-age=60, immutable"


def assert_download_only(response: Response) -> None:
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"


def test_a_download_with_an_ascii_name(client: TestClient) -> None:
    response = client.get("/download", params={"name": "rules-2027.pdf"})
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7"
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="rules-2027.pdf"'
    assert response.headers["cache-control"] == "private, max-age=300"
    assert_download_only(response)


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        (
            "Søknad – Grønne tak.pdf",
            'attachment; filename="S_knad _ Gr_nne tak.pdf"; '
            "filename*=UTF-8''S%C3%B8knad%20%E2%80%93%20Gr%C3%B8nne%20tak.pdf",
        ),
        ('say "hi".pdf', "attachment; filename=\"say _hi_.pdf\"; filename*=UTF-8''say%20%22hi%22.pdf"),
        ("a\\b.pdf", "attachment; filename=\"a_b.pdf\"; filename*=UTF-8''a%5Cb.pdf"),
    ],
)
def test_a_download_with_a_name_ascii_cannot_spell(client: TestClient, name: str, disposition: str) -> None:
    response = client.get("/download", params={"name": name})
    assert response.headers["content-disposition"] == disposition
    assert_download_only(response)


def test_a_csv_export_is_utf8_with_a_byte_order_mark_and_never_stored(client: TestClient) -> None:
    response = client.get("/export.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"p_meldte.csv\"; filename*=UTF-8''p%C3%A5meldte.csv"
    )
    assert_download_only(response)
    assert response.content == (BYTE_ORDER_MARK + "Navn\r\nÅse\r\n'=1+1\r\n").encode("utf-8")
    assert response.content.startswith(b"\xef\xbb\xbf")


def test_a_json_download_is_an_attachment_never_cached_with_the_body_a_json_response_has() -> None:
    data = {"navn": "Åse", "tall": [1, 2.5, None], "ja": True}
    response = json_download(data, filename="samskap-data-7.json")
    assert response.body == JSONResponse(data).body
    assert response.media_type == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="samskap-data-7.json"'
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_cookie_is_for_this_site_only_and_is_removed_the_same_way() -> None:
    response = Response()
    set_cookie(response, "samskap_lang", "nb", max_age=60)
    delete_cookie(response, "samskap_session")
    added, deleted = response.headers.getlist("set-cookie")
    assert added.startswith("samskap_lang=nb;")
    for part in ("HttpOnly", "Max-Age=60", "Path=/", "SameSite=lax"):
        assert part in added
    assert "Secure" not in added  # outside production
    assert deleted.startswith('samskap_session="";')
    assert "Max-Age=0" in deleted
    assert "Path=/" in deleted
