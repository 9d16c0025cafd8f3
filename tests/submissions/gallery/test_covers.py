"""Concept covers: the team sets and removes one while submissions are open (checked by content), everyone who may
see the concept gets it with caching headers, nobody else learns it exists."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from sqlmodel import select

from app.audit.models import AuditEvent
from app.challenges.phases import Phase
from app.clock import FrozenClock
from app.demo import png
from app.submissions.models import Submission, SubmissionCover
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_submission
from tests.submissions.conftest import PDF, Team

API = "/api/v1/challenges/gronne-tak/submissions"
PAGE = "/challenges/gronne-tak/submissions"
IMAGE = png(8, 4, lambda x, y: (x * 30, y * 60, 120))


def concept(client: Client, team: Team, challenge: Any, versions: int = 1) -> Submission:
    made = make_submission(client.db, challenge, team.lead, members=[team.member], versions=versions)
    client.db.commit()
    return made  # type: ignore[no-any-return]


def put_cover(client: Client, sid: int, content: bytes = IMAGE) -> Any:
    return client.api("PUT", f"{API}/{sid}/cover", files={"file": ("omslag.png", content, "image/png")})


ROLES = ["anonymous", "citizen", "lead", "member", "host_editor", "other_editor", "platform_admin"]
# Who may set a submitted concept's cover while open: the team; the others get 401/403 (they may see it) or 404.
EXPECTED = {"anonymous": 401, "citizen": 403, "lead": 200, "member": 200, "host_editor": 403, "other_editor": 403,
            "platform_admin": 403}  # fmt: skip


def person(role: str, cast: Cast, team: Team) -> Any:
    return {"citizen": cast.citizen, "lead": team.lead, "member": team.member, "host_editor": cast.halden_editor,
            "other_editor": cast.stavanger_editor, "platform_admin": cast.platform_admin}.get(role)  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_who_may_set_a_cover(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock, role: str
) -> None:
    submission = concept(client, team, challenge)
    if (user := person(role, cast, team)) is not None:
        client.sign_in(user)
    response = put_cover(client, submission.id or 0)
    assert response.status_code == EXPECTED[role], response.text
    stored = client.db.get(SubmissionCover, submission.id)
    assert (stored is not None) is (EXPECTED[role] == 200)


@pytest.mark.parametrize("role", ["citizen", "host_editor", "other_editor", "platform_admin"])
def test_a_drafts_cover_is_not_even_found_by_others(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock, role: str
) -> None:
    draft = concept(client, team, challenge, versions=0)
    client.sign_in(person(role, cast, team))
    assert put_cover(client, draft.id or 0).status_code == 404


def test_the_team_sets_replaces_and_removes_a_cover_and_everyone_sees_it_cached(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    submission = concept(client, team, challenge)
    sid = submission.id or 0
    client.sign_in(team.member)
    assert put_cover(client, sid).status_code == 200
    digest = hashlib.sha256(IMAGE).hexdigest()
    address = f"{PAGE}/{sid}/cover/{digest}"
    client.sign_out()
    served = client.get(address)
    assert served.status_code == 200
    assert served.content == IMAGE
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert client.get(address, headers={"If-None-Match": served.headers["etag"]}).status_code == 304
    gallery = client.get(PAGE).text
    assert f'src="{address}"' in gallery
    assert f'<img class="challenge-cover" src="{address}" alt="">' in client.get(f"{PAGE}/{sid}").text

    client.sign_in(team.lead)
    other = png(4, 4, lambda x, y: (0, 0, 0))
    assert put_cover(client, sid, other).status_code == 200
    assert client.get(address).status_code == 404  # an old address is gone
    assert client.api("DELETE", f"{API}/{sid}/cover").status_code == 204
    assert client.api("DELETE", f"{API}/{sid}/cover").status_code == 404
    client.db.expire_all()
    assert client.db.get(Submission, sid).cover_sha256 is None  # type: ignore[union-attr]
    actions = client.db.exec(select(AuditEvent.action).where(AuditEvent.target_id == str(sid))).all()
    assert actions.count("submission.cover") == 2
    assert "submission.cover.remove" in actions


def test_a_cover_of_a_concept_not_yet_public_is_private_and_hidden_from_outsiders(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    draft = concept(client, team, challenge, versions=0)
    client.sign_in(team.lead)
    assert put_cover(client, draft.id or 0).status_code == 200
    address = f"{PAGE}/{draft.id}/cover/{hashlib.sha256(IMAGE).hexdigest()}"
    served = client.get(address)
    assert served.headers["cache-control"].startswith("private,")
    for outsider in (cast.citizen, cast.halden_editor, cast.platform_admin):
        client.sign_in(outsider)
        assert client.get(address).status_code == 404
    client.sign_out()
    assert client.get(address).status_code == 404


@pytest.mark.parametrize(
    ("content", "status"),
    [(PDF, 415), (b"GIF89a" + b"\x00" * 40, 415), (b"<svg onload=alert(1)>", 415),
     (b"\x89PNG\r\n\x1a\n" + b"0" * (2 * 1024 * 1024), 413)],
)  # fmt: skip
def test_a_spoofed_or_oversized_cover_is_refused_and_nothing_is_stored(
    client: Client, team: Team, challenge: Any, open_now: FrozenClock, content: bytes, status: int
) -> None:
    submission = concept(client, team, challenge)
    client.sign_in(team.lead)
    refused = put_cover(client, submission.id or 0, content)
    assert refused.status_code == status
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert client.db.get(SubmissionCover, submission.id) is None


def test_covers_are_frozen_after_the_deadline(client: Client, team: Team, challenge: Any, clock: FrozenClock) -> None:
    clock.at = at(Phase.REVIEW)
    submission = concept(client, team, challenge)
    client.sign_in(team.lead)
    refused = put_cover(client, submission.id or 0)
    assert refused.status_code == 409
    assert refused.json()["type"] == "/problems/phase-closed"


def test_the_edit_page_sets_a_cover_and_shows_a_refusal_next_to_the_field(
    client: Client, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    submission = concept(client, team, challenge)
    client.sign_in(team.lead)
    edit = client.get(f"{PAGE}/{submission.id}/edit")
    assert 'name="cover"' in edit.text
    assert 'enctype="multipart/form-data"' in edit.text
    refused = client.post_form(f"{PAGE}/{submission.id}/cover", files={"cover": ("x.png", PDF, "image/png")})
    assert refused.status_code == 415
    assert 'id="field-cover-error"' in refused.text
    assert "ds-error-summary" in refused.text
    saved = client.post_form(f"{PAGE}/{submission.id}/cover", files={"cover": ("x.png", IMAGE, "image/png")})
    assert saved.status_code == 303
    assert f"{PAGE}/{submission.id}/cover/remove" in client.get(f"{PAGE}/{submission.id}/edit").text
    removed = client.post_form(f"{PAGE}/{submission.id}/cover/remove")
    assert removed.status_code == 303
    assert client.db.get(SubmissionCover, submission.id) is None
