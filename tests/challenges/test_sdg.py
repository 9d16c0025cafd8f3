"""The UN Sustainable Development Goals: their names on every page that shows goals, their official colours in the
stylesheet, and text on each colour that meets WCAG AA contrast."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.challenges.schemas import SDG_GOALS
from tests.challenges.conftest import Cast
from tests.challenges.manage.test_manage_pages import EN
from tests.conftest import Client
from tests.factories import make_challenge

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
# The UN's official colours and short names (https://www.un.org/sustainabledevelopment/news/communications-material/).
OFFICIAL = {
    1: ("#E5243B", "No poverty"), 2: ("#DDA63A", "Zero hunger"), 3: ("#4C9F38", "Good health and well-being"),
    4: ("#C5192D", "Quality education"), 5: ("#FF3A21", "Gender equality"),
    6: ("#26BDE2", "Clean water and sanitation"),
    7: ("#FCC30B", "Affordable and clean energy"), 8: ("#A21942", "Decent work and economic growth"),
    9: ("#FD6925", "Industry, innovation and infrastructure"), 10: ("#DD1367", "Reduced inequalities"),
    11: ("#FD9D24", "Sustainable cities and communities"), 12: ("#BF8B2E", "Responsible consumption and production"),
    13: ("#3F7E44", "Climate action"), 14: ("#0A97D9", "Life below water"), 15: ("#56C02B", "Life on land"),
    16: ("#00689D", "Peace, justice and strong institutions"), 17: ("#19486A", "Partnerships for the goals"),
}  # fmt: skip


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of #rrggbb or #rgb."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(2 * digit for digit in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def goal_rules() -> dict[int, tuple[str, str]]:
    """`.sdg--N { background: …; color: … }` from the stylesheet, as {N: (background, text colour)}."""
    rules = re.findall(
        r"\.sdg--(\d+)\s*\{\s*background:\s*(#[0-9A-Fa-f]{3,6});\s*color:\s*(#[0-9A-Fa-f]{3,6});", CSS.read_text()
    )
    return {int(goal): (background, text) for goal, background, text in rules}


def test_every_goal_has_its_official_colour_and_readable_text() -> None:
    rules = goal_rules()
    assert sorted(rules) == list(SDG_GOALS)
    for goal, (background, text) in rules.items():
        assert background.upper() == OFFICIAL[goal][0], goal
        assert contrast(background, text) >= 4.5, (goal, background, text, round(contrast(background, text), 2))


def test_goals_show_with_their_names_on_cards_the_challenge_page_and_the_filter(client: Client, cast: Cast) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel", title="Bærekraftig sentrumshandel", sdg_goals=[7, 11])
    client.db.commit()
    listing = client.get("/challenges", headers=EN).text
    badge = '<span class="sdg sdg--11"><span class="sdg__number">11</span> <span class="sdg__name">{}</span></span>'
    assert badge.format("Sustainable cities and communities") in listing
    assert '<span class="sdg sdg--7">' in listing
    for goal, (_colour, name) in OFFICIAL.items():
        assert f'<option value="{goal}" >{goal} – {name}</option>' in listing, goal
    filtered = client.get("/challenges?sdg=7", headers=EN).text
    assert '<option value="7" selected>7 – Affordable and clean energy</option>' in filtered
    assert "for the goal" in filtered

    page = client.get("/challenges/sentrumshandel", headers=EN).text
    assert badge.format("Sustainable cities and communities") in page
    assert "Affordable and clean energy" in page
    assert "style=" not in page  # the CSP allows no inline styles


def test_the_organiser_form_labels_each_goal_with_its_name(client: Client, cast: Cast) -> None:
    client.sign_in(cast.halden_editor)
    form = client.get("/manage/challenges/new", headers=EN).text
    for goal, (_colour, name) in OFFICIAL.items():
        label = re.search(rf'<label [^>]*for="field-sdg_goals-{goal}">(.*?)</label>', form, re.DOTALL)
        assert label is not None, goal
        assert f"sdg--{goal}" in label.group(1)
        assert name in label.group(1)


@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_goal_names_go_through_the_translations(client: Client, cast: Cast, language: str) -> None:
    make_challenge(client.db, cast.halden, slug="sentrumshandel", sdg_goals=[13])
    client.db.commit()
    page = client.get("/challenges/sentrumshandel", headers={"Accept-Language": language}).text
    name = re.search(
        r'<span class="sdg sdg--13"><span class="sdg__number">13</span> <span class="sdg__name">([^<]+)<', page
    )
    assert name is not None
    assert name.group(1).strip()
