"""Lists of organisations stay light and long form fields get a message, not an error page."""

from __future__ import annotations

from sqlalchemy import inspect

from app.organizations import service
from tests.conftest import Client
from tests.factories import make_organization, make_user
from tests.organizations.conftest import PNG


def test_the_list_does_not_load_the_logos_bytes(client: Client) -> None:
    make_organization(client.db, slug="halden", name="Halden kommune", logo=PNG, logo_content_type="image/png")
    client.db.expunge_all()
    organizations = service.list_organizations(client.db)
    assert "logo" in inspect(organizations[0]).unloaded
    assert organizations[0].logo_content_type == "image/png"


def test_an_overlong_description_is_a_field_message_with_the_typed_values_kept(client: Client) -> None:
    client.headers["Accept-Language"] = "en"
    admin = make_user(client.db, platform_admin=True)
    client.sign_in(admin)
    response = client.post_form(
        "/manage/organisations/new",
        {"slug": "lang-kommune", "name": "Lang kommune", "kind": "municipality", "description": "ø" * 5000,
         "timezone": "Europe/Oslo", "default_language": "nb"},
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="field-description-error"' in response.text
    assert "Lang kommune" in response.text
