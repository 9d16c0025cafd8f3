"""The organisation pages, as people see them: public list and profile, forms under /manage."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from app.audit.models import AuditEvent
from app.errors import NotFound, TooManyRequests
from app.organizations import service
from app.organizations.models import Membership, Organization, Role
from tests.conftest import Client
from tests.organizations.conftest import PNG, Cast

EN = {"Accept-Language": "en"}
FORM = {
    "slug": "helsingborg",
    "name": "Helsingborgs stad",
    "kind": "municipality",
    "description": "Staden vid **Öresund**.",
    "website": "https://helsingborg.se",
    "timezone": "Europe/Stockholm",
    "default_language": "sv",
}


def test_a_platform_admin_creates_an_organisation_with_a_logo_on_the_page(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)
    form = client.get("/manage/organisations/new", headers=EN)
    assert form.status_code == 200
    assert 'name="csrf_token"' in form.text
    response = client.post_form(
        "/manage/organisations/new", FORM, files={"logo": ("logo.png", PNG, "image/png")}, headers=EN
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/organisations/helsingborg"

    page = client.get("/organisations/helsingborg", headers=EN)
    assert "Helsingborgs stad was created." in page.text  # the flash message
    assert "<strong>Öresund</strong>" in page.text
    assert 'src="/organisations/helsingborg/logo"' in page.text
    client.sign_out()
    assert "Helsingborgs stad" in client.get("/organisations").text
    stored = client.db.exec(select(Organization).where(Organization.slug == "helsingborg")).one()
    assert stored.timezone == "Europe/Stockholm"
    assert stored.logo_content_type == "image/png"
    actions = client.db.exec(select(AuditEvent.action).order_by(col(AuditEvent.id))).all()
    assert actions == ["organization.create", "organization.logo"]


def test_a_bad_slug_and_time_zone_are_shown_next_to_the_fields_and_nothing_is_stored(
    client: Client, cast: Cast
) -> None:
    client.sign_in(cast.platform_admin)
    response = client.post_form(
        "/manage/organisations/new", {**FORM, "slug": "-Helsing borg", "timezone": "Europe/Gotham"}, headers=EN
    )
    assert response.status_code == 422
    assert "Please correct the following" in response.text
    assert 'id="field-slug-error"' in response.text
    assert "Choose a valid time zone, such as Europe/Oslo." in response.text
    assert 'value="-Helsing borg"' in response.text  # what was typed stays
    assert 'value="Helsingborgs stad"' in response.text
    assert client.db.exec(select(Organization).where(Organization.name == "Helsingborgs stad")).first() is None


def test_a_taken_slug_is_a_field_message(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)
    response = client.post_form("/manage/organisations/new", {**FORM, "slug": "halden"}, headers=EN)
    assert response.status_code == 422
    assert "That address is already used by another organisation." in response.text


def test_a_spoofed_logo_is_a_field_message_and_nothing_is_stored(client: Client, cast: Cast) -> None:
    client.sign_in(cast.platform_admin)
    response = client.post_form(
        "/manage/organisations/new", FORM, files={"logo": ("logo.png", b"just some text", "image/png")}, headers=EN
    )
    assert response.status_code == 422
    assert 'id="field-logo-error"' in response.text
    assert "The logo must be a PNG, JPEG or WebP image." in response.text
    assert client.db.exec(select(Organization).where(Organization.slug == "helsingborg")).first() is None
    assert client.db.exec(select(AuditEvent)).all() == []


def test_only_platform_admins_see_the_new_organisation_form(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    assert client.get("/manage/organisations/new").status_code == 403
    assert client.post_form("/manage/organisations/new", FORM).status_code == 403
    assert "/manage/organisations/new" not in client.get("/manage").text
    client.sign_in(cast.platform_admin)
    assert "/manage/organisations/new" in client.get("/manage").text


def test_an_admin_edits_the_organisation(client: Client, cast: Cast) -> None:
    client.sign_in(cast.admin)
    form = client.get("/manage/organisations/halden", headers=EN)
    assert form.status_code == 200
    assert 'value="Halden kommune"' in form.text
    response = client.post_form(
        "/manage/organisations/halden",
        {"name": "Halden kommune", "kind": "municipality", "description": "Festningsbyen.", "website": "",
         "timezone": "Europe/Oslo", "default_language": "nb"},
    )  # fmt: skip
    assert response.status_code == 303
    assert client.db.get(Organization, cast.org.id).description == "Festningsbyen."  # type: ignore[union-attr]
    assert "Festningsbyen." in client.get("/organisations/halden").text


def test_an_invalid_website_on_edit_is_shown_and_not_stored(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    response = client.post_form(
        "/manage/organisations/halden",
        {"name": "Halden kommune", "kind": "municipality", "website": "javascript:alert(1)", "timezone": "Europe/Oslo",
         "default_language": "nb"},
        headers=EN,
    )  # fmt: skip
    assert response.status_code == 422
    assert 'id="field-website-error"' in response.text
    assert client.db.get(Organization, cast.org.id).website == ""  # type: ignore[union-attr]


def test_editors_and_outsiders_cannot_edit_and_do_not_see_the_button(client: Client, cast: Cast) -> None:
    for person in (cast.editor, cast.other_owner):
        client.sign_in(person)
        assert client.get("/manage/organisations/halden").status_code == 403
        assert '/manage/organisations/halden"' not in client.get("/organisations/halden").text
    client.sign_in(cast.admin)
    assert 'href="/manage/organisations/halden"' in client.get("/organisations/halden").text


def test_anonymous_visitors_are_sent_to_sign_in_from_manage_pages(client: Client, cast: Cast) -> None:
    for path in ("/manage", "/manage/organisations/new", "/manage/organisations/halden/members"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/account/sign-in?next=")


def test_the_manage_page_lists_the_actors_organisations(client: Client, cast: Cast) -> None:
    client.sign_in(cast.editor)
    page = client.get("/manage", headers=EN)
    assert "Halden kommune" in page.text
    assert "Bærum kommune" not in page.text
    assert "Members of Halden kommune" in page.text
    assert "Edit Halden kommune" not in page.text


def test_the_members_page_shows_only_the_buttons_each_role_may_use(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    owner_view = client.get("/manage/organisations/halden/members", headers=EN).text
    assert "Remove Ali Admin" in owner_view
    assert "Send invitation" in owner_view
    assert '<option value="owner">Owner</option>' in owner_view

    client.sign_in(cast.admin)
    admin_view = client.get("/manage/organisations/halden/members", headers=EN).text
    assert "Remove Rut Redaktør" in admin_view
    assert "Remove Eva Eier" not in admin_view
    assert f"/members/{cast.owner.id}/role" not in admin_view
    assert '<option value="owner">' not in admin_view

    client.sign_in(cast.editor)
    editor_view = client.get("/manage/organisations/halden/members", headers=EN).text
    assert "Eva Eier" in editor_view
    assert "Remove" not in editor_view
    assert "Send invitation" not in editor_view
    assert "Leave organisation" in editor_view


def test_outsiders_do_not_see_the_member_list(client: Client, cast: Cast) -> None:
    for person in (cast.citizen, cast.other_owner):
        client.sign_in(person)
        assert client.get("/manage/organisations/halden/members").status_code == 404


def test_the_last_owner_is_told_why_they_cannot_leave(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    response = client.post_form("/manage/organisations/halden/leave", headers=EN)
    assert response.status_code == 409
    assert "The organisation must keep at least one owner." in response.text
    assert client.db.exec(select(Membership).where(Membership.user_id == cast.owner.id)).one().role == Role.OWNER


def test_an_admin_cannot_demote_the_owner_on_the_page(client: Client, cast: Cast) -> None:
    client.sign_in(cast.admin)
    response = client.post_form(f"/manage/organisations/halden/members/{cast.owner.id}/role", {"role": "editor"})
    assert response.status_code == 403
    assert client.db.exec(select(Membership).where(Membership.user_id == cast.owner.id)).one().role == Role.OWNER


def test_an_owner_promotes_and_removes_members_on_the_page(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    promoted = client.post_form(
        f"/manage/organisations/halden/members/{cast.editor.id}/role", {"role": "admin"}, headers=EN
    )
    assert promoted.status_code == 303
    assert "The member&#39;s role was changed." in client.get("/manage/organisations/halden/members", headers=EN).text
    removed = client.post_form(f"/manage/organisations/halden/members/{cast.admin.id}/remove")
    assert removed.status_code == 303
    roles = {
        m.user_id: m.role for m in client.db.exec(select(Membership).where(Membership.organization_id == cast.org.id))
    }
    assert roles == {cast.owner.id: Role.OWNER, cast.editor.id: Role.ADMIN}


def test_an_editor_leaves(client: Client, cast: Cast) -> None:
    client.sign_in(cast.editor)
    response = client.post_form("/manage/organisations/halden/leave")
    assert response.status_code == 303
    assert response.headers["location"] == "/manage"
    assert client.db.exec(select(Membership).where(Membership.user_id == cast.editor.id)).first() is None


def test_unknown_organisations_are_not_found(client: Client) -> None:
    assert client.get("/organisations/finnes-ikke").status_code == 404
    assert client.get("/api/v1/organisations/finnes-ikke").status_code == 404


def test_numbers_too_large_for_any_row_or_page_get_a_page_not_a_server_error(client: Client, cast: Cast) -> None:
    client.sign_in(cast.owner)
    huge = "9" * 25
    assert client.get(f"/organisations?page={huge}").status_code in (200, 400, 404)
    for url in [
        f"/manage/organisations/halden/members/{huge}/role",
        f"/manage/organisations/halden/members/{huge}/remove",
        f"/manage/organisations/halden/invitations/{huge}/revoke",
        f"/manage/organisations/halden/invitations/{huge}/resend",
    ]:
        assert client.post_form(url, {"role": "admin"}).status_code in (400, 404), url


def test_any_refusal_of_a_member_action_shows_the_members_page_but_a_404_does_not(
    client: Client, cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.sign_in(cast.owner)
    remove = f"/manage/organisations/halden/members/{cast.editor.id}/remove"

    def slow_down(*args: object, **kwargs: object) -> None:
        raise TooManyRequests("Wait a moment before you try again.", retry_after=30)

    monkeypatch.setattr(service, "remove_member", slow_down)
    refused = client.post_form(remove, headers=EN)
    assert refused.status_code == 429
    assert "Wait a moment before you try again." in refused.text
    assert f"/members/{cast.editor.id}/role" in refused.text  # the members page, with its forms

    def missing(*args: object, **kwargs: object) -> None:
        raise NotFound("No such member.")

    monkeypatch.setattr(service, "remove_member", missing)
    not_found = client.post_form(remove, headers=EN)
    assert not_found.status_code == 404
    assert f"/members/{cast.editor.id}/role" not in not_found.text
