"""Page forms: posted fields, errors as field messages, and schemas parsed with translated messages
(app/kit/forms.py)."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field, field_validator

from app import i18n
from app.errors import AppError, Conflict, NotFound, PayloadTooLarge, UnsupportedMediaType, ValidationFailed
from app.kit.forms import FormData, FormDep, form_errors, form_message, parse_form


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()

    @app.post("/echo")
    def echo(form: FormDep) -> dict[str, Any]:
        return {"fields": dict(form), "tags": form.getlist("tag"), "missing": form.getlist("missing")}

    return TestClient(app)


def test_a_urlencoded_form_gives_the_last_value_of_each_name_and_every_value_by_getlist(client: TestClient) -> None:
    response = client.post("/echo", data={"title": ["first", "second"], "tag": ["park", "roof", "park"]})
    assert response.status_code == 200
    assert response.json() == {
        "fields": {"title": "second", "tag": "park"},
        "tags": ["park", "roof", "park"],
        "missing": [],
    }


def test_a_multipart_form_leaves_its_files_to_the_handler(client: TestClient) -> None:
    response = client.post(
        "/echo",
        data={"title": "Grønne tak", "tag": ["a", "b"]},
        files={"cover": ("cover.png", b"\x89PNG\r\n\x1a\n", "image/png")},
    )
    assert response.status_code == 200
    assert response.json() == {"fields": {"title": "Grønne tak", "tag": "b"}, "tags": ["a", "b"], "missing": []}


def test_form_data_built_directly() -> None:
    form = FormData([("a", "1"), ("b", "2"), ("a", "3")])
    assert form == {"a": "3", "b": "2"}
    assert form.getlist("a") == ["1", "3"]
    form.getlist("a").append("changed")
    assert form.getlist("a") == ["1", "3"]
    assert FormData() == {}
    assert FormData().getlist("a") == []


@pytest.mark.parametrize(
    ("error", "options", "messages"),
    [
        pytest.param(
            ValidationFailed("Please correct", errors={"title": "Too long.", "prize": "Too small."}),
            {},
            {"title": "Too long.", "prize": "Too small."},
            id="ValidationFailed: one message per field",
        ),
        pytest.param(
            ValidationFailed("Please correct", errors={"title": "Too long."}),
            {"renamed": {"title": "name"}},
            {"name": "Too long."},
            id="ValidationFailed with a renamed field",
        ),
        pytest.param(
            ValidationFailed("Nothing to save."), {}, {"form": "Nothing to save."}, id="ValidationFailed, no field"
        ),
        pytest.param(
            Conflict("That address is taken.", field="slug"),
            {},
            {"slug": "That address is taken."},
            id="Conflict with a field",
        ),
        pytest.param(
            Conflict("That address is taken.", field="slug"),
            {"renamed": {"slug": "address"}},
            {"address": "That address is taken."},
            id="Conflict with a renamed field",
        ),
        pytest.param(
            Conflict("Already published."), {}, {"form": "Already published."}, id="Conflict for the whole form"
        ),
        pytest.param(
            PayloadTooLarge("The file is too large."),
            {"file_field": "cover"},
            {"cover": "The file is too large."},
            id="PayloadTooLarge with a file field",
        ),
        pytest.param(
            UnsupportedMediaType("Use PNG or JPEG."),
            {"file_field": "cover"},
            {"cover": "Use PNG or JPEG."},
            id="UnsupportedMediaType with a file field",
        ),
        pytest.param(
            PayloadTooLarge("The file is too large."),
            {},
            {"form": "The file is too large."},
            id="PayloadTooLarge, no file field",
        ),
        pytest.param(
            NotFound("No such challenge."),
            {"file_field": "cover"},
            {"form": "No such challenge."},
            id="another refusal with a file field",
        ),
        pytest.param(
            Conflict("Submissions have closed."),
            {"file_field": "cover", "renamed": {"form": "cover"}},
            {"cover": "Submissions have closed."},
            id="a refusal of the whole form shown at the file field",
        ),
    ],
)
def test_form_errors(error: AppError, options: dict[str, Any], messages: dict[str, str]) -> None:
    assert form_errors(error, **options) == messages


def test_form_message_is_the_field_message_or_the_detail() -> None:
    assert form_message(ValidationFailed("Please correct", errors={"body": "Write something."})) == "Write something."
    assert form_message(Conflict("Closed.")) == "Closed."


class Idea(BaseModel):
    title: str = Field(min_length=1, max_length=5)
    summary: str = Field(default="", min_length=3)
    count: int = Field(default=1, ge=1, le=10)
    kind: Literal["park", "roof"] = "park"

    @field_validator("summary")
    @classmethod
    def _no_shouting(cls, value: str) -> str:
        if value.isupper():
            raise ValueError("Please do not shout.")
        return value


def refusal(data: dict[str, Any], messages: dict[str, str] | None = None) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        parse_form(Idea, data, messages)
    return caught.value


def test_a_valid_form_is_parsed() -> None:
    assert parse_form(Idea, {"title": "Tak", "count": "3", "kind": "roof"}) == Idea(title="Tak", count=3, kind="roof")


@pytest.mark.parametrize(
    ("data", "field", "msgid", "values"),
    [
        ({}, "title", "This field is required.", {}),
        ({"title": ""}, "title", "This field is required.", {}),
        ({"title": "Too long"}, "title", "Use at most %(count)s characters.", {"count": 5}),
        ({"title": "Tak", "summary": "ab"}, "summary", "Use at least %(count)s characters.", {"count": 3}),
        ({"title": "Tak", "count": "many"}, "count", "Enter a whole number.", {}),
        ({"title": "Tak", "count": "0"}, "count", "Enter a number of at least %(limit)s.", {"limit": 1}),
        ({"title": "Tak", "count": "11"}, "count", "Enter a number of at most %(limit)s.", {"limit": 10}),
        ({"title": "Tak", "kind": "moon"}, "kind", "Choose one of the options.", {}),
    ],
)
@pytest.mark.parametrize("language", ["nb", "sv", "en"])
def test_a_refused_form_says_what_to_fix_in_the_readers_language(
    language: str, data: dict[str, Any], field: str, msgid: str, values: dict[str, object]
) -> None:
    with i18n.language(language):
        error = refusal(data)
    catalogue = i18n.translations(language)
    assert error.errors == {field: catalogue.gettext(msgid) % values}
    assert error.detail == catalogue.gettext("Please correct the fields marked below.")


def test_the_norwegian_messages_are_translated() -> None:
    with i18n.language("nb"):
        error = refusal({"title": "Too long"})
    assert error.errors["title"] != "Use at most 5 characters."
    assert "5" in error.errors["title"]
    assert error.detail != "Please correct the fields marked below."


def test_a_validator_message_is_shown_as_written() -> None:
    assert refusal({"title": "Tak", "summary": "LOUD"}).errors == {"summary": "Please do not shout."}


def test_a_form_may_give_its_own_message_for_a_field() -> None:
    error = refusal({"title": "", "count": "x"}, messages={"title": "Give your idea a name."})
    assert error.errors["title"] == "Give your idea a name."
    assert set(error.errors) == {"title", "count"}
