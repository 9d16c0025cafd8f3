"""A date the challenge form cannot store is shown again with a message at the field, not a crash."""

from __future__ import annotations

import pytest

from tests.challenges.conftest import Cast
from tests.challenges.manage.test_manage_pages import EN, FORM, stored
from tests.conftest import Client


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_an_editor_who_types_a_date_near_year_1_or_9999_is_asked_for_a_real_one(
    client: Client, cast: Cast, moment: str
) -> None:
    client.sign_in(cast.halden_editor)
    response = client.post_form("/manage/challenges/new", {**FORM, "opens_at": moment}, headers=EN)
    assert response.status_code == 422
    assert 'id="field-opens_at-error"' in response.text
    assert "Give a date from 2000 to 2999." in response.text
    assert f'value="{moment}"' in response.text
    assert stored(client, FORM["slug"]) is None
