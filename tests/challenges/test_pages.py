"""The public's challenge pages: the list with filters in the URL, a challenge's page, drafts hidden, few queries."""

from __future__ import annotations

import re
from datetime import timedelta

from app import demo
from tests.challenges.conftest import Cast
from tests.challenges.test_list import counting_statements
from tests.conftest import NOW, Client
from tests.factories import make_challenge

DAY = timedelta(days=1)


def titles(html: str) -> list[str]:
    """The challenge titles on a list page, in order."""
    return re.findall(r'<a class="ds-link" href="/challenges/[^"]+">([^<]+)</a>', html)


def test_the_public_finds_a_published_challenge_and_reads_it(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel", title="Bærekraftig sentrumshandel",
                   criteria=[("Nytteverdi", 3), ("Gjennomførbarhet", 1)], sdg_goals=[11, 12], prize_amount=5000000,
                   start=NOW - 20 * DAY, problem_statement="Sentrum har **mange tomme lokaler**.")  # fmt: skip
    client.db.commit()

    listing = client.get("/challenges", headers={"Accept-Language": "nb"})
    assert listing.status_code == 200
    assert titles(listing.text) == ["Bærekraftig sentrumshandel"]
    assert "Halden kommune" in listing.text
    assert "Åpen for bidrag" in listing.text or "Open for submissions" in listing.text
    assert "50\xa0000 NOK" in listing.text

    page = client.get("/challenges/sentrumshandel", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "<strong>mange tomme lokaler</strong>" in page.text
    assert "75 % of the score" in page.text
    assert "25 % of the score" in page.text
    current = re.search(r'aria-current="step">\s*<span class="timeline__name">([^<]+)<', page.text)
    assert current is not None
    assert current.group(1) == "Open for submissions"
    assert "Submissions open until" in page.text


def test_filters_in_the_url_narrow_the_list(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrum", title="Bærekraftig sentrumshandel",
                   target_groups=["students"], sdg_goals=[11, 12], start=NOW - 20 * DAY)  # fmt: skip
    make_challenge(client.db, cast.baerum, slug="unge", title="Flere unge i jobb", summary="Arbeid for unge",
                   target_groups=["young-professionals"], sdg_goals=[8])  # fmt: skip
    make_challenge(client.db, cast.stavanger, slug="mobilitet", title="Smartere mobilitet", cohosts=[cast.baerum],
                   sdg_goals=[9, 11], start=NOW - 90 * DAY)  # fmt: skip
    client.db.commit()

    assert set(titles(client.get("/challenges").text)) == {"Bærekraftig sentrumshandel", "Flere unge i jobb",
                                                           "Smartere mobilitet"}  # fmt: skip
    assert titles(client.get("/challenges?phase=open").text) == ["Bærekraftig sentrumshandel"]
    assert titles(client.get("/challenges?phase=upcoming").text) == ["Flere unge i jobb"]
    assert set(titles(client.get("/challenges?organisation=baerum").text)) == {"Flere unge i jobb",
                                                                               "Smartere mobilitet"}  # fmt: skip
    assert titles(client.get("/challenges?target_group=students").text) == ["Bærekraftig sentrumshandel"]
    assert set(titles(client.get("/challenges?sdg=11").text)) == {"Bærekraftig sentrumshandel", "Smartere mobilitet"}
    assert titles(client.get("/challenges?q=unge").text) == ["Flere unge i jobb"]
    # An empty choice in the form is no filter; a value that is not on the list is ignored, not a server error.
    form = client.get("/challenges?q=&phase=&organisation=&target_group=&sdg=&sort=prize")
    assert len(titles(form.text)) == 3
    assert client.get("/challenges?phase=someday&sdg=99&sort=password").status_code == 200
    # The chosen filters are kept in the form, so a filtered list can be shared and refined.
    assert '<option value="open" selected>' in client.get("/challenges?phase=open").text


def test_pages_follow_each_other_with_the_filters_kept(client: Client, cast: Cast) -> None:
    for n in range(14):
        make_challenge(client.db, cast.halden, slug=f"u-{n}", sdg_goals=[11])
    client.db.commit()
    first = client.get("/challenges?sdg=11")
    assert len(titles(first.text)) == 12
    assert 'href="/challenges?sdg=11&amp;sort=deadline&amp;page=2"' in first.text
    assert len(titles(client.get("/challenges?sdg=11&sort=deadline&page=2").text)) == 2


def test_a_draft_is_not_found_for_a_citizen_and_shown_to_the_host_editor(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="kladd", title="Hemmelig kladd", status="draft")
    client.db.commit()
    assert client.get("/challenges/kladd").status_code == 404
    client.sign_in(cast.citizen)
    assert client.get("/challenges/kladd").status_code == 404
    assert "Hemmelig kladd" not in client.get("/challenges").text
    client.sign_in(cast.halden_editor)
    page = client.get("/challenges/kladd", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "This is a draft" in page.text
    client.sign_in(cast.baerum_editor)
    assert client.get("/challenges/kladd").status_code == 404


def test_a_script_in_the_problem_statement_is_not_rendered(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="skript",
                   problem_statement='Hei <script>alert("x")</script> [lenke](javascript:alert(1))')  # fmt: skip
    client.db.commit()
    page = client.get("/challenges/skript")
    assert "<script>alert" not in page.text
    assert 'href="javascript:' not in page.text


def test_a_cancelled_challenge_shows_why(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="avlyst", status="cancelled", cancel_reason="Ingen midler i år.")
    client.db.commit()
    page = client.get("/challenges/avlyst")
    assert page.status_code == 200
    assert "Ingen midler i år." in page.text


def test_the_front_page_shows_open_challenges_and_the_organisation_page_its_own(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="apen", title="Åpen utfordring", start=NOW - 20 * DAY)
    make_challenge(client.db, cast.halden, slug="snart", title="Kommende utfordring")
    make_challenge(client.db, cast.baerum, slug="baerum-apen", title="Bærums utfordring", start=NOW - 20 * DAY)
    client.db.commit()
    home = client.get("/").text
    assert "Åpen utfordring" in home
    assert "Kommende utfordring" not in home
    assert home.index("Åpen utfordring") < home.index("Halden kommune</a></h3>")
    halden = client.get("/organisations/halden").text
    assert "Åpen utfordring" in halden
    assert "Kommende utfordring" in halden
    assert "Bærums utfordring" not in halden


def test_the_list_page_makes_the_same_number_of_queries_for_5_and_30_challenges(client: Client, cast: Cast) -> None:
    for n in range(5):
        make_challenge(client.db, cast.halden, slug=f"u-{n}", cohosts=[cast.baerum, cast.stavanger])
    client.db.commit()
    with counting_statements(client) as few:
        assert len(titles(client.get("/challenges").text)) == 5
    for n in range(5, 30):
        make_challenge(client.db, cast.halden, slug=f"u-{n}", cohosts=[cast.baerum, cast.stavanger])
    client.db.commit()
    with counting_statements(client) as many:
        assert len(titles(client.get("/challenges").text)) == 12
    assert len(many) == len(few), "\n".join(many)


def test_the_demo_challenges_are_on_their_pages(client: Client) -> None:
    demo.load(client.db, now=NOW)
    client.db.commit()
    listing = client.get("/challenges")
    assert listing.status_code == 200
    assert "Bærekraftig sentrumshandel" in listing.text
    assert "Grønnere skolevei" not in listing.text  # a draft
    page = client.get("/challenges/smartere-mobilitet")
    assert "Helsingborgs stad" in page.text
    assert "Stavanger kommune" in page.text
    copy = client.get("/challenges/levende-sandvika-sentrum", headers={"Accept-Language": "en"})
    assert "Based on" in copy.text
    assert "Bærekraftig sentrumshandel" in copy.text
    others = ("flere-unge-i-jobb", "energismarte-hjem", "samskapingshuset", "virtuell-korttidsavdeling",
              "gronnare-skolgardar", "trygga-och-levande-stadsdelar", "open-data-for-everyday-services")  # fmt: skip
    for slug in others:
        assert client.get(f"/challenges/{slug}").status_code == 200, slug


def test_the_demo_challenges_have_covers_prize_splits_and_voting_settings_once(client: Client) -> None:
    demo.load(client.db, now=NOW)
    client.db.commit()
    mobility = client.get("/api/v1/challenges/smartere-mobilitet").json()
    assert mobility["cover_url"] is not None
    assert client.get(mobility["cover_url"]).headers["content-type"] == "image/png"
    assert (mobility["voting_method"], mobility["votes_per_voter"], mobility["jury_weight"]) == ("points", 5, 70)
    assert mobility["prize_split"] == {"kind": "shared", "best": 2}
    page = client.get("/challenges/smartere-mobilitet", headers={"Accept-Language": "en"}).text
    assert "Shared equally by the best 2: 50,000 NOK each" in page
    assert "the jury weighs 70 %, the public vote 30 % in the final ranking" in page
    listed = client.get("/api/v1/challenges", params={"size": 50}).json()["items"]
    assert sum(1 for item in listed if item["cover_url"]) >= 5
    assert demo.load(client.db, now=NOW) is False  # loading again changes nothing
    assert client.get("/api/v1/challenges/smartere-mobilitet").json()["cover_url"] == mobility["cover_url"]
