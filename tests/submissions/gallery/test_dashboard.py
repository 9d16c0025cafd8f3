"""The hosts' dashboard: counts (drafts counted, never shown), the table of submitted and withdrawn concepts, and the
CSV export of the submitted entries, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from app.clock import FrozenClock
from tests.challenges.conftest import Cast
from tests.conftest import Client
from tests.factories import make_challenge, make_submission
from tests.submissions.conftest import Team

DASHBOARD = "/manage/challenges/gronne-tak/submissions"
CSV_PAGE = DASHBOARD + ".csv"
CSV_API = "/api/v1/challenges/gronne-tak/submissions/export.csv"

ROLES = ["anonymous", "citizen", "lead", "member", "host_editor", "cohost_editor", "other_editor", "platform_admin"]
ALLOWED = {"host_editor", "cohost_editor", "platform_admin"}


def person(role: str, cast: Cast, team: Team) -> Any:
    return {"citizen": cast.citizen, "lead": team.lead, "member": team.member, "host_editor": cast.halden_editor,
            "cohost_editor": cast.baerum_editor, "other_editor": cast.stavanger_editor,
            "platform_admin": cast.platform_admin}.get(role)  # fmt: skip


def entries(client: Client, challenge: Any, team: Team, cast: Cast) -> int:
    entry = make_submission(client.db, challenge, team.lead, members=[team.member], title="=HYPERLINK(\"http://x\")",
                    versions=2, team_name="+Takfolk", summary="@sum", anonymous=True)  # fmt: skip
    make_submission(client.db, challenge, cast.citizen, title="Trukket", versions=1, status="withdrawn")
    make_submission(client.db, challenge, team.member, title="Hemmelig utkast", summary="Bare laget ser dette")
    client.db.commit()
    return int(entry.id)


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_dashboard_and_the_export(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock, role: str
) -> None:
    entries(client, challenge, team, cast)
    if (user := person(role, cast, team)) is not None:
        client.sign_in(user)
    page = client.get(DASHBOARD, follow_redirects=False)
    download = client.get(CSV_PAGE, follow_redirects=False)
    api = client.api("GET", CSV_API)
    if role in ALLOWED:
        assert (page.status_code, download.status_code, api.status_code) == (200, 200, 200)
    elif role == "anonymous":
        assert (page.status_code, download.status_code, api.status_code) == (303, 303, 401)
    else:
        assert (page.status_code, download.status_code, api.status_code) == (403, 403, 403)
        assert "HYPERLINK" not in page.text + download.text + api.text


def test_a_draft_challenges_dashboard_is_not_found_by_outsiders(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="utkast", status="draft")
    client.db.commit()
    client.sign_in(cast.stavanger_editor)
    assert client.get("/manage/challenges/utkast/submissions").status_code == 404
    assert client.api("GET", "/api/v1/challenges/utkast/submissions/export.csv").status_code == 404


def test_hosts_see_counts_and_the_table_but_never_a_drafts_content(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    entry_id = entries(client, challenge, team, cast)
    client.sign_in(cast.halden_editor)
    page = client.get(DASHBOARD).text
    assert "Hemmelig utkast" not in page
    assert "Bare laget ser dette" not in page
    counts = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    assert [part.split("</dd>")[0] for part in counts.split("<dd>")[1:]] == ["1", "1", "1", "1", "3"]
    assert "Trukket" in page
    assert f'href="/challenges/gronne-tak/submissions/{entry_id}"' in page
    assert 'href="/manage/challenges/gronne-tak/moderation"' in page
    assert f'href="{DASHBOARD}"' in client.get("/challenges/gronne-tak").text


def test_the_export_is_excel_friendly_and_safe_from_formulas(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    entries(client, challenge, team, cast)
    client.sign_in(cast.baerum_editor)
    response = client.get(CSV_PAGE)
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="gronne-tak-submissions.csv"'
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["id", "title", "summary", "team_name", "anonymous", "version", "submitted_at",
                       "attachment_count", "lead_email"]  # fmt: skip
    assert len(rows) == 2  # the submitted entry only: no draft, no withdrawn one
    entry = dict(zip(rows[0], rows[1], strict=True))
    assert entry["title"] == '\'=HYPERLINK("http://x")'
    assert entry["team_name"] == "'+Takfolk"
    assert entry["summary"] == "'@sum"
    assert (entry["anonymous"], entry["version"], entry["lead_email"]) == ("yes", "2", "lead@example.no")
    assert "medlem@example.no" not in response.text
    assert client.api("GET", CSV_API).content == response.content
