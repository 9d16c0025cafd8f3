"""The gallery page without JavaScript: cards, filters in the URL, a visitor's own shuffle, pagination, and the
challenge page's count and link."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs

from app.challenges.phases import Phase
from app.clock import FrozenClock
from tests.challenges.conftest import Cast, at
from tests.conftest import Client
from tests.factories import make_submission, make_user
from tests.submissions.conftest import Team

GALLERY = "/challenges/gronne-tak/submissions"
XSS = '<script>alert("x")</script>'


def test_a_visitor_browses_cards_and_the_challenge_page_links_them(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    before = client.get("/challenges/gronne-tak").text
    assert f'href="{GALLERY}"' not in before
    make_submission(client.db, challenge, team.lead, title="Grønne tak " + XSS, versions=1, team_name="Takfolk",
                    summary="Tak som samler regnvann.")  # fmt: skip
    make_submission(
        client.db, challenge, cast.citizen, title="Anonymt", versions=1, anonymous=True, team_name="Hemmelig"
    )
    make_submission(client.db, challenge, team.member, title="Et utkast ingen ser")
    client.db.commit()

    challenge_page = client.get("/challenges/gronne-tak").text
    assert "2 concepts submitted" in challenge_page or "2 konsept" in challenge_page
    assert f'href="{GALLERY}"' in challenge_page
    page = client.get(GALLERY)
    assert page.status_code == 200
    assert page.text.count('class="ds-card concept-card') == 2
    assert "Takfolk" in page.text
    assert "Hemmelig" not in page.text
    assert "<script>alert" not in page.text
    assert "Et utkast ingen ser" not in page.text
    assert "Tak som samler regnvann." in page.text
    found = client.get(GALLERY, params={"q": "anonymt", "sort": "comments"})
    assert found.text.count('class="ds-card concept-card') == 1
    assert 'value="anonymt"' in found.text
    assert 'value="comments" selected' in found.text
    assert client.get(GALLERY, params={"sort": "bogus", "team": "x", "files": "no"}).status_code == 200
    assert client.get(GALLERY, params={"q": "x" * 101}).status_code == 400


def test_hidden_concepts_are_marked_for_hosts_and_absent_for_the_public(
    client: Client, cast: Cast, team: Team, challenge: Any, open_now: FrozenClock
) -> None:
    hidden = make_submission(client.db, challenge, team.lead, title="Skjult", versions=1)
    hidden.hidden_at = at(Phase.OPEN)
    client.db.add(hidden)
    client.db.commit()
    assert "Skjult" not in client.get(GALLERY).text
    client.sign_in(cast.halden_editor)
    host_page = client.get(GALLERY).text
    assert "Skjult" in host_page
    assert "Hidden by moderators" in host_page or "Skjult av moderator" in host_page


def test_a_random_gallery_keeps_its_seed_in_a_cookie_and_the_page_links(
    client: Client, challenge: Any, open_now: FrozenClock
) -> None:
    for n in range(15):
        make_submission(client.db, challenge, make_user(client.db, email=f"p{n}@example.no"), title=f"Idé nr {n}",
                        versions=1)  # fmt: skip
    client.db.commit()
    first = client.get(GALLERY, params={"sort": "random"})
    seed = first.cookies.get("gallery_seed")
    assert seed
    assert f"seed={seed}" in first.text
    next_url = first.text.split(f'href="{GALLERY}?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    query = parse_qs(next_url)
    assert query["seed"] == [seed]
    second = client.get(GALLERY, params={"sort": "random", "seed": seed, "page": 2})
    first_titles = set(re.findall(r"Idé nr (\d+)</a>", first.text))
    second_titles = set(re.findall(r"Idé nr (\d+)</a>", second.text))
    assert len(first_titles) == 12
    assert len(second_titles) == 3
    assert not first_titles & second_titles


def test_the_demo_gallery_paginates_and_shows_covers_and_loads_once(client: Client) -> None:
    from app import demo
    from tests.conftest import NOW

    client.clock.at = NOW
    assert demo.load(client.db, now=NOW) is True
    client.db.commit()
    page = client.get(f"/challenges/{demo.CHALLENGE_MARKER_SLUG}/submissions")
    assert page.status_code == 200
    assert page.text.count('class="ds-card concept-card') == 12
    assert "page=2" in page.text
    assert page.text.count('class="challenge-card__cover"') >= 6
    cover = page.text.split('class="challenge-card__cover" src="', 1)[1].split('"', 1)[0]
    assert client.get(cover).headers["content-type"] == "image/png"
    assert demo.load(client.db, now=NOW) is False
