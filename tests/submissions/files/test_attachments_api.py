"""Attachments through the API: checked by content, size-limited, downloaded safely, kept in their version."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from sqlmodel import col, select

from app.submissions.models import Attachment
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_challenge
from tests.submissions.conftest import PDF, PNG, Team
from tests.submissions.test_api import BASE, start


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(client: Client, sid: int, name: str, content: bytes, content_type: str = "application/pdf") -> Any:
    return client.api("POST", f"{BASE}/{sid}/attachments", files={"file": (name, content, content_type)})


def test_files_are_checked_by_content(client: Client, db: Any, team: Team, challenge: Any, open_now: Any) -> None:
    sid = start(client, team.lead)["id"]
    assert upload(client, sid, "konsept.pdf", PDF).json()["content_type"] == "application/pdf"
    assert upload(client, sid, "skisse.bin", PNG, "application/octet-stream").json()["content_type"] == "image/png"
    spoofs = [
        ("program.pdf", b"MZ\x90\x00" + b"\x00" * 100),  # an .exe renamed
        ("side.pdf", b"<html><script>alert(1)</script></html>"),
        ("notat.docx", zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})),  # not allowed here
        ("tom.pdf", b""),
    ]
    for name, content in spoofs:
        response = upload(client, sid, name, content)
        assert response.status_code == 415, name
        assert response.json()["type"] == "/problems/unsupported-media-type"
    assert len(db.exec(select(Attachment)).all()) == 2


def test_office_files_are_recognised_when_the_challenge_allows_them(
    client: Client, db: Any, cast: Cast, team: Team, open_now: Any
) -> None:
    make_challenge(db, cast.halden, slug="gronne-tak", allowed_file_types=["docx", "odp"])
    db.commit()
    sid = start(client, team.lead)["id"]
    docx = zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    odp = zipped({"mimetype": b"application/vnd.oasis.opendocument.presentation", "content.xml": b"<x/>"})
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert upload(client, sid, "a.docx", docx).status_code == 201
    assert upload(client, sid, "b.odp", odp).status_code == 201
    assert upload(client, sid, "c.odt", odt).status_code == 415
    assert upload(client, sid, "d.docx", zipped({"readme.txt": b"hei"})).status_code == 415
    assert upload(client, sid, "e.pdf", PDF).status_code == 415


def test_too_large_and_too_many_files_are_refused(
    client: Client, db: Any, cast: Cast, team: Team, open_now: Any
) -> None:
    make_challenge(db, cast.halden, slug="gronne-tak", max_file_mb=1)
    db.commit()
    sid = start(client, team.lead)["id"]
    big = PDF + b"0" * (1024 * 1024)
    too_large = upload(client, sid, "stor.pdf", big)
    assert too_large.status_code == 413
    assert too_large.json()["type"] == "/problems/payload-too-large"
    for n in range(5):
        assert upload(client, sid, f"{n}.pdf", PDF).status_code == 201
    sixth = upload(client, sid, "6.pdf", PDF)
    assert sixth.status_code == 409
    first = db.exec(select(Attachment).order_by(col(Attachment.id))).first()
    assert client.api("DELETE", f"{BASE}/{sid}/attachments/{first.id}").status_code == 204
    assert upload(client, sid, "6.pdf", PDF).status_code == 201


def test_downloads_are_attachments_with_safe_headers_and_names(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: Any
) -> None:
    sid = start(client, team.lead)["id"]
    created = upload(client, sid, "../../etc/Plan <æøå>.pdf", PDF).json()
    assert created["filename"] == "Plan _æøå_.pdf"
    response = client.get(created["url"])
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-disposition"].startswith('attachment; filename="Plan _____.pdf"')
    assert "filename*=UTF-8''Plan%20_%C3%A6%C3%B8%C3%A5_.pdf" in response.headers["content-disposition"]
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["cache-control"].startswith("private")
    client.sign_in(cast.halden_editor)  # a draft's file: not for the hosts
    assert client.get(created["url"]).status_code == 404


def test_a_removed_file_stays_in_the_version_that_listed_it(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: Any
) -> None:
    sid = start(client, team.lead)["id"]
    old = upload(client, sid, "v1.pdf", PDF).json()
    client.api("POST", f"{BASE}/{sid}/terms")
    client.api("POST", f"{BASE}/{sid}/submit")
    client.api("DELETE", f"{BASE}/{sid}/attachments/{old['id']}")
    new = upload(client, sid, "v2.png", PNG, "image/png").json()
    assert [a["filename"] for a in client.api("GET", f"{BASE}/{sid}").json()["attachments"]] == ["v2.png"]
    client.sign_out()
    public = client.get(f"{BASE}/{sid}").json()
    assert [a["filename"] for a in public["attachments"]] == ["v1.pdf"]
    assert client.get(old["url"]).status_code == 200
    assert client.get(new["url"]).status_code == 404  # not in any submitted version


def test_exports_list_file_names_not_bytes(client: Client, team: Team, challenge: Any, open_now: Any) -> None:
    sid = start(client, team.lead)["id"]
    upload(client, sid, "plan.pdf", PDF)
    export = client.get("/account/export")
    section = export.json()["submissions"][0]
    assert section["attachments"] == [{"filename": "plan.pdf", "size": len(PDF), "uploaded_by_you": True}]
    assert "%PDF" not in export.text


@pytest.mark.parametrize(("given", "kept"), [
    ('C:\\Users\\kari\\Plan "ny".pdf', "Plan _ny_.pdf"),
    ("../../etc/passwd", "passwd"),
    ("rapport\x00\x07\u202e.pdf", "rapport.pdf"),
    ("...", "attachment"),
    ("", "attachment"),
    ("a" * 300 + ".pdf", "a" * 190 + ".pdf"),
])  # fmt: skip
def test_file_names_lose_folders_and_control_characters(given: str, kept: str) -> None:
    from app.submissions.files.service import clean_filename

    assert clean_filename(given) == kept


def test_a_file_larger_than_any_form_goes_through_where_files_go(
    client: Client, db: Any, cast: Cast, team: Team, open_now: Any
) -> None:
    make_challenge(db, cast.halden, slug="gronne-tak", max_file_mb=10)
    db.commit()
    sid = start(client, team.lead)["id"]
    three_megabytes = PDF + b"0" * (3 * 1024 * 1024)
    assert upload(client, sid, "plan.pdf", three_megabytes).status_code == 201
    refused = upload(client, sid, "plan.pdf", PDF + b"0" * (26 * 1024 * 1024))
    assert refused.status_code == 413, "over the largest file any challenge allows: refused before it is read"
